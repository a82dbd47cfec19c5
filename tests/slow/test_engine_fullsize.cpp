// Full DoTA size (150 slices, 24x24, 64 channels, 16 heads of 432): the engine's full pass
// against the loop-based reference model, and stream + cache / prefix reuse against full.
// Slow label: the double-precision reference alone is ~10 GMAC.
#include <QtTest>
#include <cmath>
#include <random>

#include "dotakv/session.hpp"
#include "reference_layers.hpp"
#include "test_support.hpp"

using namespace dotakv;

namespace {
using dotakv::test::max_abs;
using dotakv::test::max_diff;
}  // namespace

class TestEngineFullsize : public QObject {
  Q_OBJECT
 private slots:
  void fullSizeModelMatchesReferenceAndModesAgree() {
    auto model = Model::random_shared(ModelConfig::preset("full"), 2024);
    Volume ct(150, 24, 24);
    std::mt19937 g(3);
    std::uniform_real_distribution<float> u(-900.f, 1400.f);
    for (auto& v : ct.data) v = u(g);
    Volume x = ct;
    for (auto& v : x.data) v = model->scale_ct(v);
    const float e = model->scale_energy(180.0);
    SessionOptions o;
    o.mode = Mode::full;
    o.cache = true;
    Session s(model, o);
    const Volume full = s.infer_scaled({x}, {e})[0];
    const Volume ref = ref::forward(*model, x, e);
    const double d = max_diff(full, ref) / max_abs(ref);
    qInfo("full size: engine full vs reference: max diff / max = %.2e", d);
    QVERIFY(d <= 1e-5);
    SessionOptions so;
    so.mode = Mode::stream;
    so.cache = true;
    so.chunk = 7;
    Session st(model, so);
    const double ds = max_diff(st.infer_scaled({x}, {e})[0], full) / max_abs(full);
    qInfo("full size: stream+cache chunk 7 vs full: %.2e", ds);
    QVERIFY(ds <= 1e-5);
    Volume x2 = x;
    for (int z = 90; z < 150; ++z) x2.slice(z)[100] += 0.3f;
    Volume ct2 = ct;
    for (int z = 90; z < 150; ++z)
      ct2.slice(z)[100] =
          ct2.slice(z)[100] + 0.3f * float(model->scaling().ct_max_hu - model->scaling().ct_min_hu);
    s.infer(ct, 180.0);
    const Volume reused = s.infer_reusing_prefix(ct2, 180.0, 90);
    QCOMPARE(s.last_stats().tokens_reused, std::int64_t(91));
    Session f(model, o);
    const Volume fresh = f.infer(ct2, 180.0);
    const double dp = max_diff(reused, fresh) / max_abs(fresh);
    qInfo("full size: prefix reuse from slice 90 vs fresh full: %.2e", dp);
    QVERIFY(dp <= 1e-5);
  }
};

QTEST_GUILESS_MAIN(TestEngineFullsize)
#include "test_engine_fullsize.moc"
