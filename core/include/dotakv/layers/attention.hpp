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

}  // namespace dotakv::layers
