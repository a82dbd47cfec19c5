// Every optimized engine kernel against the loop-based reference (tests/support/reference_layers)
// on random data: oneDNN conv / transposed conv / matmul (+bias, GELU, residual), GroupNorm,
// fused GroupNorm-MaxPool-ReLU, LayerNorm, attention through the KV cache.
#include <QtTest>
#include <cmath>
#include <random>

#include "dotakv/kernels.hpp"
#include "dotakv/kv_cache.hpp"
#include "dotakv/layers/attention.hpp"
#include "dotakv/layers/group_norm.hpp"
#include "dotakv/layers/layer_norm.hpp"
#include "dotakv/layers/pooling.hpp"
#include "reference_layers.hpp"

using namespace dotakv;
using Vec = std::vector<float>;

namespace {
Vec rnd(std::size_t n, unsigned seed, float lo = -1.f, float hi = 1.f) {
  std::mt19937 g(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  Vec v(n);
  for (auto& x : v) x = u(g);
  return v;
}
double max_abs(const Vec& a) {
  double m = 0;
  for (float x : a) m = std::max(m, double(std::fabs(x)));
  return m;
}
double max_diff(const Vec& a, const Vec& b) {
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, double(std::fabs(a[i] - b[i])));
  return m;
}
// relative to the reference's magnitude: fp32 kernels vs a double-accumulating reference
void expect_close(const Vec& got, const Vec& ref, double rel, const char* what) {
  QCOMPARE(got.size(), ref.size());
  const double d = max_diff(got, ref), scale = std::max(max_abs(ref), 1e-30);
  if (d > rel * scale)
    QFAIL(qPrintable(
        QString("%1: max diff %2 > %3 * max|ref| %4").arg(what).arg(d).arg(rel).arg(scale)));
}
Vec hwio_to_oihw(const Vec& k, int K, int I, int O) {
  Vec r(k.size());
  for (int kh = 0; kh < K; ++kh)
    for (int kw = 0; kw < K; ++kw)
      for (int i = 0; i < I; ++i)
        for (int o = 0; o < O; ++o)
          r[((std::size_t(o) * I + i) * K + kh) * K + kw] =
              k[((std::size_t(kh) * K + kw) * I + i) * O + o];
  return r;
}
Vec hwoi_to_oihw(const Vec& k, int K, int O, int I) {
  Vec r(k.size());
  for (int kh = 0; kh < K; ++kh)
    for (int kw = 0; kw < K; ++kw)
      for (int o = 0; o < O; ++o)
        for (int i = 0; i < I; ++i)
          r[((std::size_t(o) * I + i) * K + kh) * K + kw] =
              k[((std::size_t(kh) * K + kw) * O + o) * I + i];
  return r;
}
}  // namespace

class TestEngineLayers : public QObject {
  Q_OBJECT
 private slots:
  void conv2dSameMatchesReference_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("hw");
    QTest::addColumn<int>("ci");
    QTest::addColumn<int>("co");
    QTest::addColumn<int>("k");
    QTest::addColumn<bool>("bias");
    QTest::newRow("enc1 1->16 k5") << 3 << 12 << 1 << 16 << 5 << false;
    QTest::newRow("enc2 16->16 k5") << 2 << 6 << 16 << 16 << 5 << false;
    QTest::newRow("out 16->1 k5 bias") << 2 << 12 << 16 << 1 << 5 << true;
    QTest::newRow("k3 8->12 bias") << 4 << 8 << 8 << 12 << 3 << true;
  }
  void conv2dSameMatchesReference() {
    QFETCH(int, n);
    QFETCH(int, hw);
    QFETCH(int, ci);
    QFETCH(int, co);
    QFETCH(int, k);
    QFETCH(bool, bias);
    const Vec x = rnd(std::size_t(n) * hw * hw * ci, 1), w = rnd(std::size_t(k) * k * ci * co, 2);
    const Vec b = bias ? rnd(std::size_t(co), 3) : Vec{};
    kernels::Engine e;
    kernels::Conv conv(e, hw, hw, ci, co, k, false, hwio_to_oihw(w, k, ci, co).data(),
                       bias ? b.data() : nullptr, ComputePrecision::fp32);
    Vec y(std::size_t(n) * hw * hw * co);
    conv.run(n, x.data(), y.data());
    expect_close(y, ref::conv2d_same(x, n, hw, hw, ci, w, k, co, b), 1e-5, "conv2d");
  }
  void convToOneChannelMatchesReference() {
    for (int k : {3, 5}) {
      const int n = 3, h = 12, w = 10, c = 16;
      const Vec x = rnd(std::size_t(n) * h * w * c, 50), wt = rnd(std::size_t(k) * k * c, 51);
      kernels::Engine e;
      kernels::ConvToOne conv(e, h, w, c, k, wt.data(), 0.25f, ComputePrecision::fp32);
      Vec y(std::size_t(n) * h * w);
      conv.run(n, x.data(), y.data());
      expect_close(y, ref::conv2d_same(x, n, h, w, c, wt, k, 1, {0.25f}), 1e-5,
                   "conv to one channel");
    }
  }
  void convTransposeMatchesReference_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("hw");
    QTest::addColumn<int>("ci");
    QTest::addColumn<int>("co");
    QTest::addColumn<int>("k");
    QTest::newRow("dec1 12->16 k5") << 2 << 6 << 12 << 16 << 5;
    QTest::newRow("dec2 16->16 k5") << 2 << 12 << 16 << 16 << 5;
    QTest::newRow("k3 4->8") << 3 << 4 << 4 << 8 << 3;
    QTest::newRow("k7 3->5") << 1 << 5 << 3 << 5 << 7;
  }
  void convTransposeMatchesReference() {
    QFETCH(int, n);
    QFETCH(int, hw);
    QFETCH(int, ci);
    QFETCH(int, co);
    QFETCH(int, k);
    const Vec x = rnd(std::size_t(n) * hw * hw * ci, 4), w = rnd(std::size_t(k) * k * co * ci, 5);
    kernels::Engine e;
    kernels::Conv conv(e, hw, hw, ci, co, k, true, hwoi_to_oihw(w, k, co, ci).data(), nullptr,
                       ComputePrecision::fp32);
    QCOMPARE(conv.out_h(), 2 * hw);
    Vec y(std::size_t(n) * 4 * hw * hw * co);
    conv.run(n, x.data(), y.data());
    expect_close(y, ref::conv_transpose2d_same_s2(x, n, hw, hw, ci, w, k, co), 1e-5,
                 "conv transpose");
  }
  void convTransposeIsAdjointOfStridedConv() {
    // Independent check of the reference's semantics: <deconv(x), y> == <x, conv_s2(y)> where
    // conv_s2 is TF's stride-2 'same' Conv2D written out here (1 channel, K=5, 8x8 -> 4x4).
    const int h = 4, K = 5;
    const Vec x = rnd(std::size_t(h) * h, 6), y = rnd(std::size_t(4) * h * h, 7),
              w = rnd(std::size_t(K) * K, 8);
    const Vec dx = ref::conv_transpose2d_same_s2(x, 1, h, h, 1, w, K, 1);
    const int pad = std::max((h - 1) * 2 + K - 2 * h, 0) / 2;  // = 1
    double lhs = 0, rhs = 0;
    for (std::size_t i = 0; i < dx.size(); ++i) lhs += double(dx[i]) * y[i];
    for (int oy = 0; oy < h; ++oy)
      for (int ox = 0; ox < h; ++ox) {
        double s = 0;
        for (int ky = 0; ky < K; ++ky)
          for (int kx = 0; kx < K; ++kx) {
            const int iy = 2 * oy + ky - pad, ix = 2 * ox + kx - pad;
            if (iy >= 0 && iy < 2 * h && ix >= 0 && ix < 2 * h)
              s += double(y[std::size_t(iy) * 2 * h + ix]) * w[std::size_t(ky) * K + kx];
          }
        rhs += s * x[std::size_t(oy) * h + ox];
      }
    // dx is stored in float: agreement to float rounding, not to 1e-9
    qInfo("<deconv x, y> = %.9g, <x, conv y> = %.9g", lhs, rhs);
    QVERIFY(std::fabs(lhs - rhs) < 1e-5 * std::max(1.0, std::fabs(lhs)));
  }
  void groupNormMatchesReference() {
    const int n = 3, hw = 36, c = 32, g = 16;
    const Vec x = rnd(std::size_t(n) * hw * c, 9, -2.f, 3.f),
              gamma = rnd(std::size_t(c), 10, 0.5f, 1.5f), beta = rnd(std::size_t(c), 11);
    Vec scale(std::size_t(n) * c), shift(std::size_t(n) * c), y = x;
    layers::group_norm_affine(x.data(), n, hw, c, g, gamma.data(), beta.data(),
                              layers::kGroupNormEps, scale.data(), shift.data());
    layers::apply_affine(y.data(), n, hw, c, scale.data(), shift.data(), false);
    const Vec r = ref::group_norm(x, n, hw, c, g, gamma, beta, 1e-3);
    expect_close(y, r, 1e-5, "group norm");
    y = x;
    layers::apply_affine(y.data(), n, hw, c, scale.data(), shift.data(), true);
    expect_close(y, ref::relu(r), 1e-5, "group norm + relu");
  }
  void groupNormMaxPoolReluMatchesReference() {
    const int n = 2, h = 8, w = 6, c = 16;
    const Vec x = rnd(std::size_t(n) * h * w * c, 12), gamma = rnd(std::size_t(c), 13, -1.5f, 1.5f),
              beta = rnd(std::size_t(c), 14);
    Vec scale(std::size_t(n) * c), shift(std::size_t(n) * c), y(std::size_t(n) * h * w * c / 4);
    layers::group_norm_affine(x.data(), n, h * w, c, 4, gamma.data(), beta.data(),
                              layers::kGroupNormEps, scale.data(), shift.data());
    layers::affine_maxpool2_relu(x.data(), n, h, w, c, scale.data(), shift.data(), y.data());
    // negative gammas make the order (norm before pool) matter
    expect_close(
        y,
        ref::relu(ref::maxpool2(ref::group_norm(x, n, h * w, c, 4, gamma, beta, 1e-3), n, h, w, c)),
        1e-5, "gn+maxpool+relu");
  }
  void layerNormMatchesReference() {
    const int rows = 7, d = 432;
    const Vec x = rnd(std::size_t(rows) * d, 15, -3.f, 5.f), g = rnd(std::size_t(d), 16),
              b = rnd(std::size_t(d), 17);
    Vec y(x.size());
    layers::layer_norm(x.data(), rows, d, g.data(), b.data(), layers::kLayerNormEps, y.data());
    expect_close(y, ref::layer_norm(x, rows, d, g, b, 1e-6), 1e-5, "layer norm");
  }
  void matmulVariantsMatchReference() {
    const int m = 5, k = 40, n = 24;
    const Vec a = rnd(std::size_t(m) * k, 18), w = rnd(std::size_t(k) * n, 19),
              b = rnd(std::size_t(n), 20), c0 = rnd(std::size_t(m) * n, 21);
    kernels::Engine e;
    using MM = kernels::Matmul;
    Vec c(std::size_t(m) * n);
    MM plain(e, k, n, w.data(), nullptr, MM::Post::none, false, ComputePrecision::fp32);
    plain.run(m, a.data(), c.data());
    expect_close(c, ref::dense(a, m, k, w, n, {}), 1e-5, "matmul");
    MM gelu(e, k, n, w.data(), b.data(), MM::Post::gelu, false, ComputePrecision::fp32);
    gelu.run(m, a.data(), c.data());
    expect_close(c, ref::gelu(ref::dense(a, m, k, w, n, b)), 1e-5, "matmul+bias+gelu");
    MM acc(e, k, n, w.data(), b.data(), MM::Post::gelu, true, ComputePrecision::fp32);
    c = c0;
    acc.run(m, a.data(), c.data());
    Vec r = ref::gelu(ref::dense(a, m, k, w, n, b));
    for (std::size_t i = 0; i < r.size(); ++i) r[i] += c0[i];
    expect_close(c, r, 1e-5, "residual += gelu(matmul+bias)");
    // other M reuse the same reordered weights and still agree
    for (int mm : {1, 3, 17}) {
      const Vec a2 = rnd(std::size_t(mm) * k, 22 + unsigned(mm));
      Vec c2(std::size_t(mm) * n);
      plain.run(mm, a2.data(), c2.data());
      expect_close(c2, ref::dense(a2, mm, k, w, n, {}), 1e-5, "matmul other M");
    }
  }
  void attentionThroughCacheMatchesReferenceMha_data() {
    QTest::addColumn<bool>("causal");
    QTest::newRow("causal") << true;
    QTest::newRow("full") << false;
  }
  void attentionThroughCacheMatchesReferenceMha() {
    QFETCH(bool, causal);
    const int T = 9, D = 12, NH = 3, KD = 5, B = 2, NHKD = NH * KD;
    const Vec wq = rnd(std::size_t(D) * NHKD, 30), wk = rnd(std::size_t(D) * NHKD, 31),
              wv = rnd(std::size_t(D) * NHKD, 32), wo = rnd(std::size_t(NHKD) * D, 33);
    Vec wqkv(std::size_t(D) * 3 * NHKD);
    for (int d = 0; d < D; ++d)
      for (int j = 0; j < NHKD; ++j) {
        wqkv[std::size_t(d) * 3 * NHKD + j] = wq[std::size_t(d) * NHKD + j];
        wqkv[std::size_t(d) * 3 * NHKD + NHKD + j] = wk[std::size_t(d) * NHKD + j];
        wqkv[std::size_t(d) * 3 * NHKD + 2 * NHKD + j] = wv[std::size_t(d) * NHKD + j];
      }
    kernels::Engine e;
    using MM = kernels::Matmul;
    MM qkv(e, D, 3 * NHKD, wqkv.data(), nullptr, MM::Post::none, false, ComputePrecision::fp32);
    MM out(e, NHKD, D, wo.data(), nullptr, MM::Post::none, false, ComputePrecision::fp32);
    const Vec x = rnd(std::size_t(B) * T * D, 34);
    KVCache cache;
    cache.reserve(1, B, NH, T, KD, KvPrecision::fp32);
    Vec Q(std::size_t(B) * T * 3 * NHKD), A(std::size_t(B) * T * NHKD), Y(std::size_t(B) * T * D);
    qkv.run(B * T, x.data(), Q.data());
    for (int b = 0; b < B; ++b)
      cache.append(0, b, T, &Q[std::size_t(b) * T * 3 * NHKD] + NHKD,
                   &Q[std::size_t(b) * T * 3 * NHKD] + 2 * NHKD, 3 * NHKD);
    layers::attention_all_heads(Q.data(), B, T, 0, cache, 0, causal, A.data());
    out.run(B * T, A.data(), Y.data());
    for (int b = 0; b < B; ++b) {
      const Vec xb(x.begin() + std::ptrdiff_t(b) * T * D,
                   x.begin() + std::ptrdiff_t(b + 1) * T * D);
      const Vec yb(Y.begin() + std::ptrdiff_t(b) * T * D,
                   Y.begin() + std::ptrdiff_t(b + 1) * T * D);
      expect_close(yb, ref::mha(xb, T, D, wq, wk, wv, wo, NH, KD, causal), 1e-5, "attention");
    }
  }
  void bf16KernelsStayCloseToFp32() {
    if (!kernels::bf16_supported()) QSKIP("oneDNN has no bf16 kernels on this CPU");
    const int n = 2, hw = 12, ci = 16, co = 16, k = 5;
    const Vec x = rnd(std::size_t(n) * hw * hw * ci, 40), w = rnd(std::size_t(k) * k * ci * co, 41);
    kernels::Engine e;
    kernels::Conv conv(e, hw, hw, ci, co, k, false, hwio_to_oihw(w, k, ci, co).data(), nullptr,
                       ComputePrecision::bf16);
    Vec y(std::size_t(n) * hw * hw * co);
    conv.run(n, x.data(), y.data());
    // bf16 has an 8-bit mantissa (relative rounding 2^-9 per input); with fp32 accumulation of
    // 400 products the error is a few 1e-3 of the output scale, never 1e-5.
    const Vec r = ref::conv2d_same(x, n, hw, hw, ci, w, k, co, {});
    const double d = max_diff(y, r) / max_abs(r);
    qInfo("bf16 conv max diff / max|ref| = %.2e", d);
    QVERIFY(d < 2e-2);
    QVERIFY(d > 1e-6);  // it really ran in reduced precision
  }
};

QTEST_GUILESS_MAIN(TestEngineLayers)
#include "test_engine_layers.moc"
