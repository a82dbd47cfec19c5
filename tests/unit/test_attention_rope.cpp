// The layers shared by DoTA, digits and the later language model, against plain loop-based
// reference implementations written here (double accumulation):
//   - RoPE (rotate-half): table, inference in place (strided rows, per-row positions), the
//     float training forward equal to inference, relative-position and norm properties, the
//     double backward against central finite differences;
//   - attention_rows through the KV cache: per-sample lengths, cache_sample sharing (beams on
//     one image's cross-attention cache), causal with p0 > 0, fp32/fp16/int8 storage;
//   - mha_forward/mha_backward with tq != tk (cross-attention) and finite differences;
//   - softmax cross-entropy (ignore_index) and log_softmax_rows;
//   - decoding allocates nothing per token: operator new/delete (and, outside sanitizer
//     builds, malloc/calloc/realloc) are replaced in this executable by counting versions.
#include <omp.h>

#include <QtTest>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <new>
#include <numeric>
#include <random>
#include <vector>

#include "dotakv/error.hpp"
#include "dotakv/kv_cache.hpp"
#include "dotakv/layers/attention.hpp"
#include "dotakv/layers/rope.hpp"
#include "dotakv/train/loss.hpp"

// ---- allocation counting (this executable only) ----
namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_news{0}, g_mallocs{0};
}  // namespace

#if defined(__SANITIZE_ADDRESS__)
#define DOTAKV_COUNT_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DOTAKV_COUNT_MALLOC 0
#endif
#endif
#ifndef DOTAKV_COUNT_MALLOC
#define DOTAKV_COUNT_MALLOC 1
#endif

#if DOTAKV_COUNT_MALLOC
// glibc supports replacing malloc by interposition; these forward to glibc's own allocator, so
// memory from memalign/posix_memalign (not replaced) can be freed here too. They also see
// allocations of Eigen (aligned_malloc -> malloc) and libgomp.
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void __libc_free(void*);
void* malloc(std::size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_mallocs.fetch_add(1);
  return __libc_malloc(n);
}
void* calloc(std::size_t a, std::size_t b) {
  if (g_counting.load(std::memory_order_relaxed)) g_mallocs.fetch_add(1);
  return __libc_calloc(a, b);
}
void* realloc(void* p, std::size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_mallocs.fetch_add(1);
  return __libc_realloc(p, n);
}
void free(void* p) {
  __libc_free(p);
}
}
#endif

void* operator new(std::size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_news.fetch_add(1);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  return operator new(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  if (g_counting.load(std::memory_order_relaxed)) g_news.fetch_add(1);
  return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept {
  return operator new(n, t);
}
void* operator new(std::size_t n, std::align_val_t a) {
  if (g_counting.load(std::memory_order_relaxed)) g_news.fetch_add(1);
  const std::size_t al = std::max(std::size_t(a), sizeof(void*));
  void* p = nullptr;
  if (posix_memalign(&p, al, n ? n : 1) != 0) throw std::bad_alloc();
  return p;
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return operator new(n, a);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}

using namespace dotakv;
using namespace dotakv::layers;
using Vec = std::vector<float>;
using VecD = std::vector<double>;

namespace {

Vec rnd(std::size_t n, unsigned seed, float lo = -1.f, float hi = 1.f) {
  std::mt19937 g(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  Vec v(n);
  for (auto& x : v) x = u(g);
  return v;
}
VecD rndd(std::size_t n, unsigned seed, double lo = -1.0, double hi = 1.0) {
  std::mt19937 g(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  VecD v(n);
  for (auto& x : v) x = u(g);
  return v;
}
double dot(const VecD& a, const VecD& b) {
  return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

// max |got - ref| <= rel * max |ref|; returns the measured ratio (for the tolerance messages)
template <class A, class B>
double rel_diff(const A& got, const B& ref) {
  double d = 0, scale = 1e-30;
  for (std::size_t i = 0; i < got.size(); ++i) {
    d = std::max(d, std::fabs(double(got[i]) - double(ref[i])));
    scale = std::max(scale, std::fabs(double(ref[i])));
  }
  return d / scale;
}
#define EXPECT_REL(got, ref, rel, what)                                                           \
  do {                                                                                            \
    QCOMPARE((got).size(), (ref).size());                                                         \
    const double r_ = rel_diff(got, ref);                                                         \
    if (!(r_ <= (rel)))                                                                           \
      QFAIL(qPrintable(QString("%1: max diff / max|ref| = %2 > %3").arg(what).arg(r_).arg(rel))); \
  } while (0)

struct Param {
  const char* name;
  VecD* value;
  const VecD* grad;
};
// Central differences (eps 1e-6) of L = sum(R * forward()) for every element of every param;
// fails when max|analytic - numeric| / max(1e-8, max|numeric|) >= 1e-6.
void grad_check(const std::function<VecD()>& forward, const VecD& R, const std::vector<Param>& ps,
                const QString& what) {
  const double eps = 1e-6;
  for (const Param& p : ps) {
    VecD& v = *p.value;
    QCOMPARE(p.grad->size(), v.size());
    double err = 0, mag = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const double keep = v[i];
      v[i] = keep + eps;
      const double lp = dot(R, forward());
      v[i] = keep - eps;
      const double lm = dot(R, forward());
      v[i] = keep;
      const double num = (lp - lm) / (2 * eps);
      err = std::max(err, std::fabs((*p.grad)[i] - num));
      mag = std::max(mag, std::fabs(num));
    }
    const double rel = err / std::max(1e-8, mag);
    if (!(rel < 1e-6))
      QFAIL(qPrintable(
          QString("%1 d/d%2: rel err %3 (max abs err %4)").arg(what, p.name).arg(rel).arg(err)));
  }
}

// ---- reference implementations (loops, double) ----

// RoPE rotate-half over x [t, heads*hd], row r at position pos[r].
VecD ref_rope(const std::vector<double>& x, int t, int heads, int hd, const std::vector<int>& pos,
              double theta) {
  VecD y(x.size());
  const int half = hd / 2;
  for (int r = 0; r < t; ++r)
    for (int h = 0; h < heads; ++h)
      for (int i = 0; i < half; ++i) {
        const double a = pos[std::size_t(r)] * std::pow(theta, -2.0 * i / hd);
        const std::size_t o = std::size_t(r) * heads * hd + std::size_t(h) * hd;
        const double x0 = x[o + i], x1 = x[o + i + half];
        y[o + i] = x0 * std::cos(a) - x1 * std::sin(a);
        y[o + i + half] = x1 * std::cos(a) + x0 * std::sin(a);
      }
  return y;
}

// Multi-head attention of queries q [tq, nh*kd] (query i at position p0 + i) over keys/values
// k, v [tk, nh*kd]; causal masks key j > p0 + i. Returns [tq, nh*kd].
VecD ref_attention(const VecD& q, int tq, const VecD& k, const VecD& v, int tk, int nh, int kd,
                   bool causal, int p0) {
  VecD out(std::size_t(tq) * nh * kd, 0.0);
  const int ld = nh * kd;
  for (int h = 0; h < nh; ++h)
    for (int i = 0; i < tq; ++i) {
      const int valid = causal ? std::min(tk, p0 + i + 1) : tk;
      std::vector<double> s(static_cast<std::size_t>(valid));
      double m = -1e300;
      for (int j = 0; j < valid; ++j) {
        double d = 0;
        for (int c = 0; c < kd; ++c)
          d += q[std::size_t(i) * ld + h * kd + c] * k[std::size_t(j) * ld + h * kd + c];
        s[std::size_t(j)] = d / std::sqrt(double(kd));
        m = std::max(m, s[std::size_t(j)]);
      }
      double z = 0;
      for (auto& e : s) z += (e = std::exp(e - m));
      for (int j = 0; j < valid; ++j)
        for (int c = 0; c < kd; ++c)
          out[std::size_t(i) * ld + h * kd + c] +=
              s[std::size_t(j)] / z * v[std::size_t(j) * ld + h * kd + c];
    }
  return out;
}

// mean over counted rows of -log softmax[target]; grads (softmax - onehot)/count
double ref_ce(const VecD& x, int rows, int vocab, const std::vector<int>& tg, int ignore, VecD* g) {
  int count = 0;
  for (int r = 0; r < rows; ++r) count += tg[std::size_t(r)] != ignore;
  double loss = 0;
  if (g) g->assign(x.size(), 0.0);
  for (int r = 0; r < rows; ++r) {
    if (tg[std::size_t(r)] == ignore) continue;
    double z = 0;
    for (int j = 0; j < vocab; ++j) z += std::exp(x[std::size_t(r) * vocab + j]);
    loss += std::log(z) - x[std::size_t(r) * vocab + tg[std::size_t(r)]];
    if (g)
      for (int j = 0; j < vocab; ++j)
        (*g)[std::size_t(r) * vocab + j] =
            (std::exp(x[std::size_t(r) * vocab + j]) / z - (j == tg[std::size_t(r)])) / count;
  }
  return count ? loss / count : 0.0;
}

VecD to_double(const Vec& v) {
  return VecD(v.begin(), v.end());
}

// fills cache (layer, sample) with n tokens of k/v [n, NH*KD]
void put(KVCache& c, int layer, int sample, const Vec& k, const Vec& v) {
  const int w = c.heads() * c.key_dim();
  c.append(layer, sample, int(k.size() / w), k.data(), v.data(), w);
}

}  // namespace

class TestAttentionRope : public QObject {
  Q_OBJECT
 private slots:
  // ---- RoPE ----
  void ropeConventionIsRotateHalf() {
    // HD = 4: pairs (0, 2) at angle p and (1, 3) at angle p / 100 (theta^(-2/4) = 1/100)
    const RopeTable t(8, 4);
    Vec x{1.f, 0.f, 0.f, 0.f};
    rope_apply(t, x.data(), 4, 1, 3, 1);
    QVERIFY(std::fabs(x[0] - float(std::cos(3.0))) < 1e-7f);
    QCOMPARE(x[1], 0.f);
    QVERIFY(std::fabs(x[2] - float(std::sin(3.0))) < 1e-7f);  // rotate-half partner, not x[1]
    QCOMPARE(x[3], 0.f);
    Vec y{0.f, 1.f, 0.f, 0.f};
    rope_apply(t, y.data(), 4, 1, 3, 1);
    QVERIFY(std::fabs(y[1] - float(std::cos(0.03))) < 1e-7f);
    QVERIFY(std::fabs(y[3] - float(std::sin(0.03))) < 1e-7f);
    // position 0 is the identity
    Vec z = rnd(4, 1);
    const Vec z0 = z;
    rope_apply(t, z.data(), 4, 1, 0, 1);
    QCOMPARE(z, z0);
  }

  void ropeTableAndInferenceMatchReference() {
    const int P = 40, HD = 16, NH = 3, t = 5, pos0 = 31;
    const float theta = 500.f;
    const RopeTable tab(P, HD, theta);
    QCOMPARE(tab.max_pos(), P);
    QCOMPARE(tab.head_dim(), HD);
    for (int p : {0, 1, 17, P - 1})
      for (int i = 0; i < HD / 2; ++i) {
        const double a = p * std::pow(double(theta), -2.0 * i / HD);
        QCOMPARE(tab.cos_row(p)[i], float(std::cos(a)));
        QCOMPARE(tab.sin_row(p)[i], float(std::sin(a)));
      }
    // rows strided inside a fused QKV-like buffer: only the first NH*HD columns are rotated
    const long stride = 3L * NH * HD + 5;
    Vec buf = rnd(std::size_t(t) * stride, 2, -2.f, 2.f);
    const Vec orig = buf;
    rope_apply(tab, buf.data(), stride, t, pos0, NH);
    VecD x(std::size_t(t) * NH * HD);
    for (int r = 0; r < t; ++r)
      for (int c = 0; c < NH * HD; ++c) x[std::size_t(r) * NH * HD + c] = orig[r * stride + c];
    std::vector<int> pos(t);
    std::iota(pos.begin(), pos.end(), pos0);
    const VecD ref = ref_rope(x, t, NH, HD, pos, theta);
    Vec got(ref.size());
    for (int r = 0; r < t; ++r)
      for (int c = 0; c < stride; ++c) {
        if (c < NH * HD)
          got[std::size_t(r) * NH * HD + c] = buf[r * stride + c];
        else
          QCOMPARE(buf[r * stride + c], orig[r * stride + c]);  // untouched
      }
    EXPECT_REL(got, ref, 1e-6, "rope_apply");
    // per-row positions: the same positions give the same bits; shuffled ones match the reference
    Vec buf2 = orig;
    rope_apply_positions(tab, buf2.data(), stride, t, pos.data(), NH);
    QCOMPARE(buf2, buf);
    std::vector<int> pos2{7, 0, 39, 7, 12};
    buf2 = orig;
    rope_apply_positions(tab, buf2.data(), stride, t, pos2.data(), NH);
    for (int r = 0; r < t; ++r)
      for (int c = 0; c < NH * HD; ++c) got[std::size_t(r) * NH * HD + c] = buf2[r * stride + c];
    EXPECT_REL(got, ref_rope(x, t, NH, HD, pos2, theta), 1e-6, "rope_apply_positions");
    // the float training forward is the inference rotation, bit for bit
    Vec xf(x.begin(), x.end()), yf(xf.size());
    rope_forward<float>(xf.data(), t, NH, HD, pos0, theta, yf.data());
    for (int r = 0; r < t; ++r)
      for (int c = 0; c < NH * HD; ++c)
        QCOMPARE(yf[std::size_t(r) * NH * HD + c], buf[r * stride + c]);
    rope_forward<float>(xf.data(), t, NH, HD, pos0, theta, xf.data());  // in place
    QCOMPARE(xf, yf);
    // errors
    QVERIFY_THROWS_EXCEPTION(ValueError, rope_apply(tab, buf.data(), stride, 2, P - 1, NH));
    QVERIFY_THROWS_EXCEPTION(ValueError, rope_apply(tab, buf.data(), stride, 1, -1, NH));
    std::vector<int> bad{3, P};
    QVERIFY_THROWS_EXCEPTION(ValueError,
                             rope_apply_positions(tab, buf.data(), stride, 2, bad.data(), NH));
    QVERIFY_THROWS_EXCEPTION(ValueError, RopeTable(4, 5));
    QVERIFY_THROWS_EXCEPTION(ValueError, RopeTable(0, 4));
    QVERIFY_THROWS_EXCEPTION(ValueError,
                             rope_forward<float>(xf.data(), 1, 1, 3, 0, 1e4f, yf.data()));
  }

  void ropeRelativePositionAndNorm() {
    const int HD = 12, NH = 2, W = NH * HD;
    const VecD q = rndd(W, 3), k = rndd(W, 4);
    auto at = [&](const VecD& x, int p) {
      VecD y(x.size());
      rope_forward<double>(x.data(), 1, NH, HD, p, 10000.0, y.data());
      return y;
    };
    // q_m . k_n depends only on m - n (per head)
    for (int delta : {-5, 0, 3, 20})
      for (int h = 0; h < NH; ++h) {
        double first = 0;
        bool have = false;
        for (int n : {0, 7, 25, 100}) {
          const int m = n + delta;
          if (m < 0) continue;
          const VecD qm = at(q, m), kn = at(k, n);
          double d = 0;
          for (int c = 0; c < HD; ++c) d += qm[h * HD + c] * kn[h * HD + c];
          if (!have) {
            first = d;
            have = true;
          }
          QVERIFY2(std::fabs(d - first) < 1e-12, qPrintable(QString("delta %1").arg(delta)));
        }
      }
    // norm preservation per head
    for (int p : {1, 9, 1000}) {
      const VecD y = at(q, p);
      for (int h = 0; h < NH; ++h) {
        double a = 0, b = 0;
        for (int c = 0; c < HD; ++c) {
          a += q[h * HD + c] * q[h * HD + c];
          b += y[h * HD + c] * y[h * HD + c];
        }
        QVERIFY(std::fabs(a - b) < 1e-12 * a);
      }
    }
  }

  void ropeBackwardFiniteDifferences() {
    const int t = 4, NH = 2, HD = 6, pos0 = 5;
    VecD x = rndd(std::size_t(t) * NH * HD, 5, -2, 2);
    const VecD R = rndd(x.size(), 6);
    auto fwd = [&] {
      VecD y(x.size());
      rope_forward<double>(x.data(), t, NH, HD, pos0, 100.0, y.data());
      return y;
    };
    VecD dx(x.size(), 7.0);
    rope_backward<double>(R.data(), t, NH, HD, pos0, 100.0, dx.data());
    grad_check(fwd, R, {{"x", &x, &dx}}, "rope");
    // in place (dx aliases dy)
    VecD d2 = R;
    rope_backward<double>(d2.data(), t, NH, HD, pos0, 100.0, d2.data());
    QCOMPARE(d2, dx);
    // backward undoes forward (orthogonal)
    const VecD y = fwd();
    VecD back(y.size());
    rope_backward<double>(y.data(), t, NH, HD, pos0, 100.0, back.data());
    EXPECT_REL(back, x, 1e-14, "rope inverse");
  }

  // ---- attention through the KV cache ----
  void attentionRowsMatchesReference_data() {
    QTest::addColumn<int>("precision");
    QTest::addColumn<double>("tol");
    // fp16: 11-bit significands of K/V; int8: half a step of max|row|/127 per element
    // (measured: fp32 1.8e-7, fp16 3.7e-4, int8 7.1e-3)
    QTest::newRow("fp32") << int(KvPrecision::fp32) << 1e-5;
    QTest::newRow("fp16") << int(KvPrecision::fp16) << 2e-3;
    QTest::newRow("int8") << int(KvPrecision::int8) << 3e-2;
  }
  void attentionRowsMatchesReference() {
    QFETCH(int, precision);
    QFETCH(double, tol);
    const int NH = 3, KD = 8, W = NH * KD, T = 20;
    const KvPrecision prec = KvPrecision(precision);
    double worst = 0;  // largest max|diff| / max|ref| seen, reported at the end

    // (1) cross-attention: 3 samples of different lengths, n = 2 queries each, not causal
    {
      const int B = 3, n = 2;
      const int lens[B] = {5, 11, 1};
      KVCache c;
      c.reserve(2, B, NH, T, KD, prec);
      std::vector<Vec> K, V;
      for (int b = 0; b < B; ++b) {
        K.push_back(rnd(std::size_t(lens[b]) * W, 10 + b, -2.f, 2.f));
        V.push_back(rnd(std::size_t(lens[b]) * W, 20 + b));
        put(c, 1, b, K.back(), V.back());
      }
      const long qs = W + 3, os = W + 2;
      const Vec q = rnd(std::size_t(B) * n * qs, 30, -2.f, 2.f);
      Vec out(std::size_t(B) * n * os, 42.f);
      attention_rows(q.data(), qs, B, n, 0, c, 1, false, out.data(), os);
      for (int b = 0; b < B; ++b) {
        VecD qb(std::size_t(n) * W);
        for (int i = 0; i < n; ++i)
          for (int j = 0; j < W; ++j) qb[std::size_t(i) * W + j] = q[(b * n + i) * qs + j];
        const VecD ref =
            ref_attention(qb, n, to_double(K[b]), to_double(V[b]), lens[b], NH, KD, false, 0);
        Vec got(ref.size());
        for (int i = 0; i < n; ++i)
          for (int j = 0; j < os; ++j) {
            if (j < W)
              got[std::size_t(i) * W + j] = out[(b * n + i) * os + j];
            else
              QCOMPARE(out[(b * n + i) * os + j], 42.f);  // padding untouched
          }
        worst = std::max(worst, rel_diff(got, ref));
        EXPECT_REL(got, ref, tol, QString("cross, sample %1 (L = %2)").arg(b).arg(lens[b]));
      }
      // errors: a sample without tokens (layer 0 is empty), a cache sample out of range
      QVERIFY_THROWS_EXCEPTION(ValueError,
                               attention_rows(q.data(), qs, B, n, 0, c, 0, false, out.data(), os));
      const int bad[2] = {0, 3};
      QVERIFY_THROWS_EXCEPTION(
          ValueError, attention_rows(q.data(), qs, 2, n, 0, c, 1, false, out.data(), os, bad));
      QVERIFY_THROWS_EXCEPTION(ValueError,
                               attention_rows(q.data(), qs, 1, n, 0, c, 2, false, out.data(), os));
    }

    // (2) beams sharing the images' cache: B = 2 images x Wb = 3 beams, cache_sample[b*3+w] = b
    {
      const int B = 2, Wb = 3, n = 1;
      const int lens[B] = {7, 4};
      KVCache c;
      c.reserve(1, B, NH, T, KD, prec);
      std::vector<Vec> K, V;
      for (int b = 0; b < B; ++b) {
        K.push_back(rnd(std::size_t(lens[b]) * W, 40 + b, -2.f, 2.f));
        V.push_back(rnd(std::size_t(lens[b]) * W, 50 + b));
        put(c, 0, b, K.back(), V.back());
      }
      std::vector<int> cs(B * Wb);
      for (int b = 0; b < B; ++b)
        for (int w = 0; w < Wb; ++w) cs[b * Wb + w] = b;
      const Vec q = rnd(std::size_t(B) * Wb * W, 60, -2.f, 2.f);
      Vec out(q.size());
      attention_rows(q.data(), W, B * Wb, n, 0, c, 0, false, out.data(), W, cs.data());
      for (int r = 0; r < B * Wb; ++r) {
        const int b = cs[r];
        const VecD qb(q.begin() + r * W, q.begin() + (r + 1) * W);
        const VecD ref =
            ref_attention(qb, 1, to_double(K[b]), to_double(V[b]), lens[b], NH, KD, false, 0);
        const Vec got(out.begin() + r * W, out.begin() + (r + 1) * W);
        worst = std::max(worst, rel_diff(got, ref));
        EXPECT_REL(got, ref, tol, QString("beam row %1 on image %2").arg(r).arg(b));
      }
    }

    // (3) causal self-attention with p0 > 0, queries in a fused QKV buffer; attention_all_heads
    //     is the same computation
    {
      const int B = 2, n = 3, p0 = 4, L = p0 + n, QW = 3 * W;
      KVCache c;
      c.reserve(1, B, NH, T, KD, prec);
      const Vec qkv = rnd(std::size_t(B) * n * QW, 70, -2.f, 2.f);
      std::vector<Vec> K, V;
      for (int b = 0; b < B; ++b) {
        Vec k = rnd(std::size_t(L) * W, 80 + b, -2.f, 2.f), v = rnd(std::size_t(L) * W, 90 + b);
        // the last n tokens are the new ones, taken from the fused buffer
        for (int i = 0; i < n; ++i)
          for (int j = 0; j < W; ++j) {
            k[std::size_t(p0 + i) * W + j] = qkv[(b * n + i) * QW + W + j];
            v[std::size_t(p0 + i) * W + j] = qkv[(b * n + i) * QW + 2 * W + j];
          }
        c.append(0, b, p0, k.data(), v.data(), W);
        c.append(0, b, n, &qkv[std::size_t(b) * n * QW + W], &qkv[std::size_t(b) * n * QW + 2 * W],
                 QW);
        K.push_back(k);
        V.push_back(v);
      }
      Vec out(std::size_t(B) * n * W), out2(out.size());
      attention_rows(qkv.data(), QW, B, n, p0, c, 0, true, out.data(), W);
      attention_all_heads(qkv.data(), B, n, p0, c, 0, true, out2.data());
      QCOMPARE(out2, out);
      for (int b = 0; b < B; ++b) {
        VecD qb(std::size_t(n) * W);
        for (int i = 0; i < n; ++i)
          for (int j = 0; j < W; ++j) qb[std::size_t(i) * W + j] = qkv[(b * n + i) * QW + j];
        const VecD ref =
            ref_attention(qb, n, to_double(K[b]), to_double(V[b]), L, NH, KD, true, p0);
        const Vec got(out.begin() + b * n * W, out.begin() + (b + 1) * n * W);
        worst = std::max(worst, rel_diff(got, ref));
        EXPECT_REL(got, ref, tol, QString("causal p0 = %1, sample %2").arg(p0).arg(b));
      }
    }
    qInfo("attention_rows %s cache: worst max|diff| / max|ref| = %.3g (tolerance %.3g)",
          qPrintable(QString::fromStdString(to_string(prec))), worst, tol);
  }

  // ---- training: cross-attention ----
  void mhaCrossForwardMatchesReference() {
    const int tq = 3, tk = 7, nh = 2, kd = 4, W = nh * kd;
    const Vec q = rnd(std::size_t(tq) * W, 100, -2.f, 2.f),
              k = rnd(std::size_t(tk) * W, 101, -2.f, 2.f), v = rnd(std::size_t(tk) * W, 102);
    Vec probs(std::size_t(nh) * tq * tk, 9.f), o(std::size_t(tq) * W);
    mha_forward<float>(q.data(), tq, k.data(), v.data(), tk, nh, kd, false, probs.data(), o.data());
    EXPECT_REL(o, ref_attention(to_double(q), tq, to_double(k), to_double(v), tk, nh, kd, false, 0),
               1e-5, "mha cross");
    for (int r = 0; r < nh * tq; ++r) {
      double s = 0;
      for (int j = 0; j < tk; ++j) s += probs[std::size_t(r) * tk + j];
      QVERIFY(std::fabs(s - 1.0) < 1e-5);
    }
    // the self-attention overload is the tq == tk case, bit for bit
    for (bool causal : {false, true}) {
      const Vec kk(k.begin(), k.begin() + tq * W), vv(v.begin(), v.begin() + tq * W);
      Vec p1(std::size_t(nh) * tq * tq), o1(o.size()), p2(p1.size()), o2(o.size());
      mha_forward<float>(q.data(), kk.data(), vv.data(), tq, nh, kd, causal, p1.data(), o1.data());
      mha_forward<float>(q.data(), tq, kk.data(), vv.data(), tq, nh, kd, causal, p2.data(),
                         o2.data());
      QCOMPARE(o1, o2);
      QCOMPARE(p1, p2);
    }
    QVERIFY_THROWS_EXCEPTION(ValueError, mha_forward<float>(q.data(), tq, k.data(), v.data(), tk,
                                                            nh, kd, true, probs.data(), o.data()));
  }

  void mhaCrossGradients() {
    const int tq = 3, tk = 5, nh = 2, kd = 3, W = nh * kd;
    VecD q = rndd(std::size_t(tq) * W, 110, -1.5, 1.5),
         k = rndd(std::size_t(tk) * W, 111, -1.5, 1.5), v = rndd(std::size_t(tk) * W, 112);
    const VecD R = rndd(std::size_t(tq) * W, 113);
    VecD probs(std::size_t(nh) * tq * tk);
    auto fwd = [&] {
      VecD o(R.size());
      mha_forward<double>(q.data(), tq, k.data(), v.data(), tk, nh, kd, false, probs.data(),
                          o.data());
      return o;
    };
    EXPECT_REL(fwd(), ref_attention(q, tq, k, v, tk, nh, kd, false, 0), 1e-12, "mha cross double");
    fwd();
    VecD dq(q.size(), 5.0), dk(k.size(), 5.0), dv(v.size(), 5.0);
    mha_backward<double>(q.data(), tq, k.data(), v.data(), tk, probs.data(), R.data(), nh, kd,
                         false, dq.data(), dk.data(), dv.data());
    grad_check(fwd, R, {{"q", &q, &dq}, {"k", &k, &dk}, {"v", &v, &dv}}, "mha cross");
    QVERIFY_THROWS_EXCEPTION(
        ValueError, mha_backward<double>(q.data(), tq, k.data(), v.data(), tk, probs.data(),
                                         R.data(), nh, kd, true, dq.data(), dk.data(), dv.data()));
  }

  // ---- softmax cross-entropy ----
  void crossEntropyMatchesReference() {
    const int rows = 6, vocab = 13, ignore = -100;
    const std::vector<int> tg{3, ignore, 0, 12, ignore, 7};
    const Vec x = rnd(std::size_t(rows) * vocab, 120, -4.f, 4.f);
    VecD gref;
    const double lref = ref_ce(to_double(x), rows, vocab, tg, ignore, &gref);
    Vec g(x.size(), 3.f);
    int counted = -1;
    const float l = train::softmax_cross_entropy<float>(x.data(), rows, vocab, tg.data(), ignore,
                                                        g.data(), &counted);
    QCOMPARE(counted, 4);
    QVERIFY(std::fabs(l - lref) < 1e-6 * std::fabs(lref));
    EXPECT_REL(g, gref, 1e-6, "ce grad");
    for (int j = 0; j < vocab; ++j) {
      QCOMPARE(g[1 * vocab + j], 0.f);  // ignored rows
      QCOMPARE(g[4 * vocab + j], 0.f);
    }
    // value without gradient; in place gradient
    QCOMPARE(train::softmax_cross_entropy<float>(x.data(), rows, vocab, tg.data(), ignore, nullptr,
                                                 nullptr),
             l);
    Vec xi = x;
    train::softmax_cross_entropy<float>(xi.data(), rows, vocab, tg.data(), ignore, xi.data(),
                                        nullptr);
    QCOMPARE(xi, g);
    // stable for large logits (max subtracted)
    Vec big = x;
    for (auto& e : big) e += 1000.f;
    const float lb = train::softmax_cross_entropy<float>(big.data(), rows, vocab, tg.data(), ignore,
                                                         nullptr, nullptr);
    QVERIFY(std::isfinite(lb));
    QVERIFY(std::fabs(lb - lref) < 1e-3);
    // nothing counted: 0 and zero gradients
    const std::vector<int> none(rows, ignore);
    Vec gz(x.size(), 1.f);
    QCOMPARE(train::softmax_cross_entropy<float>(x.data(), rows, vocab, none.data(), ignore,
                                                 gz.data(), &counted),
             0.f);
    QCOMPARE(counted, 0);
    QVERIFY(std::all_of(gz.begin(), gz.end(), [](float e) { return e == 0.f; }));
    // a target outside the vocabulary
    std::vector<int> bad = tg;
    bad[2] = vocab;
    QVERIFY_THROWS_EXCEPTION(
        ValueError, train::softmax_cross_entropy<float>(x.data(), rows, vocab, bad.data(), ignore,
                                                        g.data(), nullptr));
    bad[2] = -1;
    QVERIFY_THROWS_EXCEPTION(
        ValueError, train::softmax_cross_entropy<float>(x.data(), rows, vocab, bad.data(), ignore,
                                                        g.data(), nullptr));
    // log_softmax_rows: reference, rows exponentiate to 1, in place
    Vec ls(x.size());
    train::log_softmax_rows<float>(x.data(), rows, vocab, ls.data());
    for (int r = 0; r < rows; ++r) {
      double z = 0, s = 0;
      for (int j = 0; j < vocab; ++j) z += std::exp(double(x[std::size_t(r) * vocab + j]));
      for (int j = 0; j < vocab; ++j) {
        const double e = double(x[std::size_t(r) * vocab + j]) - std::log(z);
        QVERIFY(std::fabs(ls[std::size_t(r) * vocab + j] - e) < 1e-5);
        s += std::exp(double(ls[std::size_t(r) * vocab + j]));
      }
      QVERIFY(std::fabs(s - 1.0) < 1e-5);
    }
    Vec lsi = x;
    train::log_softmax_rows<float>(lsi.data(), rows, vocab, lsi.data());
    QCOMPARE(lsi, ls);
  }

  void crossEntropyGradients() {
    const int rows = 5, vocab = 7, ignore = 2;  // 2 is also a class: rows with target 2 ignored
    const std::vector<int> tg{2, 0, 6, 2, 4};
    VecD x = rndd(std::size_t(rows) * vocab, 130, -3, 3);
    VecD g;
    auto loss = [&] {
      return train::softmax_cross_entropy<double>(x.data(), rows, vocab, tg.data(), ignore, nullptr,
                                                  nullptr);
    };
    g.assign(x.size(), 0.0);
    const double l = train::softmax_cross_entropy<double>(x.data(), rows, vocab, tg.data(), ignore,
                                                          g.data(), nullptr);
    VecD gref;
    QVERIFY(std::fabs(l - ref_ce(x, rows, vocab, tg, ignore, &gref)) < 1e-13);
    EXPECT_REL(g, gref, 1e-13, "ce grad double");
    const VecD R{1.0};
    grad_check([&] { return VecD{loss()}; }, R, {{"logits", &x, &g}}, "softmax_cross_entropy");
  }

  // ---- decoding allocates nothing per token ----
  void decodingAllocatesNothingPerToken_data() {
    QTest::addColumn<int>("precision");
    QTest::newRow("fp32") << int(KvPrecision::fp32);
    QTest::newRow("fp16") << int(KvPrecision::fp16);
    QTest::newRow("int8") << int(KvPrecision::int8);
  }
  void decodingAllocatesNothingPerToken() {
    QFETCH(int, precision);
    const KvPrecision prec = KvPrecision(precision);
    // a digits-like decoder step: B images x Wb beams, layers with causal self-attention (RoPE on
    // q and k, K/V appended in place) and cross-attention over the images' cache, then the beam
    // reorder of the self-attention cache
    const int layers = 2, B = 2, Wb = 3, NH = 2, KD = 16, W = NH * KD, QW = 3 * W, T = 24;
    const int src_len = 9;
    omp_set_num_threads(2);  // exercise the parallel path (the team is started in warm-up)
    KVCache self, cross;
    self.reserve(layers, B * Wb, NH, T, KD, prec);
    cross.reserve(layers, B, NH, src_len + 3, KD, prec);
    for (int l = 0; l < layers; ++l)
      for (int b = 0; b < B; ++b) {
        const int n = src_len - 2 * b;  // images of different widths
        put(cross, l, b, rnd(std::size_t(n) * W, 200 + l * 7 + b),
            rnd(std::size_t(n) * W, 300 + b));
      }
    const std::uint64_t cross_written = cross.rows_written();
    const RopeTable rope(T, KD);
    std::vector<int> cs(B * Wb), order(B * Wb);
    for (int r = 0; r < B * Wb; ++r) cs[r] = r / Wb;
    Vec qkv = rnd(std::size_t(B) * Wb * QW, 400, -1.f, 1.f), att(std::size_t(B) * Wb * W),
        cq = rnd(std::size_t(B) * Wb * W, 401), catt(cq.size());
    double checksum = 0;
    std::vector<int> positions(B * Wb);
    auto step = [&](int pos) {
      std::fill(positions.begin(), positions.end(), pos);
      for (int l = 0; l < layers; ++l) {
        // every beam is at position pos
        rope_apply_positions(rope, qkv.data(), QW, B * Wb, positions.data(), NH);      // q
        rope_apply_positions(rope, qkv.data() + W, QW, B * Wb, positions.data(), NH);  // k
        for (int r = 0; r < B * Wb; ++r)
          self.append(l, r, 1, &qkv[std::size_t(r) * QW + W], &qkv[std::size_t(r) * QW + 2 * W],
                      QW);
        attention_rows(qkv.data(), QW, B * Wb, 1, pos, self, l, true, att.data(), W);
        attention_rows(cq.data(), W, B * Wb, 1, 0, cross, l, false, catt.data(), W, cs.data());
      }
      // beams of each image: keep beam 0 twice and beam 2 (a duplicate and a move)
      for (int b = 0; b < B; ++b) {
        order[b * Wb + 0] = b * Wb + 0;
        order[b * Wb + 1] = b * Wb + 0;
        order[b * Wb + 2] = b * Wb + (pos % 2 ? 2 : 1);
      }
      self.reorder(order);
      checksum += att[0] + catt[0];
    };
    step(0);  // warm-up: thread team, per-thread scratch, thread_local destructors
    const std::uint64_t self_written = self.rows_written();
    g_news = 0;
    g_mallocs = 0;
    g_counting = true;
    for (int pos = 1; pos < T; ++pos) step(pos);
    g_counting = false;
    const long news = g_news, mallocs = g_mallocs;
    QVERIFY(std::isfinite(checksum));
    qInfo(
        "decoding %d tokens x %d layers x %d beams: %ld operator new, %ld malloc (malloc "
        "counted: %s)",
        T - 1, layers, B * Wb, news, mallocs, DOTAKV_COUNT_MALLOC ? "yes" : "no");
    QCOMPARE(news, 0L);
    QCOMPARE(mallocs, 0L);
    // every step appended exactly one row per (layer, beam); the cross cache was never rewritten
    QCOMPARE(self.rows_written() - self_written, std::uint64_t(T - 1) * layers * B * Wb);
    QCOMPARE(cross.rows_written(), cross_written);
    QCOMPARE(self.length(0), T);
    // the counter itself works
    g_counting = true;
    auto* probe = new std::vector<int>(5);
    g_counting = false;
    delete probe;
    QVERIFY(g_news >= 1);
  }
};

QTEST_GUILESS_MAIN(TestAttentionRope)
#include "test_attention_rope.moc"
