// Monte Carlo validation against literature numbers (sources cited per test), determinism,
// energy conservation, statistics and bad input.
#include <QtTest>
#include <cmath>

#include "dotakv/analysis.hpp"
#include "dotakv/error.hpp"
#include "dotakv/materials.hpp"
#include "dotakv/mc.hpp"
#include "dotakv/phantom.hpp"

using namespace dotakv;
using namespace dotakv::physics;

namespace {
// Water block with 1 mm slices along the beam (finer depth scoring for range metrics), 2 mm
// lateral voxels, long enough for the energy.
Volume water_block(double energy, double dz = 1.0, int lateral = 24) {
  const double r_mm = 10.0 * WaterTables::instance().range(energy);
  Volume v(int((r_mm + 30.0) / dz), lateral, lateral, 0.f);
  v.spacing_mm = {dz, 2.0, 2.0};
  return v;
}
DepthDoseMetrics metrics(const Volume& dose) {
  return depth_dose_metrics(integrated_depth_dose(dose), depth_positions_mm(dose));
}
double total_energy_mev(const Volume& dose, const Volume& ct) {
  // dose (Gy) * mass (kg) / J-per-MeV
  double e = 0.0;
  const double vol_cm3 = dose.spacing_mm[0] * dose.spacing_mm[1] * dose.spacing_mm[2] * 1e-3;
  for (size_t i = 0; i < dose.size(); ++i)
    e += dose.data[i] * material_from_hu(ct.data[i]).density * vol_cm3 * 1e-3 / kMeVToJoule;
  return e;
}
}  // namespace

class TestPhysicsMc : public QObject {
  Q_OBJECT
 private slots:
  // NIST PSTAR CSDA ranges in water (g/cm^2): 70 MeV 4.080, 100 MeV 7.718, 150 MeV 15.77,
  // 200 MeV 25.96 (physics notes). The distal R80 of a Bragg curve equals the CSDA range within
  // ~0.1 mm (Bortfeld, Med. Phys. 24:2024, 1997). Requirement: |R80 - R_CSDA| <= 1 %.
  void r80MatchesNistCsdaRange_data() {
    QTest::addColumn<double>("energy");
    QTest::addColumn<double>("csda_mm");
    QTest::newRow("70 MeV") << 70.0 << 40.80;
    QTest::newRow("100 MeV") << 100.0 << 77.18;
    QTest::newRow("150 MeV") << 150.0 << 157.7;
    QTest::newRow("200 MeV") << 200.0 << 259.6;
  }
  void r80MatchesNistCsdaRange() {
    QFETCH(double, energy);
    QFETCH(double, csda_mm);
    McOptions o;
    o.energy_mev = energy;
    o.primaries = 20000;
    o.seed = 11;
    const auto r = run_mc(water_block(energy), o);
    const auto m = metrics(r.dose);
    QVERIFY(m.distal_found);
    const double rel = std::abs(m.r80_mm / csda_mm - 1.0);
    if (rel > 0.01) qWarning("R80 %.2f mm vs CSDA %.2f mm", m.r80_mm, csda_mm);
    QVERIFY(rel <= 0.01);
    QVERIFY(m.peak_depth_mm < m.r80_mm);
  }
  // Distal 80-20 % fall-off of a mono-energetic beam ~ 1.32 sigma (Bortfeld 1997) with the range
  // straggling sigma = 0.012 R0^0.935 cm, here combined in quadrature with the 0.25 mm scoring
  // bin (uniform, variance h^2/12). Accepted band: 0.9 .. 1.2 of that estimate.
  void distalFalloffMatchesBortfeld_data() {
    QTest::addColumn<double>("energy");
    QTest::newRow("100 MeV") << 100.0;
    QTest::newRow("200 MeV") << 200.0;
  }
  void distalFalloffMatchesBortfeld() {
    QFETCH(double, energy);
    McOptions o;
    o.energy_mev = energy;
    o.energy_spread = 0.0;
    o.primaries = 20000;
    o.seed = 5;
    const auto r = run_mc(water_block(energy, 0.25, 12), o);
    const auto m = metrics(r.dose);
    const double r0_cm = 0.1 * m.r80_mm;
    const double sigma_mm = 10.0 * 0.012 * std::pow(r0_cm, 0.935);
    const double expected = 1.32 * std::sqrt(sigma_mm * sigma_mm + 0.0625 / 12.0);
    const double ratio = m.falloff_80_20_mm / expected;
    qInfo("%.0f MeV: fall-off %.2f mm, Bortfeld estimate %.2f mm", energy, m.falloff_80_20_mm,
          expected);
    QVERIFY(ratio > 0.9 && ratio < 1.2);
  }
  // Energy spread widens the fall-off: sigma_R^2 = straggling^2 + (dR/dE sigma_E)^2 (Bortfeld).
  void energySpreadWidensFalloff() {
    McOptions o;
    o.energy_mev = 150.0;
    o.primaries = 20000;
    o.seed = 3;
    const auto with = metrics(run_mc(water_block(150.0), o).dose);
    const double r0 = 15.77;  // cm
    const double s_strag = 0.012 * std::pow(r0, 0.935);
    const double s_spread = 1.77 * r0 / 150.0 * 0.008 * 150.0;  // R = a E^p -> dR/dE = p R / E
    const double expected = 13.2 * std::sqrt(s_strag * s_strag + s_spread * s_spread + 0.01 / 12.0);
    qInfo("fall-off with 0.8 %% spread %.2f mm, estimate %.2f mm", with.falloff_80_20_mm, expected);
    QVERIFY(with.falloff_80_20_mm / expected > 0.9 && with.falloff_80_20_mm / expected < 1.2);
  }
  // Lateral spread from multiple Coulomb scattering near the end of range is ~2.3 % of the range
  // in water (Gottschalk, "On the scattering power of radiotherapy protons", Med. Phys. 37:352,
  // 2010; physics notes: 3.4-3.6 mm at 150 MeV). Point source, sigma at the Bragg peak from the
  // laterally integrated profile: accepted 2.0 .. 2.6 % of R.
  void lateralSigmaNearPeak() {
    Volume ct(90, 24, 24, 0.f);
    McOptions o;
    o.energy_mev = 150.0;
    o.spot_sigma_mm = 0.0;
    o.primaries = 40000;
    o.seed = 9;
    const auto r = run_mc(ct, o);
    const auto idd = integrated_depth_dose(r.dose);
    const int zp = int(std::max_element(idd.begin(), idd.end()) - idd.begin());
    const double s = 0.5 * (profile_sigma_mm(lateral_profile_integrated(r.dose, zp, 1), 2.0) +
                            profile_sigma_mm(lateral_profile_integrated(r.dose, zp, 2), 2.0));
    qInfo("sigma at the peak (z = %d): %.2f mm = %.2f %% of R", zp, s, 100.0 * s / 157.7);
    QVERIFY(s / 157.7 > 0.020 && s / 157.7 < 0.026);
    // With the default 3 mm spot the widths add in quadrature.
    o.spot_sigma_mm = 3.0;
    const auto r3 = run_mc(ct, o);
    const double s3 = profile_sigma_mm(lateral_profile_integrated(r3.dose, zp, 2), 2.0);
    QVERIFY(std::abs(s3 - std::sqrt(s * s + 9.0)) < 0.25);
  }
  // A 2 cm bone slab shifts R80 upstream by its WEPL excess t (RSP - 1) (physics notes;
  // Schneider 1996), RSP from the same HU table. Requirement: within 1 mm.
  void boneSlabShiftsRangeByWepl() {
    const double rsp = material_from_hu(1200.0).rsp;
    McOptions o;
    o.energy_mev = 150.0;
    o.primaries = 20000;
    o.seed = 21;
    const Volume water = make_slab_phantom(100, 24, 24, 2.0, 40.0, 20.0, 0.f);
    const Volume bone = make_slab_phantom(100, 24, 24, 2.0, 40.0, 20.0, 1200.f);
    const double r_w = metrics(run_mc(water, o).dose).r80_mm;
    const double r_b = metrics(run_mc(bone, o).dose).r80_mm;
    const double expected = 20.0 * (rsp - 1.0);
    qInfo("R80 water %.2f bone %.2f: shift %.2f mm, expected %.2f mm", r_w, r_b, r_w - r_b,
          expected);
    QVERIFY(std::abs((r_w - r_b) - expected) <= 1.0);
  }
  // Without nuclear interactions and with a wide grid, every MeV is deposited (only protons
  // scattered out laterally or backwards could escape): sum of dose * mass == E0 within 0.5 %.
  void energyIsConserved() {
    Volume ct(60, 40, 40, 0.f);
    McOptions o;
    o.energy_mev = 100.0;
    o.energy_spread = 0.0;
    o.nuclear = false;
    o.primaries = 5000;
    const auto r = run_mc(ct, o);
    const double e = total_energy_mev(r.dose, ct);  // dose is per primary
    QVERIFY2(std::abs(e / 100.0 - 1.0) < 0.005, qPrintable(QString::number(e)));
    // With nuclear interactions part of the energy escapes (neutral secondaries): 3..10 % for
    // 100 MeV (removal ~1 %/cm over 7.7 cm, ~40 % of the removed energy leaves).
    o.nuclear = true;
    const double en = total_energy_mev(run_mc(ct, o).dose, ct);
    QVERIFY2(en / 100.0 < 0.98 && en / 100.0 > 0.9, qPrintable(QString::number(en)));
  }
  void deterministicForSeedAndThreads() {
    Volume ct = make_slab_phantom(60, 24, 24, 2.0, 30.0, 10.0, -750.f);
    McOptions o;
    o.energy_mev = 100.0;
    o.primaries = 4000;
    o.seed = 42;
    o.threads = 2;
    const auto a = run_mc(ct, o);
    const auto b = run_mc(ct, o);
    QVERIFY(a.dose.data == b.dose.data);
    o.threads = 1;  // batches are fixed, so the thread count does not change the result
    const auto c = run_mc(ct, o);
    QVERIFY(a.dose.data == c.dose.data);
    QCOMPARE(a.steps, c.steps);
    o.seed = 43;
    const auto d = run_mc(ct, o);
    QVERIFY(a.dose.data != d.dose.data);
  }
  // The batch standard error shrinks as 1/sqrt(N), and two independent runs differ at the peak
  // by an amount consistent with it.
  void batchUncertaintyScales() {
    Volume ct(60, 24, 24, 0.f);
    McOptions o;
    o.energy_mev = 100.0;
    o.primaries = 5000;
    o.seed = 1;
    const auto a = run_mc(ct, o);
    o.primaries = 20000;
    const auto b = run_mc(ct, o);
    const double ratio = a.max_dose_rel_uncertainty / b.max_dose_rel_uncertainty;
    QVERIFY2(ratio > 1.5 && ratio < 2.6, qPrintable(QString::number(ratio)));  // expect 2
    // uncertainty is positive where there is dose, zero where there is none
    const size_t peak =
        size_t(std::max_element(b.dose.data.begin(), b.dose.data.end()) - b.dose.data.begin());
    QVERIFY(b.uncertainty.data[peak] > 0.f);
    QCOMPARE(b.uncertainty.at(59, 0, 0), 0.f);
  }
  // Dose to water = dose to medium * rho / RSP in every voxel (identical transport, same seed).
  void doseToWaterConversion() {
    Volume ct = make_slab_phantom(40, 12, 12, 2.0, 10.0, 10.0, 1200.f);
    McOptions o;
    o.energy_mev = 100.0;
    o.primaries = 2000;
    const auto m = run_mc(ct, o);
    o.dose_to_water = true;
    const auto w = run_mc(ct, o);
    const Material bone = material_from_hu(1200.0);
    const float dm = m.dose.at(7, 6, 6), dw = w.dose.at(7, 6, 6);  // inside the slab
    QVERIFY(dm > 0.f);
    QVERIFY(std::abs(dw / dm - bone.density / bone.rsp) < 1e-4);
    QVERIFY(std::abs(w.dose.at(2, 6, 6) / m.dose.at(2, 6, 6) - 1.0) < 1e-4);  // water voxel
    QVERIFY(std::abs(w.dose.at(12, 6, 6) / m.dose.at(12, 6, 6) - 1.0) < 1e-4);
  }
  void badInputIsRejected() {
    Volume ct(20, 8, 8, 0.f);
    McOptions o;
    o.primaries = 10;
    for (double e : {0.0, -5.0, 400.0, std::nan("")}) {
      o.energy_mev = e;
      QVERIFY_THROWS_EXCEPTION(ValueError, run_mc(ct, o));
    }
    o.energy_mev = 100.0;
    o.primaries = 0;
    QVERIFY_THROWS_EXCEPTION(ValueError, run_mc(ct, o));
    o.primaries = -3;
    QVERIFY_THROWS_EXCEPTION(ValueError, run_mc(ct, o));
    o.primaries = 10;
    QVERIFY_THROWS_EXCEPTION(ValueError, run_mc(Volume(), o));
    Volume nan_ct = ct;
    nan_ct.at(3, 2, 1) = std::nanf("");
    QVERIFY_THROWS_EXCEPTION(ValueError, run_mc(nan_ct, o));
    Volume inf_ct = ct;
    inf_ct.at(0, 0, 0) = INFINITY;
    QVERIFY_THROWS_EXCEPTION(ValueError, run_mc(inf_ct, o));
  }
  void cancellationThrows() {
    Volume ct(60, 24, 24, 0.f);
    McOptions o;
    o.primaries = 200000;
    Progress p;
    p.cancel();
    QVERIFY_THROWS_EXCEPTION(Cancelled, run_mc(ct, o, &p));
  }
};

QTEST_GUILESS_MAIN(TestPhysicsMc)
#include "test_physics_mc.moc"
