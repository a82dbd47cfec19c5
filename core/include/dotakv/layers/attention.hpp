// Multi-head scaled dot-product attention of n new query tokens against a KV cache
// (Vaswani et al. 2017; Keras MultiHeadAttention without biases), for one sample and head:
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

// All heads of all samples for one layer: q from the fused QKV buffer qkv [B*n, 3*NH*KD]
// (queries are the first NH*KD columns), K/V from cache layer `layer` (lengths must be p0+n),
// out [B*n, NH*KD]. Dequantizes fp16/int8 caches into per-thread scratch. OpenMP over (b, h).
void attention_all_heads(const float* qkv, int batch, int n, int p0, const KVCache& cache,
                         int layer, bool causal, float* out);

// ---- training (templated on the scalar; single-threaded per call) ----
// Full multi-head attention of one sample over all t tokens, Q/K/V already projected:
// q, k, v, out [t, NH*KD] (head h in columns h*KD .. h*KD+KD-1); probs [NH, t, t] saved for
// backward (masked entries 0 when causal).
template <class T>
void mha_forward(const T* q, const T* k, const T* v, int t, int nh, int kd, bool causal, T* probs,
                 T* out);
// dq, dk, dv [t, NH*KD] overwritten.
template <class T>
void mha_backward(const T* q, const T* k, const T* v, const T* probs, const T* dout, int t, int nh,
                  int kd, bool causal, T* dq, T* dk, T* dv);

}  // namespace dotakv::layers
