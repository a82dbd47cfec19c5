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

// ---- training ----

namespace {
template <class T>
using RowMatT = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using HeadIn = Eigen::Map<const RowMatT<T>, 0, Eigen::OuterStride<>>;
template <class T>
using HeadOut = Eigen::Map<RowMatT<T>, 0, Eigen::OuterStride<>>;
}  // namespace

template <class T>
void mha_forward(const T* q, const T* k, const T* v, int t, int nh, int kd, bool causal, T* probs,
                 T* out) {
  const long ld = long(nh) * kd;
  const T scale = T(1) / std::sqrt(T(kd));
  for (int h = 0; h < nh; ++h) {
    const std::size_t col = std::size_t(h) * kd;
    HeadIn<T> Q(q + col, t, kd, Eigen::OuterStride<>(ld)),
        K(k + col, t, kd, Eigen::OuterStride<>(ld)), V(v + col, t, kd, Eigen::OuterStride<>(ld));
    T* ph = probs + std::size_t(h) * t * t;
    Eigen::Map<RowMatT<T>> P(ph, t, t);
    P.noalias() = Q * K.transpose();
    for (int i = 0; i < t; ++i) {
      T* s = ph + std::size_t(i) * t;
      const int valid = causal ? i + 1 : t;
      T m = s[0] * scale;
      for (int j = 1; j < valid; ++j) m = std::max(m, s[j] * scale);
      T sum = 0;
      for (int j = 0; j < valid; ++j) {
        s[j] = std::exp(s[j] * scale - m);
        sum += s[j];
      }
      const T inv = T(1) / sum;
      for (int j = 0; j < valid; ++j) s[j] *= inv;
      for (int j = valid; j < t; ++j) s[j] = T(0);
    }
    HeadOut<T>(out + col, t, kd, Eigen::OuterStride<>(ld)).noalias() = P * V;
  }
}

template <class T>
void mha_backward(const T* q, const T* k, const T* v, const T* probs, const T* dout, int t, int nh,
                  int kd, bool causal, T* dq, T* dk, T* dv) {
  const long ld = long(nh) * kd;
  const T scale = T(1) / std::sqrt(T(kd));
  thread_local std::vector<T> buf;
  if (buf.size() < std::size_t(t) * t) buf.resize(std::size_t(t) * t);
  Eigen::Map<RowMatT<T>> D(buf.data(), t, t);
  for (int h = 0; h < nh; ++h) {
    const std::size_t col = std::size_t(h) * kd;
    const Eigen::OuterStride<> st(ld);
    HeadIn<T> Q(q + col, t, kd, st), K(k + col, t, kd, st), V(v + col, t, kd, st),
        DO(dout + col, t, kd, st);
    Eigen::Map<const RowMatT<T>> P(probs + std::size_t(h) * t * t, t, t);
    HeadOut<T>(dv + col, t, kd, st).noalias() = P.transpose() * DO;
    D.noalias() = DO * V.transpose();  // dP
    // dS = P * (dP - rowsum(dP * P)); masked entries have P = 0 so dS = 0 there
    for (int i = 0; i < t; ++i) {
      const int valid = causal ? i + 1 : t;
      T* d = buf.data() + std::size_t(i) * t;
      const T* p = probs + (std::size_t(h) * t + i) * t;
      T dot = 0;
      for (int j = 0; j < valid; ++j) dot += d[j] * p[j];
      for (int j = 0; j < valid; ++j) d[j] = p[j] * (d[j] - dot) * scale;
      for (int j = valid; j < t; ++j) d[j] = T(0);
    }
    HeadOut<T>(dq + col, t, kd, st).noalias() = D * K;
    HeadOut<T>(dk + col, t, kd, st).noalias() = D.transpose() * Q;
  }
}

template void mha_forward<float>(const float*, const float*, const float*, int, int, int, bool,
                                 float*, float*);
template void mha_forward<double>(const double*, const double*, const double*, int, int, int, bool,
                                  double*, double*);
template void mha_backward<float>(const float*, const float*, const float*, const float*,
                                  const float*, int, int, int, bool, float*, float*, float*);
template void mha_backward<double>(const double*, const double*, const double*, const double*,
                                   const double*, int, int, int, bool, double*, double*, double*);

}  // namespace dotakv::layers
