#include "dotakv/layers/attention.hpp"

#include <omp.h>

// GCC 12 reports a false -Wmaybe-uninitialized inside Eigen's AVX-512 transpose intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "dotakv/error.hpp"

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

namespace {
// Per-thread scratch that only grows. Sized from the cache's max_tokens (not the current
// length), so the first call of a decoding run allocates and the following tokens do not.
struct AttentionScratch {
  std::vector<float> s, k, v;
};
AttentionScratch& thread_scratch(int n, const KVCache& cache) {
  thread_local AttentionScratch t;
  const std::size_t T = std::size_t(cache.max_tokens()), rows = T * cache.key_dim();
  if (t.s.size() < std::size_t(n) * T) t.s.resize(std::size_t(n) * T);
  if (cache.precision() != KvPrecision::fp32 && t.k.size() < rows) {
    t.k.resize(rows);
    t.v.resize(rows);
  }
  return t;
}
}  // namespace

void attention_rows(const float* q, long q_stride, int batch, int n, int p0, const KVCache& cache,
                    int layer, bool causal, float* out, long out_stride, const int* cache_sample,
                    int q_heads_per_kv) {
  const int G = q_heads_per_kv, KD = cache.key_dim();
  if (G < 1)
    throw ValueError("attention_rows: query heads per K/V head must be >= 1, found " +
                     std::to_string(G));
  const int NH = cache.heads() * G;  // query heads
  if (batch <= 0 || n <= 0) return;
  if (layer < 0 || layer >= cache.layers())
    throw ValueError("attention_rows: layer " + std::to_string(layer) + " outside the cache's " +
                     std::to_string(cache.layers()) + " layers");
  for (int b = 0; b < batch; ++b) {
    const int s = cache_sample ? cache_sample[b] : b;
    if (s < 0 || s >= cache.batch())
      throw ValueError("attention_rows: query sample " + std::to_string(b) +
                       " reads cache sample " + std::to_string(s) + ", the cache holds " +
                       std::to_string(cache.batch()));
    if (cache.length(layer, s) <= 0)
      throw ValueError("attention_rows: cache sample " + std::to_string(s) + " of layer " +
                       std::to_string(layer) + " holds no tokens");
  }
  const bool direct = cache.precision() == KvPrecision::fp32;
  const int jobs = batch * NH;
  auto run = [&](int job, AttentionScratch& scratch) {
    const int b = job / NH, h = job % NH;
    const int s = cache_sample ? cache_sample[b] : b;
    const int L = cache.length(layer, s);
    const float *k, *v;
    const int kvh = h / G;
    if (direct) {
      k = cache.keys_fp32(layer, s, kvh);
      v = cache.values_fp32(layer, s, kvh);
    } else {
      cache.read_keys(layer, s, kvh, 0, L, scratch.k.data());
      cache.read_values(layer, s, kvh, 0, L, scratch.v.data());
      k = scratch.k.data();
      v = scratch.v.data();
    }
    attention_head(q + std::size_t(b) * n * q_stride + std::size_t(h) * KD, q_stride, n, p0, k, v,
                   L, KD, causal, out + std::size_t(b) * n * out_stride + std::size_t(h) * KD,
                   out_stride, scratch.s.data());
  };
  // A parallel region of one thread still allocates its team in libgomp on every call: run
  // serially then (and inside an enclosing parallel region).
  if (jobs == 1 || omp_get_max_threads() == 1 || omp_in_parallel()) {
    AttentionScratch& scratch = thread_scratch(n, cache);
    for (int job = 0; job < jobs; ++job) run(job, scratch);
    return;
  }
#pragma omp parallel
  {
    // every thread of the team sizes its scratch, whether or not it gets a job this time
    AttentionScratch& scratch = thread_scratch(n, cache);
#pragma omp for schedule(dynamic, 1)
    for (int job = 0; job < jobs; ++job) run(job, scratch);
  }
}

void attention_all_heads(const float* qkv, int batch, int n, int p0, const KVCache& cache,
                         int layer, bool causal, float* out) {
  const long W = 3L * cache.heads() * cache.key_dim(), OW = long(cache.heads()) * cache.key_dim();
  attention_rows(qkv, W, batch, n, p0, cache, layer, causal, out, OW, nullptr);
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
void gqa_forward(const T* q, int tq, const T* k, const T* v, int tk, int nh, int nkv, int kd,
                 bool causal, T* probs, T* out) {
  if (causal && tq != tk)
    throw ValueError("mha_forward: causal attention needs as many queries as keys, found " +
                     std::to_string(tq) + " and " + std::to_string(tk));
  if (nkv < 1 || nh % nkv != 0)
    throw ValueError("gqa_forward: " + std::to_string(nkv) + " key/value heads do not divide " +
                     std::to_string(nh) + " query heads");
  const int G = nh / nkv;
  const long ld = long(nh) * kd, ldkv = long(nkv) * kd;
  const T scale = T(1) / std::sqrt(T(kd));
  for (int h = 0; h < nh; ++h) {
    const std::size_t col = std::size_t(h) * kd, kvcol = std::size_t(h / G) * kd;
    HeadIn<T> Q(q + col, tq, kd, Eigen::OuterStride<>(ld)),
        K(k + kvcol, tk, kd, Eigen::OuterStride<>(ldkv)),
        V(v + kvcol, tk, kd, Eigen::OuterStride<>(ldkv));
    T* ph = probs + std::size_t(h) * tq * tk;
    Eigen::Map<RowMatT<T>> P(ph, tq, tk);
    P.noalias() = Q * K.transpose();
    for (int i = 0; i < tq; ++i) {
      T* s = ph + std::size_t(i) * tk;
      const int valid = causal ? i + 1 : tk;
      T m = s[0] * scale;
      for (int j = 1; j < valid; ++j) m = std::max(m, s[j] * scale);
      T sum = 0;
      for (int j = 0; j < valid; ++j) {
        s[j] = std::exp(s[j] * scale - m);
        sum += s[j];
      }
      const T inv = T(1) / sum;
      for (int j = 0; j < valid; ++j) s[j] *= inv;
      for (int j = valid; j < tk; ++j) s[j] = T(0);
    }
    HeadOut<T>(out + col, tq, kd, Eigen::OuterStride<>(ld)).noalias() = P * V;
  }
}

template <class T>
void gqa_backward(const T* q, int tq, const T* k, const T* v, int tk, const T* probs, const T* dout,
                  int nh, int nkv, int kd, bool causal, T* dq, T* dk, T* dv) {
  if (causal && tq != tk)
    throw ValueError("mha_backward: causal attention needs as many queries as keys, found " +
                     std::to_string(tq) + " and " + std::to_string(tk));
  if (nkv < 1 || nh % nkv != 0)
    throw ValueError("gqa_backward: " + std::to_string(nkv) + " key/value heads do not divide " +
                     std::to_string(nh) + " query heads");
  const int G = nh / nkv;
  const long ld = long(nh) * kd, ldkv = long(nkv) * kd;
  const T scale = T(1) / std::sqrt(T(kd));
  thread_local std::vector<T> buf;
  if (buf.size() < std::size_t(tq) * tk) buf.resize(std::size_t(tq) * tk);
  Eigen::Map<RowMatT<T>> D(buf.data(), tq, tk);
  for (int h = 0; h < nh; ++h) {
    const std::size_t col = std::size_t(h) * kd, kvcol = std::size_t(h / G) * kd;
    const bool first = h % G == 0;  // the first query head of its group assigns dK/dV
    const Eigen::OuterStride<> st(ld), stkv(ldkv);
    HeadIn<T> Q(q + col, tq, kd, st), K(k + kvcol, tk, kd, stkv), V(v + kvcol, tk, kd, stkv),
        DO(dout + col, tq, kd, st);
    Eigen::Map<const RowMatT<T>> P(probs + std::size_t(h) * tq * tk, tq, tk);
    HeadOut<T> DV(dv + kvcol, tk, kd, stkv), DK(dk + kvcol, tk, kd, stkv);
    if (first)
      DV.noalias() = P.transpose() * DO;
    else
      DV.noalias() += P.transpose() * DO;
    D.noalias() = DO * V.transpose();  // dP
    // dS = P * (dP - rowsum(dP * P)); masked entries have P = 0 so dS = 0 there
    for (int i = 0; i < tq; ++i) {
      const int valid = causal ? i + 1 : tk;
      T* d = buf.data() + std::size_t(i) * tk;
      const T* p = probs + (std::size_t(h) * tq + i) * tk;
      T dot = 0;
      for (int j = 0; j < valid; ++j) dot += d[j] * p[j];
      for (int j = 0; j < valid; ++j) d[j] = p[j] * (d[j] - dot) * scale;
      for (int j = valid; j < tk; ++j) d[j] = T(0);
    }
    HeadOut<T>(dq + col, tq, kd, st).noalias() = D * K;
    if (first)
      DK.noalias() = D.transpose() * Q;
    else
      DK.noalias() += D.transpose() * Q;
  }
}

template <class T>
void mha_forward(const T* q, int tq, const T* k, const T* v, int tk, int nh, int kd, bool causal,
                 T* probs, T* out) {
  gqa_forward(q, tq, k, v, tk, nh, nh, kd, causal, probs, out);
}

template <class T>
void mha_backward(const T* q, int tq, const T* k, const T* v, int tk, const T* probs, const T* dout,
                  int nh, int kd, bool causal, T* dq, T* dk, T* dv) {
  gqa_backward(q, tq, k, v, tk, probs, dout, nh, nh, kd, causal, dq, dk, dv);
}

template <class T>
void mha_forward(const T* q, const T* k, const T* v, int t, int nh, int kd, bool causal, T* probs,
                 T* out) {
  mha_forward(q, t, k, v, t, nh, kd, causal, probs, out);
}

template <class T>
void mha_backward(const T* q, const T* k, const T* v, const T* probs, const T* dout, int t, int nh,
                  int kd, bool causal, T* dq, T* dk, T* dv) {
  mha_backward(q, t, k, v, t, probs, dout, nh, kd, causal, dq, dk, dv);
}

template void gqa_forward<float>(const float*, int, const float*, const float*, int, int, int, int,
                                 bool, float*, float*);
template void gqa_forward<double>(const double*, int, const double*, const double*, int, int, int,
                                  int, bool, double*, double*);
template void gqa_backward<float>(const float*, int, const float*, const float*, int, const float*,
                                  const float*, int, int, int, bool, float*, float*, float*);
template void gqa_backward<double>(const double*, int, const double*, const double*, int,
                                   const double*, const double*, int, int, int, bool, double*,
                                   double*, double*);
template void mha_forward<float>(const float*, const float*, const float*, int, int, int, bool,
                                 float*, float*);
template void mha_forward<double>(const double*, const double*, const double*, int, int, int, bool,
                                  double*, double*);
template void mha_backward<float>(const float*, const float*, const float*, const float*,
                                  const float*, int, int, int, bool, float*, float*, float*);
template void mha_backward<double>(const double*, const double*, const double*, const double*,
                                   const double*, int, int, int, bool, double*, double*, double*);
template void mha_forward<float>(const float*, int, const float*, const float*, int, int, int, bool,
                                 float*, float*);
template void mha_forward<double>(const double*, int, const double*, const double*, int, int, int,
                                  bool, double*, double*);
template void mha_backward<float>(const float*, int, const float*, const float*, int, const float*,
                                  const float*, int, int, bool, float*, float*, float*);
template void mha_backward<double>(const double*, int, const double*, const double*, int,
                                   const double*, const double*, int, int, bool, double*, double*,
                                   double*);

}  // namespace dotakv::layers
