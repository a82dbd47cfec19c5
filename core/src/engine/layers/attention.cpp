#include "dotakv/layers/attention.hpp"

#include <omp.h>

// GCC 12 reports a false -Wmaybe-uninitialized inside Eigen's AVX-512 transpose intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <vector>

namespace dotakv::layers {

using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Strided = Eigen::Map<const RowMat, 0, Eigen::OuterStride<>>;
using StridedOut = Eigen::Map<RowMat, 0, Eigen::OuterStride<>>;
using Dense = Eigen::Map<const RowMat>;

void attention_head(const float* q, long q_stride, int n, int p0, const float* keys,
                    const float* values, int L, int kd, bool causal, float* out, long out_stride,
                    float* scratch) {
  Strided Q(q, n, kd, Eigen::OuterStride<>(q_stride));
  Dense K(keys, L, kd), V(values, L, kd);
  Eigen::Map<RowMat> S(scratch, n, L);
  S.noalias() = Q * K.transpose();
  const float scale = 1.f / std::sqrt(float(kd));
  for (int i = 0; i < n; ++i) {
    float* s = scratch + std::size_t(i) * L;
    const int valid = causal ? std::min(L, p0 + i + 1) : L;
    float m = -INFINITY;
    for (int j = 0; j < valid; ++j) m = std::max(m, s[j] * scale);
    float sum = 0.f;
    for (int j = 0; j < valid; ++j) {
      s[j] = std::exp(s[j] * scale - m);
      sum += s[j];
    }
    const float inv = 1.f / sum;
    for (int j = 0; j < valid; ++j) s[j] *= inv;
    for (int j = valid; j < L; ++j) s[j] = 0.f;
  }
  StridedOut O(out, n, kd, Eigen::OuterStride<>(out_stride));
  O.noalias() = S * V;
}

void attention_all_heads(const float* qkv, int batch, int n, int p0, const KVCache& cache,
                         int layer, bool causal, float* out) {
  const int NH = cache.heads(), KD = cache.key_dim(), L = p0 + n;
  const long W = 3L * NH * KD, OW = long(NH) * KD;
  const bool direct = cache.precision() == KvPrecision::fp32;
  const int jobs = batch * NH;
#pragma omp parallel
  {
    std::vector<float> scratch(std::size_t(n) * L);
    std::vector<float> kbuf, vbuf;
    if (!direct) {
      kbuf.resize(std::size_t(L) * KD);
      vbuf.resize(std::size_t(L) * KD);
    }
#pragma omp for schedule(dynamic, 1)
    for (int job = 0; job < jobs; ++job) {
      const int b = job / NH, h = job % NH;
      const float *k, *v;
      if (direct) {
        k = cache.keys_fp32(layer, b, h);
        v = cache.values_fp32(layer, b, h);
      } else {
        cache.read_keys(layer, b, h, 0, L, kbuf.data());
        cache.read_values(layer, b, h, 0, L, vbuf.data());
        k = kbuf.data();
        v = vbuf.data();
      }
      attention_head(qkv + std::size_t(b) * n * W + std::size_t(h) * KD, W, n, p0, k, v, L, KD,
                     causal, out + std::size_t(b) * n * OW + std::size_t(h) * KD, OW,
                     scratch.data());
    }
  }
}

}  // namespace dotakv::layers
