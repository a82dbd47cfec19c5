// Materials table, water range tables (vs NIST PSTAR), phantoms (reproducibility, content) and
// the analysis helpers (against hand-computed values).
#include <QtTest>
#include <cmath>
#include <set>

#include "dotakv/analysis.hpp"
#include "dotakv/error.hpp"
#include "dotakv/materials.hpp"
#include "dotakv/phantom.hpp"

using namespace dotakv;
using namespace dotakv::physics;

class TestPhysicsPhantomAnalysis : public QObject {
  Q_OBJECT
 private slots:
  // NIST PSTAR electronic+nuclear stopping power of water (MeV cm^2/g); the Bethe formula with
  // I = 75 eV and no shell/density corrections is expected within 0.2 % at >= 50 MeV and within
  // 1 % at 10-20 MeV where shell corrections start to matter (physics notes).
  void betheMatchesPstar_data() {
    QTest::addColumn<double>("e");
    QTest::addColumn<double>("pstar");
    QTest::addColumn<double>("tol");
    QTest::newRow("10") << 10.0 << 45.67 << 0.01;
    QTest::newRow("20") << 20.0 << 26.07 << 0.01;
    QTest::newRow("50") << 50.0 << 12.45 << 0.002;
    QTest::newRow("70") << 70.0 << 9.559 << 0.002;
    QTest::newRow("100") << 100.0 << 7.289 << 0.002;
    QTest::newRow("150") << 150.0 << 5.445 << 0.002;
    QTest::newRow("200") << 200.0 << 4.492 << 0.002;
    QTest::newRow("250") << 250.0 << 3.911 << 0.002;
  }
  void betheMatchesPstar() {
    QFETCH(double, e);
    QFETCH(double, pstar);
    QFETCH(double, tol);
    QVERIFY(std::abs(bethe_stopping_power_water(e) / pstar - 1.0) < tol);
  }
  // PSTAR CSDA ranges (g/cm^2): 70 4.080, 100 7.718, 150 15.77, 200 25.96, 220 30.55.
  void rangeTableMatchesPstar_data() {
    QTest::addColumn<double>("e");
    QTest::addColumn<double>("r");
    QTest::newRow("70") << 70.0 << 4.080;
    QTest::newRow("100") << 100.0 << 7.718;
    QTest::newRow("150") << 150.0 << 15.77;
    QTest::newRow("200") << 200.0 << 25.96;
    QTest::newRow("220") << 220.0 << 30.55;
  }
  void rangeTableMatchesPstar() {
    QFETCH(double, e);
    QFETCH(double, r);
    const auto& t = WaterTables::instance();
    QVERIFY(std::abs(t.range(e) / r - 1.0) < 0.003);
    QVERIFY(std::abs(t.energy(t.range(e)) - e) < 1e-3 * e);
  }
  // The table lookup agrees with a direct numerical integral of 1/S (plain loop reference).
  void rangeTableMatchesDirectIntegral() {
    const auto& t = WaterTables::instance();
    double r = t.range(1.0);
    const double h = 1e-3;
    for (double e = 1.0; e < 180.0; e += h) r += h / bethe_stopping_power_water(e + 0.5 * h);
    QVERIFY(std::abs(t.range(180.0) / r - 1.0) < 1e-4);
    for (double e : {2.0, 5.0, 33.3, 99.9, 219.0})
      QVERIFY(std::abs(t.energy(t.range(e)) / e - 1.0) < 1e-3);
    QCOMPARE(t.range(0.0), 0.0);
    QCOMPARE(t.energy(-1.0), 0.0);
  }
  void materialTable() {
    const Material w = material_from_hu(0.0);
    QCOMPARE(w.density, 1.0);
    QCOMPARE(w.rsp, 1.0);
    QCOMPARE(w.x0, kWaterX0);
    // monotonic density and RSP, clamped outside the table
    double last_d = 0, last_r = 0;
    for (double hu = -1100; hu <= 3200; hu += 50) {
      const Material m = material_from_hu(hu);
      QVERIFY(m.density >= last_d && m.rsp >= last_r);
      last_d = m.density;
      last_r = m.rsp;
    }
    QCOMPARE(material_from_hu(-5000).density, material_from_hu(-1000).density);
    // interpolation halfway between two rows
    const auto& t = hu_table();
    const double mid = 0.5 * (t[5].hu + t[6].hu);
    QVERIFY(std::abs(material_from_hu(mid).rsp - 0.5 * (t[5].rsp + t[6].rsp)) < 1e-12);
    // bone is denser and stops more; its mass stopping power ratio is < 1 (Schneider 1996)
    const Material b = material_from_hu(1200);
    QVERIFY(b.rsp > 1.4 && b.rsp < 1.7 && b.stopping_ratio() < 1.0);
    QVERIFY_THROWS_EXCEPTION(ValueError, material_from_hu(std::nan("")));
  }
  void phantomsAreReproducible() {
    for (auto kind :
         {PhantomKind::Water, PhantomKind::Slab, PhantomKind::Lateral, PhantomKind::Random}) {
      PhantomOptions o;
      o.kind = kind;
      o.seed = 17;
      const Volume a = make_phantom(o), b = make_phantom(o);
      QVERIFY(a.data == b.data);
      QCOMPARE(a.slices, 150);
      QCOMPARE(a.rows, 24);
      QCOMPARE(a.cols, 24);
      for (float v : a.data) QVERIFY(std::isfinite(v) && v >= -1000.f && v <= 3000.f);
      if (kind != PhantomKind::Water) {
        bool differs = false;
        for (uint64_t s = 18; s < 22 && !differs; ++s) {
          o.seed = s;
          differs = make_phantom(o).data != a.data;
        }
        QVERIFY(differs);
      }
    }
  }
  void phantomContent() {
    PhantomOptions o;
    o.kind = PhantomKind::Water;
    for (float v : make_phantom(o).data) QCOMPARE(v, 0.f);
    // slabs: every slice is uniform (perpendicular to the beam), some slice is not water
    o.kind = PhantomKind::Slab;
    for (uint64_t s = 0; s < 5; ++s) {
      o.seed = s;
      const Volume v = make_phantom(o);
      bool any = false;
      for (int z = 0; z < v.slices; ++z) {
        const float first = v.at(z, 0, 0);
        for (int i = 0; i < v.rows * v.cols; ++i) QCOMPARE(v.slice(z)[i], first);
        any = any || first != 0.f;
      }
      QVERIFY(any);
    }
    // lateral: some slice is laterally non-uniform
    o.kind = PhantomKind::Lateral;
    for (uint64_t s = 0; s < 5; ++s) {
      o.seed = s;
      const Volume v = make_phantom(o);
      bool nonuniform = false;
      for (int z = 0; z < v.slices && !nonuniform; ++z)
        for (int i = 1; i < v.rows * v.cols; ++i)
          if (v.slice(z)[i] != v.slice(z)[0]) nonuniform = true;
      QVERIFY(nonuniform);
    }
    // random: many distinct values (noise) around soft tissue
    o.kind = PhantomKind::Random;
    const Volume r = make_phantom(o);
    std::set<float> distinct(r.data.begin(), r.data.end());
    QVERIFY(distinct.size() > 1000);
    QCOMPARE(parse_phantom_kind("lateral"), PhantomKind::Lateral);
    QCOMPARE(phantom_kind_name(PhantomKind::Random), std::string("random"));
    QVERIFY_THROWS_EXCEPTION(ValueError, parse_phantom_kind("granite"));
    o.rows = 0;
    QVERIFY_THROWS_EXCEPTION(ValueError, make_phantom(o));
    const Volume half = make_half_slab_phantom(50, 8, 8, 2.0, 20.0, 10.0, 1200.f);
    QCOMPARE(half.at(12, 3, 3), 0.f);
    QCOMPARE(half.at(12, 3, 5), 1200.f);
    QCOMPARE(half.at(15, 3, 5), 0.f);  // centre 31 mm >= 30 mm
  }
  // Depth-dose metrics on a piecewise-linear curve whose crossings are known exactly.
  void depthDoseMetrics() {
    std::vector<double> pos, c;
    for (int i = 0; i < 100; ++i) {
      const double x = i + 0.5;
      pos.push_back(x);
      c.push_back(x <= 60.5 ? 0.5 + 0.5 * x / 60.5 : std::max(0.0, 1.0 - (x - 60.5) / 10.0));
    }
    const auto m = depth_dose_metrics(c, pos);
    QVERIFY(m.distal_found);
    QVERIFY(std::abs(m.r90_mm - 61.5) < 1e-9);
    QVERIFY(std::abs(m.r80_mm - 62.5) < 1e-9);
    QVERIFY(std::abs(m.r20_mm - 68.5) < 1e-9);
    QVERIFY(std::abs(m.falloff_80_20_mm - 6.0) < 1e-9);
    QVERIFY(std::abs(m.peak_depth_mm - 60.5) < 0.5);
    QVERIFY_THROWS_EXCEPTION(ShapeError, depth_dose_metrics(c, {1.0}));
  }
  // Depth-dose comparison of two volumes whose integrated depth doses are known: the evaluated
  // curve is the reference moved 2 slices (4 mm) deeper and scaled by 1.1.
  void depthDoseComparison() {
    const int S = 60, R = 4;
    auto bragg = [](double x_mm) {  // piecewise linear: plateau rising to a peak at 60 mm
      return x_mm <= 60.0 ? 0.5 + 0.5 * x_mm / 60.0 : std::max(0.0, 1.0 - (x_mm - 60.0) / 10.0);
    };
    Volume ref(S, R, R, 0.f), ev(S, R, R, 0.f);
    for (int z = 0; z < S; ++z)
      for (int y = 0; y < R; ++y)
        for (int x = 0; x < R; ++x) {
          const double depth = (z + 0.5) * 2.0;
          ref.at(z, y, x) = float(bragg(depth));
          ev.at(z, y, x) = float(1.1 * bragg(depth - 4.0));
        }
    const auto c = compare_depth_dose(ref, ev);
    QVERIFY(c.reference.distal_found && c.evaluated.distal_found);
    // R80 of the reference: the largest sample is bragg(59 mm), and 80 % of it is crossed on the
    // linear distal ramp at 60 + (1 - level) * 10 mm; the evaluated curve is the same samples two
    // slices later, so its R80 is exactly 4 mm deeper
    const double level = 0.8 * bragg(59.0);
    QVERIFY(std::abs(c.reference.r80_mm - (60.0 + (1.0 - level) * 10.0)) < 1e-4);
    QVERIFY(std::abs(c.r80_error_mm - 4.0) < 1e-4);
    // largest |difference| of the sampled curves, in % of the reference's largest sample
    double worst = 0, peak = 0;
    for (int z = 0; z < S; ++z) {
      const double d = (z + 0.5) * 2.0;
      worst = std::max(worst, std::abs(1.1 * bragg(d - 4.0) - bragg(d)));
      peak = std::max(peak, bragg(d));
    }
    QVERIFY(std::abs(c.idd_error_percent - 100.0 * worst / peak) < 1e-3);
    QVERIFY(c.idd_error_percent > 40.0);
    // a curve still rising at the end of the grid has no R80: the error is NaN
    Volume shallow(20, R, R, 0.f);
    for (int z = 0; z < 20; ++z)
      for (int y = 0; y < R; ++y)
        for (int x = 0; x < R; ++x) shallow.at(z, y, x) = float(bragg((z + 0.5) * 2.0));
    const auto n = compare_depth_dose(shallow, shallow);
    QVERIFY(!n.reference.distal_found && std::isnan(n.r80_error_mm));
    QCOMPARE(n.idd_error_percent, 0.0);
    QVERIFY_THROWS_EXCEPTION(ShapeError, compare_depth_dose(ref, shallow));
  }
  void profilesProjectionsAndDifferences() {
    Volume v(3, 40, 40, 0.f);
    v.spacing_mm = {2, 1, 1};
    const double s = 4.0;
    for (int z = 0; z < 3; ++z)
      for (int y = 0; y < 40; ++y)
        for (int x = 0; x < 40; ++x) {
          // voxel-averaged Gaussian centred at 20 mm (plain loop, 100 sub-samples per axis)
          double gy = 0, gx = 0;
          for (int k = 0; k < 100; ++k) {
            const double u = (k + 0.5) / 100.0;
            gy += std::exp(-0.5 * std::pow((y + u - 20.0) / s, 2)) / 100.0;
            gx += std::exp(-0.5 * std::pow((x + u - 20.0) / s, 2)) / 100.0;
          }
          v.at(z, y, x) = float((z + 1) * gy * gx);
        }
    QVERIFY(std::abs(profile_sigma_mm(lateral_profile_integrated(v, 1, 2), 1.0) - s) < 0.02);
    QVERIFY(std::abs(profile_sigma_mm(lateral_profile(v, 1, 1, 20), 1.0) - s) < 0.02);
    const auto idd = integrated_depth_dose(v);
    QVERIFY(std::abs(idd[2] / idd[0] - 3.0) < 1e-5);
    const Image2D mip0 = max_intensity_projection(v, 0);
    QCOMPARE(mip0.height, 40);
    QCOMPARE(mip0.width, 40);
    QCOMPARE(mip0.at(7, 9), v.at(2, 7, 9));  // the last slice is the largest
    const Image2D mip2 = max_intensity_projection(v, 2);
    QCOMPARE(mip2.height, 3);
    QCOMPARE(mip2.width, 40);
    float mx = 0;
    for (int x = 0; x < 40; ++x) mx = std::max(mx, v.at(1, 13, x));
    QCOMPARE(mip2.at(1, 13), mx);
    // dose difference by hand: one voxel off by 10 % of max
    Volume e = v;
    const float vmax = *std::max_element(v.data.begin(), v.data.end());
    e.at(0, 0, 0) += 0.1f * vmax;
    const auto d = dose_difference(v, e);
    QVERIFY(std::abs(d.max_abs_percent - 10.0) < 1e-3);
    QVERIFY(std::abs(d.mean_abs - 0.1 * vmax / v.size()) < 1e-9);
    QCOMPARE(d.high_dose_mean_rel_percent, 0.0);  // the changed voxel is low-dose
    QVERIFY_THROWS_EXCEPTION(ShapeError, dose_difference(v, Volume(3, 40, 39)));
  }
};

QTEST_GUILESS_MAIN(TestPhysicsPhantomAnalysis)
#include "test_physics_phantom_analysis.moc"
