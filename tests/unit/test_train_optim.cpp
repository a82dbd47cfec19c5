// Training building blocks: AdamW / LAMB against hand-computed updates from the papers'
// formulas, weight decay placement, LAMB trust ratio and its guards, global-norm clipping,
// state save/restore, learning-rate schedules, losses vs finite differences, lateral rotations.
#include <QtTest>
#include <cmath>
#include <cstring>
#include <vector>

#include "dotakv/error.hpp"
#include "dotakv/sysinfo.hpp"
#include "dotakv/train/augment.hpp"
#include "dotakv/train/loss.hpp"
#include "dotakv/train/optimizer.hpp"
#include "dotakv/train/schedule.hpp"

using namespace dotakv;
using namespace dotakv::train;

namespace {

// Independent double-precision Adam moments for one element sequence (Kingma & Ba 2015, with
// bias correction); returns mhat / (sqrt(vhat) + eps) at the last step.
struct RefAdam {
  double b1, b2, eps, m = 0, v = 0;
  int t = 0;
  double dir(double g) {
    ++t;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const double mh = m / (1 - std::pow(b1, t)), vh = v / (1 - std::pow(b2, t));
    return mh / (std::sqrt(vh) + eps);
  }
};

// Small deterministic pseudo-random numbers in [-1, 1) (LCG), for test data only.
struct Lcg {
  unsigned long long s;
  float next() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return float((s >> 40) & 0xFFFFFF) / float(1 << 23) - 1.f;
  }
};

// Least squares: minimise mean (A x - b)^2 over x, A [16, 4], via mse_loss; returns the loss
// after `steps` updates (and the final x through `x`).
double run_least_squares(Optimizer& opt, int steps, float lr, std::vector<float>& x,
                         double* initial) {
  const int R = 16, C = 4;
  Lcg rng{42};
  std::vector<float> A(R * C), b(R), xt = {0.5f, -1.f, 2.f, 0.25f};
  for (auto& a : A) a = rng.next();
  for (int r = 0; r < R; ++r) {
    b[r] = 0.f;
    for (int c = 0; c < C; ++c) b[r] += A[r * C + c] * xt[c];
  }
  x.assign(C, 0.f);
  std::vector<float> gx(C), pred(R), gp(R);
  ParamList params{{"x", x.data(), gx.data(), size_t(C), true}};
  auto loss_and_grad = [&] {
    for (int r = 0; r < R; ++r) {
      pred[r] = 0.f;
      for (int c = 0; c < C; ++c) pred[r] += A[r * C + c] * x[c];
    }
    const double L = mse_loss(pred.data(), b.data(), R, gp.data());
    for (int c = 0; c < C; ++c) {
      gx[c] = 0.f;
      for (int r = 0; r < R; ++r) gx[c] += A[r * C + c] * gp[r];
    }
    return L;
  };
  *initial = loss_and_grad();
  for (int s = 0; s < steps; ++s) {
    opt.step(params, lr);
    loss_and_grad();
  }
  return loss_and_grad();
}

}  // namespace

class TestTrainOptim : public QObject {
  Q_OBJECT
 private slots:
  // --- AdamW -------------------------------------------------------------------------------
  void adamwTwoStepsMatchHandComputation() {
    AdamConfig cfg;
    cfg.beta1 = 0.9f, cfg.beta2 = 0.999f, cfg.eps = 1e-6f, cfg.weight_decay = 0.1f;
    AdamW opt(cfg);
    std::vector<float> w = {0.5f, -1.5f, 2.f}, g(3);
    ParamList params{{"w", w.data(), g.data(), 3, true}};
    const std::vector<std::vector<float>> grads = {{0.2f, -0.1f, 0.f}, {-0.4f, 0.3f, 0.05f}};
    const float lr = 0.01f;
    std::vector<double> ref(w.begin(), w.end());
    // The config holds float hyper-parameters; the reference uses those exact values in double.
    const double b1 = double(0.9f), b2 = double(0.999f);
    std::vector<RefAdam> ra(3, RefAdam{b1, b2, double(1e-6f)});
    for (const auto& gs : grads) {
      g = gs;
      opt.step(params, lr);
      // Loshchilov & Hutter 2019, Alg. 2: w <- w - eta (alpha mhat/(sqrt(vhat)+eps) + lambda w).
      for (int i = 0; i < 3; ++i) ref[i] -= double(lr) * (ra[i].dir(gs[i]) + 0.1 * ref[i]);
      for (int i = 0; i < 3; ++i)
        QVERIFY2(std::fabs(w[i] - ref[i]) < 1e-6,
                 qPrintable(QString("w[%1]=%2 ref %3").arg(i).arg(w[i]).arg(ref[i])));
    }
    QCOMPARE(opt.state().step, 2LL);
    // Moments exposed for checkpoints: m = b1 (1-b1) g1 + (1-b1) g2, v likewise with g^2.
    const double m0 = b1 * (1 - b1) * 0.2f + (1 - b1) * -0.4f;
    const double v1 = b2 * (1 - b2) * (-0.1f * -0.1f) + (1 - b2) * (0.3f * 0.3f);
    QVERIFY(std::fabs(opt.state().m[0][0] - m0) < 1e-6 * std::fabs(m0));
    QVERIFY(std::fabs(opt.state().v[0][1] - v1) < 1e-6 * v1);
  }
  void adamFirstStepIsSignTimesLr() {
    // At t = 1 the bias-corrected update is g / (|g| + eps): every weight moves by ~lr against
    // its gradient whatever the gradient's magnitude (Kingma & Ba 2015, sec. 2.1).
    AdamW opt(AdamConfig{});
    std::vector<float> w = {1.f, 1.f, 1.f}, g = {1e-2f, -3.f, 250.f};
    ParamList params{{"w", w.data(), g.data(), 3, false}};
    opt.step(params, 0.125f);
    QVERIFY(std::fabs(w[0] - (1.f - 0.125f)) < 1e-4);
    QVERIFY(std::fabs(w[1] - (1.f + 0.125f)) < 1e-6);
    QVERIFY(std::fabs(w[2] - (1.f - 0.125f)) < 1e-6);
  }
  void weightDecayOnlyOnDecayParams() {
    AdamConfig cfg;
    cfg.weight_decay = 0.5f;
    for (int which = 0; which < 2; ++which) {
      std::unique_ptr<Optimizer> opt;
      if (which == 0)
        opt = std::make_unique<AdamW>(cfg);
      else
        opt = std::make_unique<Lamb>(cfg);
      std::vector<float> a = {2.f, -4.f}, b = {2.f, -4.f}, ga(2, 0.f), gb(2, 0.f);
      ParamList params{{"kernel", a.data(), ga.data(), 2, true},
                       {"bias", b.data(), gb.data(), 2, false}};
      opt->step(params, 0.1f);
      // Zero gradient: m = v = 0, so only the decay term acts.
      // AdamW: w <- w (1 - lr wd). LAMB: u = wd w, r = ||w|| / ||wd w|| = 1/wd, w <- w - lr w.
      const double f = which == 0 ? 1.0 - 0.1 * 0.5 : 1.0 - 0.1;
      QVERIFY(std::fabs(a[0] - 2.0 * f) < 1e-6);
      QVERIFY(std::fabs(a[1] + 4.0 * f) < 1e-6);
      QCOMPARE(b[0], 2.f);  // untouched bit for bit
      QCOMPARE(b[1], -4.f);
    }
  }
  // --- LAMB --------------------------------------------------------------------------------
  void lambStepAndTrustRatioMatchHandComputation() {
    AdamConfig cfg;
    cfg.eps = 1e-6f, cfg.weight_decay = 0.1f;
    Lamb opt(cfg);
    std::vector<float> w = {3.f, 4.f}, g = {1.f, -0.5f};
    std::vector<float> b = {0.5f, 0.f, -0.5f}, gb = {0.3f, 0.1f, -0.2f};
    ParamList params{{"kernel", w.data(), g.data(), 2, true},
                     {"bias", b.data(), gb.data(), 3, false}};
    const float lr = 0.01f;
    opt.step(params, lr);
    // You et al. 2020, Alg. 2, t = 1: r = m/(1-b1) / (sqrt(v/(1-b2)) + eps) = g / (|g| + eps).
    const double e = double(1e-6f);
    double u[2] = {1.0 / (1.0 + e) + 0.1 * 3.0, -0.5 / (0.5 + e) + 0.1 * 4.0};
    const double r0 = 5.0 / std::hypot(u[0], u[1]);
    QVERIFY(std::fabs(opt.last_trust_ratios()[0] - r0) < 1e-6 * r0);
    QVERIFY(std::fabs(w[0] - (3.0 - lr * r0 * u[0])) < 1e-6);
    QVERIFY(std::fabs(w[1] - (4.0 - lr * r0 * u[1])) < 1e-6);
    // Bias: no decay; ||w|| = sqrt(0.5), u_i = g_i / (|g_i| + eps).
    double ub[3] = {0.3 / (0.3 + e), 0.1 / (0.1 + e), -0.2 / (0.2 + e)};
    const double r1 = std::sqrt(0.5) / std::sqrt(ub[0] * ub[0] + ub[1] * ub[1] + ub[2] * ub[2]);
    QVERIFY(std::fabs(opt.last_trust_ratios()[1] - r1) < 1e-6 * r1);
    const double bref[3] = {0.5, 0.0, -0.5};
    for (int i = 0; i < 3; ++i) QVERIFY(std::fabs(b[i] - (bref[i] - lr * r1 * ub[i])) < 1e-6);
  }
  void lambTrustRatioGuards() {
    Lamb opt(AdamConfig{});
    // ||w|| = 0 -> r = 1 (plain Adam step); ||u|| = 0 (zero grad, no decay) -> r = 1, no change.
    std::vector<float> z = {0.f, 0.f}, gz = {2.f, -2.f}, c = {1.f, 2.f}, gc = {0.f, 0.f};
    ParamList params{{"zero_w", z.data(), gz.data(), 2, true},
                     {"zero_u", c.data(), gc.data(), 2, false}};
    opt.step(params, 0.25f);
    QCOMPARE(opt.last_trust_ratios()[0], 1.0);
    QCOMPARE(opt.last_trust_ratios()[1], 1.0);
    QVERIFY(std::fabs(z[0] + 0.25) < 1e-6 && std::fabs(z[1] - 0.25) < 1e-6);
    QCOMPARE(c[0], 1.f);
    QCOMPARE(c[1], 2.f);
    QVERIFY(std::isfinite(z[0]) && std::isfinite(z[1]));
  }
  // --- clipping ----------------------------------------------------------------------------
  void globalNormClipping() {
    std::vector<float> a = {3.f, 4.f}, ga = {3.f, 4.f}, b = {0.f}, gb = {12.f};
    ParamList params{{"a", a.data(), ga.data(), 2, true}, {"b", b.data(), gb.data(), 1, true}};
    QCOMPARE(global_grad_norm(params), 13.0);
    QCOMPARE(clip_grad_norm(params, 20.0), 13.0);  // below the limit: untouched
    QCOMPARE(ga[0], 3.f);
    QCOMPARE(gb[0], 12.f);
    QCOMPARE(clip_grad_norm(params, 6.5), 13.0);  // scaled by 0.5 jointly
    QVERIFY(std::fabs(ga[0] - 1.5f) < 1e-6 && std::fabs(ga[1] - 2.f) < 1e-6);
    QVERIFY(std::fabs(gb[0] - 6.f) < 1e-6);
    QVERIFY(std::fabs(global_grad_norm(params) - 6.5) < 1e-5);
    QVERIFY_THROWS_EXCEPTION(ValueError, clip_grad_norm(params, 0.0));
    QVERIFY_THROWS_EXCEPTION(ValueError, clip_grad_norm(params, NAN));
    gb[0] = NAN;  // a NaN gradient is reported, not spread
    QVERIFY(std::isnan(clip_grad_norm(params, 1.0)));
    QVERIFY(std::fabs(ga[0] - 1.5f) < 1e-6);
  }
  // --- convergence, determinism, state -----------------------------------------------------
  void fewStepsLowerLeastSquaresLoss_data() {
    QTest::addColumn<bool>("lamb");
    QTest::newRow("adamw") << false;
    QTest::newRow("lamb") << true;
  }
  void fewStepsLowerLeastSquaresLoss() {
    QFETCH(bool, lamb);
    auto make = [&]() -> std::unique_ptr<Optimizer> {
      AdamConfig cfg;
      cfg.weight_decay = 1e-3f;
      if (lamb) return std::make_unique<Lamb>(cfg);
      return std::make_unique<AdamW>(cfg);
    };
    std::vector<float> x1, x2;
    double init1 = 0, init2 = 0;
    auto o1 = make(), o2 = make();
    const double L1 = run_least_squares(*o1, 200, 0.05f, x1, &init1);
    const double L2 = run_least_squares(*o2, 200, 0.05f, x2, &init2);
    QVERIFY2(L1 < 1e-2 * init1, qPrintable(QString("loss %1 -> %2").arg(init1).arg(L1)));
    // Deterministic: two identical runs agree bit for bit.
    QCOMPARE(L1, L2);
    QVERIFY(std::memcmp(x1.data(), x2.data(), x1.size() * sizeof(float)) == 0);
  }
  void resultsIndependentOfThreadCount() {
    // A tensor large enough for the OpenMP element loop (> 65536) updated with 1 and 2 threads.
    const size_t n = 200000;
    std::vector<float> w0(n), g(n);
    Lcg rng{11};
    for (size_t i = 0; i < n; ++i) w0[i] = rng.next(), g[i] = rng.next();
    const int saved = dotakv::num_threads();
    std::vector<float> out[2];
    for (int t = 0; t < 2; ++t) {
      dotakv::set_num_threads(t + 1);
      out[t] = w0;
      AdamConfig cfg;
      cfg.weight_decay = 1e-3f;
      AdamW adam(cfg);
      Lamb lamb(cfg);
      ParamList params{{"w", out[t].data(), g.data(), n, true}};
      for (int s = 0; s < 3; ++s) adam.step(params, 1e-3f), lamb.step(params, 1e-3f);
    }
    dotakv::set_num_threads(saved);
    QVERIFY(std::memcmp(out[0].data(), out[1].data(), n * sizeof(float)) == 0);
    QVERIFY(std::memcmp(out[0].data(), w0.data(), n * sizeof(float)) != 0);
  }
  void stateRestoreContinuesExactly_data() { fewStepsLowerLeastSquaresLoss_data(); }
  void stateRestoreContinuesExactly() {
    QFETCH(bool, lamb);
    AdamConfig cfg;
    cfg.weight_decay = 0.01f;
    auto make = [&]() -> std::unique_ptr<Optimizer> {
      if (lamb) return std::make_unique<Lamb>(cfg);
      return std::make_unique<AdamW>(cfg);
    };
    std::vector<float> w = {1.f, -2.f, 0.5f}, g(3);
    ParamList params{{"w", w.data(), g.data(), 3, true}};
    auto grad_at = [&](int s) {
      for (int i = 0; i < 3; ++i) g[i] = std::sin(float(s + 1) * float(i + 1)) + 0.1f * w[i];
    };
    auto a = make();
    for (int s = 0; s < 3; ++s) grad_at(s), a->step(params, 0.01f);
    const OptimizerState saved = a->state();
    const std::vector<float> w_saved = w;
    for (int s = 3; s < 5; ++s) grad_at(s), a->step(params, 0.01f);
    const std::vector<float> w_a = w;
    w = w_saved;
    auto b = make();
    b->set_state(saved, params);
    for (int s = 3; s < 5; ++s) grad_at(s), b->step(params, 0.01f);
    QVERIFY(std::memcmp(w.data(), w_a.data(), 3 * sizeof(float)) == 0);
    QCOMPARE(b->state().step, 5LL);
    // Mismatched state is rejected with the parameter named.
    OptimizerState bad = saved;
    bad.m[0].pop_back();
    try {
      b->set_state(bad, params);
      QFAIL("expected ShapeError");
    } catch (const ShapeError& e) {
      QVERIFY(std::string(e.what()).find("'w'") != std::string::npos);
    }
    std::vector<float> w4(4), g4(4);
    ParamList other{{"w", w4.data(), g4.data(), 4, true}};
    QVERIFY_THROWS_EXCEPTION(ShapeError, b->step(other, 0.01f));
    QVERIFY_THROWS_EXCEPTION(ValueError, b->step(params, 0.f));
    QVERIFY_THROWS_EXCEPTION(ValueError, b->step(params, INFINITY));
  }
  // --- schedules ---------------------------------------------------------------------------
  void stepScheduleHalvesEveryFourEpochs() {
    ScheduleConfig c;  // DoTA defaults: 1e-3, halved every 4 epochs
    QCOMPARE(learning_rate(c, 0, 0), 1e-3);
    QCOMPARE(learning_rate(c, 999, 3), 1e-3);
    QCOMPARE(learning_rate(c, 1000, 4), 5e-4);
    QCOMPARE(learning_rate(c, 5000, 7), 5e-4);
    QCOMPARE(learning_rate(c, 5000, 8), 2.5e-4);
    QCOMPARE(learning_rate(c, 9000, 13), 1.25e-4);
  }
  void constantAndCosineSchedules() {
    ScheduleConfig c;
    c.kind = ScheduleKind::Constant;
    QCOMPARE(learning_rate(c, 12345, 77), 1e-3);
    c.kind = ScheduleKind::Cosine;
    c.total_steps = 1000;
    c.min_lr = 1e-5;
    QCOMPARE(learning_rate(c, 0, 0), 1e-3);
    QVERIFY(std::fabs(learning_rate(c, 500, 0) - (1e-3 + 1e-5) / 2) < 1e-15);
    // quarter period: (1 + cos(pi/4)) / 2
    QVERIFY(std::fabs(learning_rate(c, 250, 0) - (1e-5 + (1e-3 - 1e-5) * (1 + M_SQRT1_2) / 2)) <
            1e-15);
    QCOMPARE(learning_rate(c, 1000, 0), 1e-5);
    QCOMPARE(learning_rate(c, 5000, 9), 1e-5);  // floor after the end
  }
  void warmupComposes() {
    ScheduleConfig c;
    c.warmup_steps = 10;
    QVERIFY(std::fabs(learning_rate(c, 0, 0) - 1e-4) < 1e-18);
    QVERIFY(std::fabs(learning_rate(c, 4, 0) - 5e-4) < 1e-18);
    QCOMPARE(learning_rate(c, 9, 0), 1e-3);
    QCOMPARE(learning_rate(c, 10, 0), 1e-3);
    QVERIFY(std::fabs(learning_rate(c, 4, 4) - 2.5e-4) < 1e-18);  // warm-up x step decay
    c.kind = ScheduleKind::Cosine;
    c.total_steps = 110;
    QVERIFY(std::fabs(learning_rate(c, 4, 0) - 5e-4) < 1e-18);   // cosine still at its start
    QVERIFY(std::fabs(learning_rate(c, 60, 0) - 5e-4) < 1e-15);  // half of the cosine part
    QCOMPARE(learning_rate(c, 110, 0), 0.0);
  }
  void badScheduleConfigs() {
    ScheduleConfig c;
    c.base_lr = 0;
    QVERIFY_THROWS_EXCEPTION(ConfigError, learning_rate(c, 0, 0));
    c = {};
    c.step_epochs = 0;
    QVERIFY_THROWS_EXCEPTION(ConfigError, learning_rate(c, 0, 0));
    c = {};
    c.kind = ScheduleKind::Cosine;
    c.total_steps = 5, c.warmup_steps = 5;
    QVERIFY_THROWS_EXCEPTION(ConfigError, learning_rate(c, 0, 0));
    c = {};
    QVERIFY_THROWS_EXCEPTION(ValueError, learning_rate(c, -1, 0));
  }
  // --- losses ------------------------------------------------------------------------------
  void lossValuesByHand() {
    const float p[2] = {1.f, 3.f}, t[2] = {0.f, 1.f};
    float g[2];
    QCOMPARE(mse_loss(p, t, 2, g), 2.5);  // (1 + 4) / 2
    QCOMPARE(g[0], 1.f);                  // 2 * 1 / 2
    QCOMPARE(g[1], 2.f);                  // 2 * 2 / 2
    // weights 1 + 1 * |t| / max|t| = {1.5, 2} for t = {1, 2}; L = (0 + 4 * 2) / 3.5
    const float p2[2] = {1.f, 0.f}, t2[2] = {1.f, 2.f};
    QVERIFY(std::fabs(dose_weighted_mse_loss(p2, t2, 2, 1.f, g) - 8.0 / 3.5) < 1e-15);
    QVERIFY(std::fabs(g[1] - 2.0 * 2.0 * -2.0 / 3.5) < 1e-6);
    QCOMPARE(dose_weighted_mse_loss(p, t, 2, 0.f, nullptr), 2.5);
    QVERIFY_THROWS_EXCEPTION(ValueError, mse_loss(p, t, 0, g));
    QVERIFY_THROWS_EXCEPTION(ValueError, dose_weighted_mse_loss(p, t, 2, -1.f, g));
    const float pn[2] = {NAN, 0.f};
    QVERIFY(!std::isfinite(mse_loss(pn, t, 2, g)));
  }
  void lossGradientsMatchFiniteDifferences_data() {
    QTest::addColumn<float>("alpha");
    QTest::newRow("mse") << 0.f;
    QTest::newRow("dose_weighted") << 3.f;
  }
  void lossGradientsMatchFiniteDifferences() {
    // Both losses are exact quadratics in p (the weights depend on the target only), so a central
    // difference has no truncation error. Dividing by the step actually represented in float,
    // (p+h) - (p-h), removes the rounding of p +- h. What remains is double rounding of L
    // (~1e-16 relative, /2h ~ 1e-14) and the float rounding of the returned gradient (relative
    // 6e-8), hence a relative tolerance of 1e-6 (abs floor 1e-9).
    QFETCH(float, alpha);
    const size_t n = 13;
    Lcg rng{7};
    std::vector<float> p(n), t(n), g(n);
    for (size_t i = 0; i < n; ++i) p[i] = rng.next(), t[i] = std::fabs(rng.next());
    dose_weighted_mse_loss(p.data(), t.data(), n, alpha, g.data());
    const float h = 1e-2f;
    for (size_t i = 0; i < n; ++i) {
      std::vector<float> pp = p, pm = p;
      pp[i] += h, pm[i] -= h;
      const double fd = (dose_weighted_mse_loss(pp.data(), t.data(), n, alpha, nullptr) -
                         dose_weighted_mse_loss(pm.data(), t.data(), n, alpha, nullptr)) /
                        (double(pp[i]) - double(pm[i]));
      QVERIFY2(std::fabs(fd - g[i]) <= 1e-6 * std::fabs(fd) + 1e-9,
               qPrintable(QString("i=%1 fd=%2 grad=%3").arg(i).arg(fd, 0, 'g', 12).arg(g[i])));
    }
  }
  // --- augmentation ------------------------------------------------------------------------
  void rotationMatchesIndexFormula() {
    const int S = 3, N = 5;
    Volume v(S, N, N);
    for (size_t i = 0; i < v.size(); ++i) v.data[i] = float(i);  // all distinct
    v.spacing_mm = {2.0, 1.0, 3.0};
    const Volume r1 = rotate_lateral(v, 1), r2 = rotate_lateral(v, 2), r3 = rotate_lateral(v, 3);
    for (int z = 0; z < S; ++z)
      for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) {
          QCOMPARE(r1.at(z, i, j), v.at(z, j, N - 1 - i));
          QCOMPARE(r2.at(z, i, j), v.at(z, N - 1 - i, N - 1 - j));
          QCOMPARE(r3.at(z, i, j), v.at(z, N - 1 - j, i));
        }
    // Counter-clockwise: the top-right corner goes to the top-left.
    QCOMPARE(r1.at(0, 0, 0), v.at(0, 0, N - 1));
    QCOMPARE(r1.spacing_mm[1], 3.0);
    QCOMPARE(r1.spacing_mm[2], 1.0);
    QCOMPARE(r2.spacing_mm[1], 1.0);
    QVERIFY(rotate_lateral(r1, 1).data == r2.data);
    QVERIFY(rotate_lateral(v, -1).data == r3.data);
    QVERIFY(rotate_lateral(v, 6).data == r2.data);
  }
  void fourRotationsAreIdentity() {
    Volume v(4, 6, 6);
    Lcg rng{3};
    for (auto& x : v.data) x = rng.next();
    Volume r = v;
    for (int k = 0; k < 4; ++k) r = rotate_lateral(r, 1);
    QVERIFY(r.data == v.data);
    QVERIFY(r.spacing_mm == v.spacing_mm);
    QVERIFY(rotate_lateral(v, 0).data == v.data);
  }
  void pairRotatesIdenticallyAndRejectsBadShapes() {
    Volume ct(2, 4, 4), dose(2, 4, 4);
    for (size_t i = 0; i < ct.size(); ++i) ct.data[i] = float(i), dose.data[i] = float(i);
    rotate_lateral_pair(ct, dose, 3);
    QVERIFY(ct.data == dose.data);
    QVERIFY(ct.data == rotate_lateral(
                           [] {
                             Volume v(2, 4, 4);
                             for (size_t i = 0; i < v.size(); ++i) v.data[i] = float(i);
                             return v;
                           }(),
                           3)
                           .data);
    Volume rect(2, 4, 5);
    QVERIFY_THROWS_EXCEPTION(ShapeError, rotate_lateral(rect, 1));
    Volume other(3, 4, 4);
    QVERIFY_THROWS_EXCEPTION(ShapeError, rotate_lateral_pair(ct, other, 1));
  }
};

QTEST_GUILESS_MAIN(TestTrainOptim)
#include "test_train_optim.moc"
