// Multi-head scaled dot-product attention of n new query tokens against a KV cache
// (Vaswani et al. 2017; Keras MultiHeadAttention without biases), for one sample and head
// (attention_head; attention_rows runs it for all heads and samples):
//   S[i, j] = q_i . k_j / sqrt(KD),  j < L  (masked to j <= p0 + i when causal)
//   P = softmax_j(S),  o_i = sum_j P[i, j] v_j
// The queries are tokens p0 .. p0+n-1; the cache holds tokens 0 .. L-1 (L = p0 + n when
// streaming, the new tokens' own K/V included).
// Shapes: q rows [n, KD] at stride q_stride floats; keys/values [L, KD] contiguous;
// out rows [n, KD] at stride out_stride; scratch >= n * L floats.
#pragma once

#include "dotakv/kv_cache.hpp"

namespace dotakv::layers {

void attention_head(const float* q, long q_stride, int n, int p0, const float* keys,
                    const float* values, int L, int kd, bool causal, float* out, long out_stride,
                    float* scratch);

// All heads of `batch` samples for one layer against a KV cache; the one attention used by every
// model (DoTA self-attention, digits causal self-attention and cross-attention, beams).
//   q:   query rows [batch*n, >= NH*KD]: sample b, query i at q + (b*n + i)*q_stride, head h at
//        columns h*KD .. h*KD+KD-1 (e.g. the fused QKV buffer [B*n, 3*NH*KD], q_stride 3*NH*KD)
//   K/V: cache layer `layer`, sample s_b = cache_sample ? cache_sample[b] : b, tokens
//        0 .. L_b-1 with L_b = cache.length(layer, s_b) (each sample its own length: images of
//        different widths; several query samples may share one cache sample, e.g. the B*W beams
//        of B images reading the images' cross-attention cache: cache_sample[b*W + w] = b)
//   causal: query i (position p0 + i) attends to j <= min(L_b - 1, p0 + i)
//   out: rows [batch*n, >= NH*KD] at out + (b*n + i)*out_stride, head h at columns h*KD..
//   q_heads_per_kv = G >= 1: grouped-query attention (Ainslie et al. 2023; llama 2/3): the
//        queries have NH*G heads, query head h reads cache head h / G (the cache holds NH =
//        cache.heads() K/V heads); q and out rows then hold NH*G*KD values. G = 1: plain MHA.
// fp16/int8 caches are dequantized into per-thread scratch; scratch buffers are thread_local and
// only grow, so steady-state calls (decoding token by token) allocate nothing. OpenMP over
// (b, h); runs serially with one thread or inside a parallel region. Throws ValueError (before
// any work) if a cache sample is out of range or holds no tokens.
void attention_rows(const float* q, long q_stride, int batch, int n, int p0, const KVCache& cache,
                    int layer, bool causal, float* out, long out_stride,
                    const int* cache_sample = nullptr, int q_heads_per_kv = 1);

// DoTA's fused form: q from qkv [B*n, 3*NH*KD] (the first NH*KD columns), K/V from cache layer
// `layer` (lengths p0+n), out [B*n, NH*KD]. = attention_rows(qkv, 3*NH*KD, ..., out, NH*KD).
void attention_all_heads(const float* qkv, int batch, int n, int p0, const KVCache& cache,
                         int layer, bool causal, float* out);

// ---- training (templated on the scalar; single-threaded per call) ----
// Multi-head attention of one sample, Q/K/V already projected (head h in columns h*KD ..
// h*KD+KD-1 of every row):
//   q [tq, NH*KD] queries; k, v [tk, NH*KD] keys/values (self-attention: tq = tk, the same
//   tokens; cross-attention: the tk encoder tokens); out [tq, NH*KD];
//   probs [NH, tq, tk] saved for backward (masked entries 0).
//   S = q_h k_h^T / sqrt(KD), P = softmax over keys (causal: key j <= query i), out_h = P v_h.
// causal requires tq == tk (ValueError otherwise).
template <class T>
void mha_forward(const T* q, int tq, const T* k, const T* v, int tk, int nh, int kd, bool causal,
                 T* probs, T* out);
// Gradients from dout [tq, NH*KD]: dq [tq, NH*KD], dk, dv [tk, NH*KD], overwritten.
//   dV_h = P^T dO_h, dP = dO_h V_h^T, dS = P (dP - rowsum(dP P)) / sqrt(KD),
//   dQ_h = dS K_h, dK_h = dS^T Q_h.
template <class T>
void mha_backward(const T* q, int tq, const T* k, const T* v, int tk, const T* probs, const T* dout,
                  int nh, int kd, bool causal, T* dq, T* dk, T* dv);

// Grouped-query form (Ainslie et al. 2023, "GQA"): nh query heads share nkv key/value heads
// (nh % nkv == 0, G = nh / nkv); query head h attends with kv head h / G. nkv == nh is mha_*.
//   q [tq, NH*KD]; k, v [tk, NKV*KD]; out [tq, NH*KD]; probs [NH, tq, tk].
// Backward: dq [tq, NH*KD], dk, dv [tk, NKV*KD] overwritten; a kv head's gradient is the sum
// over the G query heads of its group (in head order). ValueError if nkv does not divide nh.
template <class T>
void gqa_forward(const T* q, int tq, const T* k, const T* v, int tk, int nh, int nkv, int kd,
                 bool causal, T* probs, T* out);
template <class T>
void gqa_backward(const T* q, int tq, const T* k, const T* v, int tk, const T* probs, const T* dout,
                  int nh, int nkv, int kd, bool causal, T* dq, T* dk, T* dv);

// Self-attention forms (tq = tk = t), as used by DoTA: q, k, v, out [t, NH*KD], probs [NH, t, t].
template <class T>
void mha_forward(const T* q, const T* k, const T* v, int t, int nh, int kd, bool causal, T* probs,
                 T* out);
// dq, dk, dv [t, NH*KD] overwritten.
template <class T>
void mha_backward(const T* q, const T* k, const T* v, const T* probs, const T* dout, int t, int nh,
                  int kd, bool causal, T* dq, T* dk, T* dv);

}  // namespace dotakv::layers
