// Training kernels of every DoTA layer (core/include/dotakv/layers/*.hpp, "training" sections):
// float forwards against the loop-based reference (tests/support/reference_layers), and every
// backward in double against central finite differences of L = sum(R * y) for a random R.
// Shapes are chosen to catch convention errors: conv K = 3 and 5, non-square images,
// conv-transpose K = 5 on 3x3 -> 6x6 with Cin != Cout, causal and non-causal attention.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <random>

#include "dotakv/kernels.hpp"
#include "dotakv/layers/activation.hpp"
#include "dotakv/layers/attention.hpp"
#include "dotakv/layers/conv2d.hpp"
#include "dotakv/layers/conv_transpose.hpp"
#include "dotakv/layers/dense.hpp"
#include "dotakv/layers/embedding.hpp"
#include "dotakv/layers/group_norm.hpp"
#include "dotakv/layers/layer_norm.hpp"
#include "dotakv/layers/pooling.hpp"
#include "reference_layers.hpp"

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

// fp32 kernels vs the double-accumulating reference, relative to the reference's magnitude
void expect_close(const Vec& got, const Vec& ref, double rel, const QString& what) {
  QCOMPARE(got.size(), ref.size());
  double d = 0, scale = 1e-30;
  for (std::size_t i = 0; i < got.size(); ++i) {
    d = std::max(d, double(std::fabs(got[i] - ref[i])));
    scale = std::max(scale, double(std::fabs(ref[i])));
  }
  if (!(d <= rel * scale))
    QFAIL(qPrintable(
        QString("%1: max diff %2 > %3 * max|ref| %4").arg(what).arg(d).arg(rel).arg(scale)));
}

// A parameter (or input) of a layer and the analytic gradient of L w.r.t. it.
struct Param {
  const char* name;
  VecD* value;
  const VecD* grad;
};

double dot(const VecD& a, const VecD& b) {
  return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

// Central differences (eps 1e-6) of L = sum(R * forward()) for every element of every param
// (a random subset of 80 for params above 600 elements); fails when
// max|analytic - numeric| / max(1e-8, max|numeric|) >= 1e-6.
void grad_check(const std::function<VecD()>& forward, const VecD& R, const std::vector<Param>& ps,
                const QString& what) {
  const double eps = 1e-6;
  std::mt19937 g(99);
  for (const Param& p : ps) {
    VecD& v = *p.value;
    QCOMPARE(p.grad->size(), v.size());
    std::vector<std::size_t> idx(v.size());
    std::iota(idx.begin(), idx.end(), std::size_t(0));
    if (idx.size() > 600) {
      std::shuffle(idx.begin(), idx.end(), g);
      idx.resize(80);
    }
    double err = 0, mag = 0;
    for (std::size_t i : idx) {
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
      QFAIL(qPrintable(QString("%1 d/d%2: rel err %3 (max abs err %4, max|grad| %5, %6 checked)")
                           .arg(what, p.name)
                           .arg(rel)
                           .arg(err)
                           .arg(mag)
                           .arg(idx.size())));
  }
}

VecD to_double(const Vec& v) {
  return VecD(v.begin(), v.end());
}

// float (oneDNN, fp32 or bf16) results against the double Eigen kernels on the same inputs,
// relative to the largest magnitude of the double result.
void expect_close_d(const Vec& got, const VecD& ref, double rel, const QString& what) {
  QCOMPARE(got.size(), ref.size());
  double d = 0, scale = 1e-30;
  for (std::size_t i = 0; i < got.size(); ++i) {
    d = std::max(d, std::fabs(double(got[i]) - ref[i]));
    scale = std::max(scale, std::fabs(ref[i]));
  }
  if (!(d <= rel * scale))
    QFAIL(qPrintable(
        QString("%1: max diff %2 > %3 * max|ref| %4").arg(what).arg(d).arg(rel).arg(scale)));
}

// An accumulated float gradient (start + increment) against the double one from the same start:
// the start value is exact in both, so the increments are compared.
void expect_increment_close(const Vec& got, const Vec& start, const VecD& ref, double rel,
                            const QString& what) {
  Vec inc(got.size());
  VecD inc_ref(got.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    inc[i] = got[i] - start[i];
    inc_ref[i] = ref[i] - double(start[i]);
  }
  expect_close_d(inc, inc_ref, rel, what);
}

// Tolerances of the float kernels against double: fp32 accumulation over up to 800 terms; bf16
// rounds both operands to 8 significant bits (relative error 2^-9 each), which over a sum of
// random-sign products gives errors of a few 1e-3 of the largest output.
double float_tolerance(ComputePrecision p) {
  return p == ComputePrecision::bf16 ? 1.5e-2 : 2e-5;
}

// Forward and backward of one conv shape in float vs double; accumulating outputs start from a
// non-zero value to check that they are added to.
void check_conv_float_vs_double(bool transposed, int n, int h, int w, int ci, int co, int k,
                                bool bias, ComputePrecision p) {
  const int oh = transposed ? 2 * h : h, ow = transposed ? 2 * w : w;
  const Vec x = rnd(std::size_t(n) * h * w * ci, 61), kr = rnd(std::size_t(k) * k * ci * co, 62),
            b = rnd(std::size_t(co), 63), dy = rnd(std::size_t(n) * oh * ow * co, 64),
            dk0 = rnd(kr.size(), 65), db0 = rnd(b.size(), 66);
  const VecD xd = to_double(x), kd = to_double(kr), bd = to_double(b), dyd = to_double(dy);
  Vec y(dy.size()), dx(x.size(), 7.f), dk = dk0, db = db0;
  VecD yd(dy.size()), dxd(x.size()), dkd = to_double(dk0), dbd = to_double(db0);
  const QString what = QString("%1 %2x%3 %4->%5 k%6 %7")
                           .arg(transposed ? "conv_transpose" : "conv2d")
                           .arg(h)
                           .arg(w)
                           .arg(ci)
                           .arg(co)
                           .arg(k)
                           .arg(QString::fromStdString(to_string(p)));
  if (transposed) {
    conv_transpose2_forward<float>(x.data(), n, h, w, ci, kr.data(), k, co, y.data(), p);
    conv_transpose2_forward<double>(xd.data(), n, h, w, ci, kd.data(), k, co, yd.data());
    conv_transpose2_backward<float>(x.data(), n, h, w, ci, kr.data(), k, co, dy.data(), dx.data(),
                                    dk.data(), p);
    conv_transpose2_backward<double>(xd.data(), n, h, w, ci, kd.data(), k, co, dyd.data(),
                                     dxd.data(), dkd.data());
  } else {
    conv2d_same_forward<float>(x.data(), n, h, w, ci, kr.data(), bias ? b.data() : nullptr, k, co,
                               y.data(), p);
    conv2d_same_forward<double>(xd.data(), n, h, w, ci, kd.data(), bias ? bd.data() : nullptr, k,
                                co, yd.data());
    conv2d_same_backward<float>(x.data(), n, h, w, ci, kr.data(), k, co, dy.data(), dx.data(),
                                dk.data(), bias ? db.data() : nullptr, p);
    conv2d_same_backward<double>(xd.data(), n, h, w, ci, kd.data(), k, co, dyd.data(), dxd.data(),
                                 dkd.data(), bias ? dbd.data() : nullptr);
  }
  const double tol = float_tolerance(p);
  expect_close_d(y, yd, tol, what + " forward");
  expect_close_d(dx, dxd, tol, what + " dx");
  expect_increment_close(dk, dk0, dkd, tol, what + " dkernel (accumulated)");
  if (bias && !transposed) expect_increment_close(db, db0, dbd, tol, what + " dbias (accumulated)");
}

}  // namespace

class TestTrainLayers : public QObject {
  Q_OBJECT
 private slots:
  // ---------------- float forwards vs reference ----------------
  void conv2dForwardMatchesReference() {
    struct C {
      int n, h, w, ci, co, k;
      bool bias;
    };
    for (const C c :
         {C{2, 8, 8, 3, 4, 5, true}, C{2, 8, 8, 3, 4, 3, false}, C{1, 5, 7, 4, 2, 5, true},
          C{2, 6, 4, 1, 6, 3, true}, C{1, 4, 4, 6, 1, 5, false}}) {
      const Vec x = rnd(std::size_t(c.n) * c.h * c.w * c.ci, 1);
      const Vec k = rnd(std::size_t(c.k) * c.k * c.ci * c.co, 2);
      const Vec b = c.bias ? rnd(std::size_t(c.co), 3) : Vec{};
      Vec y(std::size_t(c.n) * c.h * c.w * c.co);
      conv2d_same_forward<float>(x.data(), c.n, c.h, c.w, c.ci, k.data(),
                                 c.bias ? b.data() : nullptr, c.k, c.co, y.data());
      expect_close(
          y, ref::conv2d_same(x, c.n, c.h, c.w, c.ci, k, c.k, c.co, b), 1e-5,
          QString("conv2d %1x%2 %3->%4 k%5").arg(c.h).arg(c.w).arg(c.ci).arg(c.co).arg(c.k));
    }
  }

  void convTransposeForwardMatchesReference() {
    struct C {
      int n, h, w, ci, co, k;
    };
    for (const C c :
         {C{2, 3, 3, 3, 5, 5}, C{2, 4, 4, 4, 3, 5}, C{1, 3, 5, 2, 4, 5}, C{2, 4, 3, 3, 2, 3}}) {
      const Vec x = rnd(std::size_t(c.n) * c.h * c.w * c.ci, 4);
      const Vec k = rnd(std::size_t(c.k) * c.k * c.co * c.ci, 5);
      Vec y(std::size_t(c.n) * 4 * c.h * c.w * c.co, 123.f);  // garbage: must be overwritten
      conv_transpose2_forward<float>(x.data(), c.n, c.h, c.w, c.ci, k.data(), c.k, c.co, y.data());
      expect_close(y, ref::conv_transpose2d_same_s2(x, c.n, c.h, c.w, c.ci, k, c.k, c.co), 1e-5,
                   QString("conv_transpose %1x%2 %3->%4 k%5")
                       .arg(c.h)
                       .arg(c.w)
                       .arg(c.ci)
                       .arg(c.co)
                       .arg(c.k));
    }
  }

  void denseForwardMatchesReference() {
    const int m = 5, in = 7, out = 3;
    const Vec x = rnd(std::size_t(m) * in, 6), w = rnd(std::size_t(in) * out, 7), b = rnd(out, 8);
    Vec y(std::size_t(m) * out);
    dense_forward<float>(x.data(), m, in, w.data(), b.data(), out, y.data());
    expect_close(y, ref::dense(x, m, in, w, out, b), 1e-5, "dense + bias");
    dense_forward<float>(x.data(), m, in, w.data(), nullptr, out, y.data());
    expect_close(y, ref::dense(x, m, in, w, out, {}), 1e-5, "dense no bias");
  }

  void activationForwardsMatchReference() {
    const Vec x = rnd(257, 9, -4.f, 4.f);
    Vec y(x.size());
    relu_forward<float>(x.data(), x.size(), y.data());
    expect_close(y, ref::relu(x), 1e-7, "relu");
    gelu_forward<float>(x.data(), x.size(), y.data());
    expect_close(y, ref::gelu(x), 1e-6, "gelu");
    Vec z(x);  // in place
    gelu_forward<float>(z.data(), z.size(), z.data());
    expect_close(z, ref::gelu(x), 1e-6, "gelu in place");
  }

  void groupNormForwardMatchesReference() {
    struct C {
      int n, hw, c, g;
      float offset;
    };
    for (const C c : {C{2, 64, 4, 2, 0.f}, C{2, 16, 6, 3, 0.f}, C{1, 25, 8, 1, 0.f},
                      C{2, 9, 4, 4, 0.f}, C{2, 64, 4, 2, 5.f}}) {
      Vec x = rnd(std::size_t(c.n) * c.hw * c.c, 10);
      for (auto& v : x) v += c.offset;
      const Vec gamma = rnd(c.c, 11, 0.5f, 1.5f), beta = rnd(c.c, 12);
      Vec y(x.size()), mean(std::size_t(c.n) * c.g), rstd(mean.size());
      group_norm_forward<float>(x.data(), c.n, c.hw, c.c, c.g, gamma.data(), beta.data(),
                                kGroupNormEps, y.data(), mean.data(), rstd.data());
      expect_close(
          y, ref::group_norm(x, c.n, c.hw, c.c, c.g, gamma, beta, 1e-3), 1e-5,
          QString("group_norm hw%1 c%2 g%3 +%4").arg(c.hw).arg(c.c).arg(c.g).arg(c.offset));
      // saved statistics
      const int cg = c.c / c.g;
      for (int i = 0; i < c.n; ++i)
        for (int g = 0; g < c.g; ++g) {
          double s = 0, s2 = 0;
          for (int p = 0; p < c.hw; ++p)
            for (int ch = g * cg; ch < (g + 1) * cg; ++ch)
              s += x[(std::size_t(i) * c.hw + p) * c.c + ch];
          const double mu = s / (double(c.hw) * cg);
          for (int p = 0; p < c.hw; ++p)
            for (int ch = g * cg; ch < (g + 1) * cg; ++ch) {
              const double d = x[(std::size_t(i) * c.hw + p) * c.c + ch] - mu;
              s2 += d * d;
            }
          const double rs = 1.0 / std::sqrt(s2 / (double(c.hw) * cg) + 1e-3);
          QVERIFY(std::fabs(mean[std::size_t(i) * c.g + g] - mu) < 1e-5 * (1 + std::fabs(mu)));
          QVERIFY(std::fabs(rstd[std::size_t(i) * c.g + g] - rs) < 1e-5 * rs);
        }
    }
  }

  void layerNormForwardMatchesReference() {
    const int rows = 7, d = 12;
    Vec x = rnd(std::size_t(rows) * d, 13, -2.f, 3.f);
    const Vec gamma = rnd(d, 14, 0.5f, 1.5f), beta = rnd(d, 15);
    Vec y(x.size()), mean(rows), rstd(rows);
    layer_norm_forward<float>(x.data(), rows, d, gamma.data(), beta.data(), kLayerNormEps, y.data(),
                              mean.data(), rstd.data());
    const Vec r = ref::layer_norm(x, rows, d, gamma, beta, 1e-6);
    expect_close(y, r, 1e-5, "layer_norm");
    // and the inference kernel agrees with the training forward
    Vec yi(x.size());
    layer_norm(x.data(), rows, d, gamma.data(), beta.data(), kLayerNormEps, yi.data());
    expect_close(yi, y, 1e-5, "layer_norm inference vs training");
  }

  void maxPoolForwardMatchesReference() {
    const int n = 2, h = 6, w = 4, c = 3;
    const Vec x = rnd(std::size_t(n) * h * w * c, 16);
    Vec y(std::size_t(n) * (h / 2) * (w / 2) * c);
    std::vector<int> am(y.size());
    maxpool2_forward<float>(x.data(), n, h, w, c, y.data(), am.data());
    expect_close(y, ref::maxpool2(x, n, h, w, c), 0.0, "maxpool2");
    for (std::size_t j = 0; j < y.size(); ++j) QCOMPARE(x[std::size_t(am[j])], y[j]);
    // ties: the first maximum in (dy, dx) row-major order wins
    const Vec t(std::size_t(1) * 2 * 2 * 1, 0.5f);
    Vec ty(1);
    int ta = -1;
    maxpool2_forward<float>(t.data(), 1, 2, 2, 1, ty.data(), &ta);
    QCOMPARE(ta, 0);
  }

  void attentionForwardMatchesReference() {
    const int t = 6, d = 8, nh = 2, kd = 3, hk = nh * kd;
    const Vec x = rnd(std::size_t(t) * d, 17);
    const Vec wq = rnd(std::size_t(d) * hk, 18), wk = rnd(std::size_t(d) * hk, 19),
              wv = rnd(std::size_t(d) * hk, 20), wo = rnd(std::size_t(hk) * d, 21);
    const Vec q = ref::dense(x, t, d, wq, hk, {}), k = ref::dense(x, t, d, wk, hk, {}),
              v = ref::dense(x, t, d, wv, hk, {});
    for (bool causal : {false, true}) {
      Vec probs(std::size_t(nh) * t * t, 7.f), o(std::size_t(t) * hk);
      mha_forward<float>(q.data(), k.data(), v.data(), t, nh, kd, causal, probs.data(), o.data());
      expect_close(ref::dense(o, t, hk, wo, d, {}),
                   ref::mha(x, t, d, wq, wk, wv, wo, nh, kd, causal), 1e-5,
                   causal ? "mha causal" : "mha");
      for (int h = 0; h < nh; ++h)
        for (int i = 0; i < t; ++i) {
          double s = 0;
          for (int j = 0; j < t; ++j) {
            const float p = probs[(std::size_t(h) * t + i) * t + j];
            if (causal && j > i) QCOMPARE(p, 0.f);
            s += p;
          }
          QVERIFY(std::fabs(s - 1.0) < 1e-5);
        }
    }
  }

  void embeddingForward() {
    const int t = 4, d = 6;
    const Vec sl = rnd(std::size_t(t - 1) * d, 22), kr = rnd(d, 23), b = rnd(d, 24),
              pos = rnd(std::size_t(t) * d, 25);
    const float e = 0.37f;
    Vec out(std::size_t(t) * d);
    embed_tokens_forward<float>(sl.data(), e, kr.data(), b.data(), pos.data(), t, d, out.data());
    for (int i = 0; i < d; ++i) {
      Vec row(d);
      energy_token(e, kr.data(), b.data(), pos.data(), d, row.data());
      QCOMPARE(out[std::size_t(i)], row[std::size_t(i)]);
    }
    for (int p = 1; p < t; ++p)
      for (int i = 0; i < d; ++i)
        QCOMPARE(out[std::size_t(p) * d + i],
                 sl[std::size_t(p - 1) * d + i] + pos[std::size_t(p) * d + i]);
  }

  // ---------------- float (oneDNN) forward + backward vs double (Eigen) ----------------
  // The DoTA compact/full shapes (first conv 1 -> C, 32/64 channels on 24x24 and 12x12, the
  // bottleneck 12 channels on 6x6, the output conv C -> 1 with bias) and odd small ones.
  void convFloatMatchesDouble_data() {
    QTest::addColumn<int>("prec");
    QTest::newRow("fp32") << int(ComputePrecision::fp32);
    QTest::newRow("bf16") << int(ComputePrecision::bf16);
  }
  void convFloatMatchesDouble() {
    QFETCH(int, prec);
    const auto p = ComputePrecision(prec);
    if (p == ComputePrecision::bf16 && !kernels::bf16_supported())
      QSKIP("oneDNN has no bf16 kernels on this CPU");
    struct C {
      bool t;
      int n, h, w, ci, co, k;
      bool bias;
    };
    for (const C c : {C{false, 3, 24, 24, 1, 32, 5, false}, C{false, 3, 12, 12, 32, 32, 5, false},
                      C{false, 3, 6, 6, 32, 12, 5, false}, C{false, 2, 24, 24, 32, 1, 5, true},
                      C{false, 2, 5, 7, 3, 4, 3, true}, C{true, 3, 6, 6, 12, 32, 5, false},
                      C{true, 3, 12, 12, 32, 32, 5, false}, C{true, 2, 3, 4, 3, 5, 5, false},
                      C{true, 2, 4, 3, 3, 2, 3, false}})
      check_conv_float_vs_double(c.t, c.n, c.h, c.w, c.ci, c.co, c.k, c.bias, p);
  }

  // The 32-channel DoTA convolutions run oneDNN's optimised kernels, not its reference ones.
  void convTrainingUsesOptimisedKernels() {
    for (bool t : {false, true}) {
      const std::string impl =
          t ? conv_training_impl_info(true, 150, 12, 12, 32, 5, 32, ComputePrecision::fp32)
            : conv_training_impl_info(false, 150, 12, 12, 32, 5, 32, ComputePrecision::fp32);
      QVERIFY2(impl.find("ref") == std::string::npos, impl.c_str());
    }
  }

  void denseFloatMatchesDouble_data() { convFloatMatchesDouble_data(); }
  void denseFloatMatchesDouble() {
    QFETCH(int, prec);
    const auto p = ComputePrecision(prec);
    if (p == ComputePrecision::bf16 && !kernels::bf16_supported())
      QSKIP("oneDNN has no bf16 kernels on this CPU");
    for (const auto [m, in, out] : {std::tuple{151, 432, 432}, std::tuple{7, 5, 3}}) {
      const Vec x = rnd(std::size_t(m) * in, 71), w = rnd(std::size_t(in) * out, 72),
                b = rnd(std::size_t(out), 73), dy = rnd(std::size_t(m) * out, 74),
                dw0 = rnd(w.size(), 75), db0 = rnd(b.size(), 76);
      const VecD xd = to_double(x), wd = to_double(w), bd = to_double(b), dyd = to_double(dy);
      Vec y(dy.size()), dx(x.size()), dw = dw0, db = db0;
      VecD yd(dy.size()), dxd(x.size()), dwd = to_double(dw0), dbd = to_double(db0);
      dense_forward<float>(x.data(), m, in, w.data(), b.data(), out, y.data(), p);
      dense_forward<double>(xd.data(), m, in, wd.data(), bd.data(), out, yd.data());
      dense_backward<float>(x.data(), m, in, w.data(), out, dy.data(), dx.data(), dw.data(),
                            db.data(), p);
      dense_backward<double>(xd.data(), m, in, wd.data(), out, dyd.data(), dxd.data(), dwd.data(),
                             dbd.data());
      const double tol = float_tolerance(p);
      const QString what = QString("dense %1x%2->%3").arg(m).arg(in).arg(out);
      expect_close_d(y, yd, tol, what + " forward");
      expect_close_d(dx, dxd, tol, what + " dx");
      expect_increment_close(dw, dw0, dwd, tol, what + " dw (accumulated)");
      for (std::size_t i = 0; i < db.size(); ++i)
        QVERIFY(std::fabs((db[i] - db0[i]) - (dbd[i] - double(db0[i]))) < 1e-4 * m);
    }
  }

  // ---------------- double gradient checks ----------------
  void conv2dGradients() {
    struct C {
      int n, h, w, ci, co, k;
    };
    for (const C c : {C{2, 5, 5, 3, 4, 3}, C{2, 5, 4, 3, 2, 5}, C{1, 6, 6, 2, 3, 5}}) {
      VecD x = rndd(std::size_t(c.n) * c.h * c.w * c.ci, 30);
      VecD k = rndd(std::size_t(c.k) * c.k * c.ci * c.co, 31);
      VecD b = rndd(std::size_t(c.co), 32);
      const VecD R = rndd(std::size_t(c.n) * c.h * c.w * c.co, 33);
      auto fwd = [&] {
        VecD y(R.size());
        conv2d_same_forward<double>(x.data(), c.n, c.h, c.w, c.ci, k.data(), b.data(), c.k, c.co,
                                    y.data());
        return y;
      };
      VecD dx(x.size(), 5.0), dk(k.size(), 0.0), db(b.size(), 0.0);
      conv2d_same_backward<double>(x.data(), c.n, c.h, c.w, c.ci, k.data(), c.k, c.co, R.data(),
                                   dx.data(), dk.data(), db.data());
      grad_check(fwd, R, {{"x", &x, &dx}, {"kernel", &k, &dk}, {"bias", &b, &db}},
                 QString("conv2d %1x%2 %3->%4 k%5").arg(c.h).arg(c.w).arg(c.ci).arg(c.co).arg(c.k));
    }
  }

  void conv2dBackwardAccumulates() {
    const int n = 2, h = 4, w = 4, ci = 2, co = 3, k = 3;
    const VecD x = rndd(std::size_t(n) * h * w * ci, 34),
               kr = rndd(std::size_t(k) * k * ci * co, 35),
               R = rndd(std::size_t(n) * h * w * co, 36);
    VecD dx1(x.size()), dk1(kr.size(), 0.0), db1(co, 0.0);
    conv2d_same_backward<double>(x.data(), n, h, w, ci, kr.data(), k, co, R.data(), dx1.data(),
                                 dk1.data(), db1.data());
    VecD dx2(x.size()), dk2(dk1), db2(db1);
    conv2d_same_backward<double>(x.data(), n, h, w, ci, kr.data(), k, co, R.data(), dx2.data(),
                                 dk2.data(), db2.data());
    for (std::size_t i = 0; i < dk1.size(); ++i) QVERIFY(std::fabs(dk2[i] - 2 * dk1[i]) < 1e-12);
    for (std::size_t i = 0; i < db1.size(); ++i) QVERIFY(std::fabs(db2[i] - 2 * db1[i]) < 1e-12);
    for (std::size_t i = 0; i < dx1.size(); ++i) QCOMPARE(dx2[i], dx1[i]);  // overwritten
    // null outputs are skipped
    VecD dk3(kr.size(), 0.0);
    conv2d_same_backward<double>(x.data(), n, h, w, ci, kr.data(), k, co, R.data(), nullptr,
                                 dk3.data(), nullptr);
    for (std::size_t i = 0; i < dk1.size(); ++i) QVERIFY(std::fabs(dk3[i] - dk1[i]) < 1e-12);
  }

  void convTransposeGradients() {
    struct C {
      int n, h, w, ci, co, k;
    };
    for (const C c : {C{2, 3, 3, 3, 5, 5}, C{1, 3, 4, 4, 2, 5}, C{2, 3, 3, 2, 3, 3}}) {
      VecD x = rndd(std::size_t(c.n) * c.h * c.w * c.ci, 40);
      VecD k = rndd(std::size_t(c.k) * c.k * c.co * c.ci, 41);
      const VecD R = rndd(std::size_t(c.n) * 4 * c.h * c.w * c.co, 42);
      auto fwd = [&] {
        VecD y(R.size());
        conv_transpose2_forward<double>(x.data(), c.n, c.h, c.w, c.ci, k.data(), c.k, c.co,
                                        y.data());
        return y;
      };
      VecD dx(x.size(), 5.0), dk(k.size(), 0.0);
      conv_transpose2_backward<double>(x.data(), c.n, c.h, c.w, c.ci, k.data(), c.k, c.co, R.data(),
                                       dx.data(), dk.data());
      grad_check(fwd, R, {{"x", &x, &dx}, {"kernel", &k, &dk}},
                 QString("conv_transpose %1x%2 %3->%4 k%5")
                     .arg(c.h)
                     .arg(c.w)
                     .arg(c.ci)
                     .arg(c.co)
                     .arg(c.k));
    }
  }

  void denseGradients() {
    const int m = 4, in = 5, out = 3;
    VecD x = rndd(std::size_t(m) * in, 50), w = rndd(std::size_t(in) * out, 51), b = rndd(out, 52);
    const VecD R = rndd(std::size_t(m) * out, 53);
    auto fwd = [&] {
      VecD y(R.size());
      dense_forward<double>(x.data(), m, in, w.data(), b.data(), out, y.data());
      return y;
    };
    VecD dx(x.size(), 5.0), dw(w.size(), 0.0), db(b.size(), 0.0);
    dense_backward<double>(x.data(), m, in, w.data(), out, R.data(), dx.data(), dw.data(),
                           db.data());
    grad_check(fwd, R, {{"x", &x, &dx}, {"kernel", &w, &dw}, {"bias", &b, &db}}, "dense");
  }

  void activationGradients() {
    VecD x = rndd(64, 60, -3.0, 3.0);
    for (auto& v : x)
      if (std::fabs(v) < 1e-2) v = v < 0 ? -0.05 : 0.05;  // away from the ReLU kink
    const VecD R = rndd(x.size(), 61);
    {
      auto fwd = [&] {
        VecD y(x.size());
        relu_forward<double>(x.data(), x.size(), y.data());
        return y;
      };
      const VecD y = fwd();
      VecD dx(x.size());
      relu_backward<double>(y.data(), R.data(), x.size(), dx.data());
      grad_check(fwd, R, {{"x", &x, &dx}}, "relu");
      VecD d2(R);  // dx aliasing dy
      relu_backward<double>(y.data(), d2.data(), x.size(), d2.data());
      QVERIFY(d2 == dx);
    }
    {
      auto fwd = [&] {
        VecD y(x.size());
        gelu_forward<double>(x.data(), x.size(), y.data());
        return y;
      };
      VecD dx(x.size());
      gelu_backward<double>(x.data(), R.data(), x.size(), dx.data());
      grad_check(fwd, R, {{"x", &x, &dx}}, "gelu");
    }
  }

  void groupNormGradients() {
    struct C {
      int n, hw, c, g;
    };
    for (const C c : {C{2, 16, 4, 2}, C{2, 9, 6, 3}, C{1, 8, 4, 1}, C{2, 4, 4, 4}}) {
      VecD x = rndd(std::size_t(c.n) * c.hw * c.c, 70, -1.0, 2.0);
      VecD gamma = rndd(c.c, 71, 0.5, 1.5), beta = rndd(c.c, 72);
      const VecD R = rndd(x.size(), 73);
      VecD mean(std::size_t(c.n) * c.g), rstd(mean.size());
      auto fwd = [&] {
        VecD y(x.size());
        group_norm_forward<double>(x.data(), c.n, c.hw, c.c, c.g, gamma.data(), beta.data(), 1e-3,
                                   y.data(), mean.data(), rstd.data());
        return y;
      };
      fwd();
      VecD dx(x.size(), 5.0), dg(gamma.size(), 0.0), dbt(beta.size(), 0.0);
      group_norm_backward<double>(x.data(), c.n, c.hw, c.c, c.g, gamma.data(), mean.data(),
                                  rstd.data(), R.data(), dx.data(), dg.data(), dbt.data());
      grad_check(fwd, R, {{"x", &x, &dx}, {"gamma", &gamma, &dg}, {"beta", &beta, &dbt}},
                 QString("group_norm hw%1 c%2 g%3").arg(c.hw).arg(c.c).arg(c.g));
    }
  }

  void layerNormGradients() {
    const int rows = 5, d = 6;
    VecD x = rndd(std::size_t(rows) * d, 80, -1.0, 2.0);
    VecD gamma = rndd(d, 81, 0.5, 1.5), beta = rndd(d, 82);
    const VecD R = rndd(x.size(), 83);
    VecD mean(rows), rstd(rows);
    auto fwd = [&] {
      VecD y(x.size());
      layer_norm_forward<double>(x.data(), rows, d, gamma.data(), beta.data(), 1e-6, y.data(),
                                 mean.data(), rstd.data());
      return y;
    };
    fwd();
    VecD dx(x.size(), 5.0), dg(d, 0.0), dbt(d, 0.0);
    layer_norm_backward<double>(x.data(), rows, d, gamma.data(), mean.data(), rstd.data(), R.data(),
                                dx.data(), dg.data(), dbt.data());
    grad_check(fwd, R, {{"x", &x, &dx}, {"gamma", &gamma, &dg}, {"beta", &beta, &dbt}},
               "layer_norm");
  }

  void maxPoolGradients() {
    const int n = 2, h = 4, w = 6, c = 3;
    const std::size_t sz = std::size_t(n) * h * w * c;
    // distinct values spaced 0.01 apart: no ties within eps
    VecD x(sz);
    std::vector<int> perm(sz);
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), std::mt19937(90));
    for (std::size_t i = 0; i < sz; ++i) x[i] = 0.01 * (perm[i] - double(sz) / 2);
    const std::size_t osz = sz / 4;
    const VecD R = rndd(osz, 91);
    std::vector<int> am(osz);
    auto fwd = [&] {
      VecD y(osz);
      maxpool2_forward<double>(x.data(), n, h, w, c, y.data(), am.data());
      return y;
    };
    fwd();
    VecD dx(sz, 5.0);
    maxpool2_backward<double>(R.data(), am.data(), n, h, w, c, dx.data());
    grad_check(fwd, R, {{"x", &x, &dx}}, "maxpool2");
  }

  void attentionGradients() {
    const int t = 5, nh = 2, kd = 3, hk = nh * kd;
    for (bool causal : {false, true}) {
      VecD q = rndd(std::size_t(t) * hk, 100, -1.5, 1.5),
           k = rndd(std::size_t(t) * hk, 101, -1.5, 1.5), v = rndd(std::size_t(t) * hk, 102);
      const VecD R = rndd(std::size_t(t) * hk, 103);
      VecD probs(std::size_t(nh) * t * t);
      auto fwd = [&] {
        VecD o(R.size());
        mha_forward<double>(q.data(), k.data(), v.data(), t, nh, kd, causal, probs.data(),
                            o.data());
        return o;
      };
      fwd();
      VecD dq(q.size(), 5.0), dk(k.size(), 5.0), dv(v.size(), 5.0);
      mha_backward<double>(q.data(), k.data(), v.data(), probs.data(), R.data(), t, nh, kd, causal,
                           dq.data(), dk.data(), dv.data());
      grad_check(fwd, R, {{"q", &q, &dq}, {"k", &k, &dk}, {"v", &v, &dv}},
                 causal ? "mha causal" : "mha");
    }
  }

  void embeddingGradients() {
    const int t = 4, d = 6;
    VecD sl = rndd(std::size_t(t - 1) * d, 110), kr = rndd(d, 111), b = rndd(d, 112),
         pos = rndd(std::size_t(t) * d, 113);
    const double e = 0.61;
    const VecD R = rndd(std::size_t(t) * d, 114);
    auto fwd = [&] {
      VecD out(R.size());
      embed_tokens_forward<double>(sl.data(), e, kr.data(), b.data(), pos.data(), t, d, out.data());
      return out;
    };
    VecD dsl(sl.size(), 5.0), dk(d, 0.0), db(d, 0.0), dpos(pos.size(), 0.0);
    embed_tokens_backward<double>(R.data(), e, t, d, dsl.data(), dk.data(), db.data(), dpos.data());
    grad_check(fwd, R,
               {{"slice_tokens", &sl, &dsl},
                {"kernel", &kr, &dk},
                {"bias", &b, &db},
                {"pos", &pos, &dpos}},
               "embedding");
  }
};

QTEST_GUILESS_MAIN(TestTrainLayers)
#include "test_train_layers.moc"
