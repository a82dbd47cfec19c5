// Token assembly (DoTA): token 0 = Dense(1 -> D)(scaled energy) = e * kernel + bias; tokens 1..S
// are the encoder outputs of the slices; the learned position embedding row p is added to token p.
// Shapes: kernel, bias [D]; pos [T, D]; out [D].
#pragma once

namespace dotakv::layers {

// out = e * kernel + bias + pos_row
void energy_token(float e, const float* kernel, const float* bias, const float* pos_row, int d,
                  float* out);
// out = token + pos_row  (token may alias out)
void add_position(const float* token, const float* pos_row, int d, float* out);

// ---- training (templated on the scalar) ----
// tokens [T, D]: row 0 = e * kernel + bias + pos[0]; row p >= 1 = slice_tokens[p - 1] + pos[p].
// slice_tokens [T - 1, D].
template <class T>
void embed_tokens_forward(const T* slice_tokens, T e, const T* kernel, const T* bias, const T* pos,
                          int t, int d, T* tokens);
// From dtokens [T, D]: dslice_tokens [T - 1, D] overwritten (nullable); dkernel, dbias [D] and
// dpos [T, D] accumulated (+=).
template <class T>
void embed_tokens_backward(const T* dtokens, T e, int t, int d, T* dslice_tokens, T* dkernel,
                           T* dbias, T* dpos);

// ---- token embedding lookup (digits, lm; templated on the scalar) ----
// out[i, :] = table[ids[i], :] for i < n. Shapes: table [vocab, D]; ids [n]; out [n, D].
// Throws ValueError (before writing) naming the first id outside [0, vocab) and its position.
template <class T>
void embedding_lookup_forward(const T* table, int vocab, int d, const int* ids, int n, T* out);
// dtable[ids[i], :] += dout[i, :] (accumulated; repeated ids add up). dout [n, D].
template <class T>
void embedding_lookup_backward(const T* dout, const int* ids, int n, int d, T* dtable);

}  // namespace dotakv::layers
