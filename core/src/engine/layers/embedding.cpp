#include "dotakv/layers/embedding.hpp"

#include <algorithm>
#include <cstddef>
#include <string>

#include "dotakv/error.hpp"

namespace dotakv::layers {

void energy_token(float e, const float* kernel, const float* bias, const float* pos_row, int d,
                  float* out) {
  for (int i = 0; i < d; ++i) out[i] = e * kernel[i] + bias[i] + pos_row[i];
}

void add_position(const float* token, const float* pos_row, int d, float* out) {
  for (int i = 0; i < d; ++i) out[i] = token[i] + pos_row[i];
}

// ---- training ----

template <class T>
void embed_tokens_forward(const T* slice_tokens, T e, const T* kernel, const T* bias, const T* pos,
                          int t, int d, T* tokens) {
  for (int i = 0; i < d; ++i) tokens[i] = e * kernel[i] + bias[i] + pos[i];
  for (std::size_t i = std::size_t(d); i < std::size_t(t) * d; ++i)
    tokens[i] = slice_tokens[i - d] + pos[i];
}

template <class T>
void embed_tokens_backward(const T* dtokens, T e, int t, int d, T* dslice_tokens, T* dkernel,
                           T* dbias, T* dpos) {
  for (int i = 0; i < d; ++i) {
    if (dkernel) dkernel[i] += e * dtokens[i];
    if (dbias) dbias[i] += dtokens[i];
  }
  const std::size_t all = std::size_t(t) * d;
  if (dpos)
    for (std::size_t i = 0; i < all; ++i) dpos[i] += dtokens[i];
  if (dslice_tokens)
    for (std::size_t i = std::size_t(d); i < all; ++i) dslice_tokens[i - d] = dtokens[i];
}

template void embed_tokens_forward<float>(const float*, float, const float*, const float*,
                                          const float*, int, int, float*);
template void embed_tokens_forward<double>(const double*, double, const double*, const double*,
                                           const double*, int, int, double*);
template void embed_tokens_backward<float>(const float*, float, int, int, float*, float*, float*,
                                           float*);
template void embed_tokens_backward<double>(const double*, double, int, int, double*, double*,
                                            double*, double*);

template <class T>
void embedding_lookup_forward(const T* table, int vocab, int d, const int* ids, int n, T* out) {
  for (int i = 0; i < n; ++i)
    if (ids[i] < 0 || ids[i] >= vocab)
      throw ValueError("token id " + std::to_string(ids[i]) + " at position " + std::to_string(i) +
                       " outside the vocabulary 0.." + std::to_string(vocab - 1));
  for (int i = 0; i < n; ++i)
    std::copy_n(table + std::size_t(ids[i]) * d, d, out + std::size_t(i) * d);
}

template <class T>
void embedding_lookup_backward(const T* dout, const int* ids, int n, int d, T* dtable) {
  for (int i = 0; i < n; ++i) {
    T* row = dtable + std::size_t(ids[i]) * d;
    const T* g = dout + std::size_t(i) * d;
    for (int j = 0; j < d; ++j) row[j] += g[j];
  }
}

template void embedding_lookup_forward<float>(const float*, int, int, const int*, int, float*);
template void embedding_lookup_forward<double>(const double*, int, int, const int*, int, double*);
template void embedding_lookup_backward<float>(const float*, const int*, int, int, float*);
template void embedding_lookup_backward<double>(const double*, const int*, int, int, double*);

}  // namespace dotakv::layers
