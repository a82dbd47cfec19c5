// Pencil-beam algorithm: range and energy bookkeeping, the lateral model against a plain-loop
// reference, and agreement with the MC in water versus disagreement behind a lateral
// heterogeneity (the classical PBA failure, Pastor-Serrano & Perko 2022 fig. 6).
#include <QtTest>
#include <cmath>

#include "dotakv/analysis.hpp"
#include "dotakv/error.hpp"
#include "dotakv/gamma.hpp"
#include "dotakv/materials.hpp"
#include "dotakv/mc.hpp"
#include "dotakv/pba.hpp"
#include "dotakv/phantom.hpp"

using namespace dotakv;
using namespace dotakv::physics;

class TestPhysicsPba : public QObject {
  Q_OBJECT
 private slots:
  // R80 of the PBA depth dose vs NIST CSDA ranges (g/cm^2): 70 4.080, 150 15.77, 200 25.96.
  void r80MatchesNist_data() {
    QTest::addColumn<double>("e");
    QTest::addColumn<double>("r_mm");
    QTest::newRow("70") << 70.0 << 40.80;
    QTest::newRow("150") << 150.0 << 157.7;
    QTest::newRow("200") << 200.0 << 259.6;
  }
  void r80MatchesNist() {
    QFETCH(double, e);
    QFETCH(double, r_mm);
    PbaOptions o;
    o.energy_mev = e;
    const int n = int(r_mm / 0.5) + 60;
    const auto idd = pba_water_idd(o, 0.05, n);
    std::vector<double> pos(n);
    for (int i = 0; i < n; ++i) pos[i] = (i + 0.5) * 0.5;
    const auto m = depth_dose_metrics(idd, pos);
    QVERIFY(std::abs(m.r80_mm / r_mm - 1.0) < 0.01);
  }
  // Energy bookkeeping: the laterally integrated depth dose integrates to E0 minus what nuclear
  // interactions carry away (40 % of the removed energy; removal 0.012/cm above 10 MeV).
  void integralIsEnergyMinusNuclearLoss() {
    PbaOptions o;
    o.energy_mev = 150.0;
    o.energy_spread = 0.0;
    const auto idd = pba_water_idd(o, 0.01, 2000);
    double total = 0;
    for (double v : idd) total += v * 0.01;
    // plain-loop expectation of the escaping energy: integrate kappa * phi * E(w) * 0.4 in depth
    const auto& t = WaterTables::instance();
    const double r0 = t.range(150.0);
    double phi = 1.0, lost = 0.0;
    for (double w = 0.0; w < r0; w += 1e-3) {
      const double e = t.energy(r0 - w - 5e-4);
      if (e <= 10.0) break;
      const double dphi = phi * 0.012 * 1e-3;
      lost += 0.4 * dphi * e;
      phi -= dphi;
    }
    QVERIFY2(std::abs(total - (150.0 - lost)) < 0.01 * 150.0,
             qPrintable(QString("%1 vs %2").arg(total).arg(150.0 - lost)));
    o.nuclear = false;
    double t2 = 0;
    for (double v : pba_water_idd(o, 0.01, 2000)) t2 += v * 0.01;
    QVERIFY(std::abs(t2 / 150.0 - 1.0) < 1e-3);
  }
  // In water the dose of a slice equals IDD * normalised lateral Gaussian; a wide grid captures
  // all of it, and the lateral sigma at the entrance equals the spot sigma.
  void lateralModel() {
    Volume ct(80, 40, 40, 0.f);
    PbaOptions o;
    o.energy_mev = 150.0;
    const Volume d = run_pba(ct, o);
    const auto idd = pba_water_idd(o, 0.2, 80);
    const auto slice_energy = integrated_depth_dose(d);  // Gy cm^2 per primary
    for (int z : {0, 20, 60, 75}) {
      // Gy cm^2 -> MeV/cm: / (J per MeV * 1e3 g/kg) * density 1 g/cm^3
      const double mev_per_cm = slice_energy[z] / (kMeVToJoule * 1e3);
      QVERIFY2(std::abs(mev_per_cm / idd[z] - 1.0) < 0.01,
               qPrintable(QString("z=%1: %2 vs %3").arg(z).arg(mev_per_cm).arg(idd[z])));
    }
    QVERIFY(std::abs(profile_sigma_mm(lateral_profile_integrated(d, 0, 2), 2.0) - 3.0) < 0.1);
    // sigma grows with depth (Fermi-Eyges)
    QVERIFY(profile_sigma_mm(lateral_profile_integrated(d, 70, 2), 2.0) > 4.0);
  }
  void boneSlabShift() {
    PbaOptions o;
    o.energy_mev = 150.0;
    const Volume w = make_slab_phantom(100, 24, 24, 2.0, 40.0, 20.0, 0.f);
    const Volume b = make_slab_phantom(100, 24, 24, 2.0, 40.0, 20.0, 1200.f);
    auto r80 = [&](const Volume& ct) {
      const Volume d = run_pba(ct, o);
      return depth_dose_metrics(integrated_depth_dose(d), depth_positions_mm(d)).r80_mm;
    };
    const double shift = r80(w) - r80(b);
    QVERIFY(std::abs(shift - 20.0 * (material_from_hu(1200).rsp - 1.0)) <= 1.0);
  }
  // MC and PBA agree in water: gamma 1 %/1 mm (global, reference maximum, 10 % threshold) >= 99 %.
  // Behind a lateral heterogeneity (bone half-slab whose edge runs along the beam axis) the PBA's
  // ray-wise WEPL misses the lateral scatter mixing and the pass rate drops visibly.
  void mcAgreesInWaterAndDisagreesBehindLateralHeterogeneity() {
    McOptions mo;
    mo.energy_mev = 150.0;
    mo.primaries = 300000;
    mo.seed = 2024;
    PbaOptions po;
    po.energy_mev = 150.0;
    GammaOptions g;
    g.dose_percent = 1.0;
    g.dta_mm = 1.0;
    g.threshold_fraction = 0.1;
    const Volume water(150, 24, 24, 0.f);
    const auto gw = gamma_index(run_mc(water, mo).dose, run_pba(water, po), g);
    const Volume half = make_half_slab_phantom(150, 24, 24, 2.0, 40.0, 20.0, 1200.f);
    const auto gh = gamma_index(run_mc(half, mo).dose, run_pba(half, po), g);
    qInfo("1%%/1mm pass rate: water %.2f %%, half-slab %.2f %%", gw.pass_rate, gh.pass_rate);
    QVERIFY(gw.pass_rate >= 99.0);
    QVERIFY(gh.pass_rate < 97.0);
    QVERIFY(gw.pass_rate - gh.pass_rate > 3.0);
  }
  void badInput() {
    PbaOptions o;
    o.energy_mev = 500.0;
    QVERIFY_THROWS_EXCEPTION(ValueError, run_pba(Volume(10, 4, 4, 0.f), o));
    o.energy_mev = 100.0;
    QVERIFY_THROWS_EXCEPTION(ValueError, run_pba(Volume(), o));
    Volume n(10, 4, 4, 0.f);
    n.data[5] = std::nanf("");
    QVERIFY_THROWS_EXCEPTION(ValueError, run_pba(n, o));
    o.spot_sigma_mm = -1;
    QVERIFY_THROWS_EXCEPTION(ValueError, run_pba(Volume(10, 4, 4, 0.f), o));
  }
};

QTEST_GUILESS_MAIN(TestPhysicsPba)
#include "test_physics_pba.moc"
