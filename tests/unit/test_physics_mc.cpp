// Monte Carlo validation against literature numbers (sources cited per test), determinism,
// energy conservation, statistics and bad input.
#include <QtTest>
#include <cmath>

#include <random>

#include "dotakv/analysis.hpp"
#include "dotakv/energy_loss.hpp"
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
// Independent RNG for the sampler tests (not the MC's own generator).
struct TestRng {
  std::mt19937_64 g{12345};
  std::normal_distribution<double> n{0.0, 1.0};
  double uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(g); }
  double uniform_pos() { return 1.0 - uniform(); }
  double normal() { return n(g); }
};
// Mean of the laterally integrated depth dose over the slices whose centres lie in [z0, z1) mm.
double mean_idd(const Volume& dose, double z0, double z1) {
  const auto idd = integrated_depth_dose(dose);
  const auto z = depth_positions_mm(dose);
  double sum = 0.0;
  int n = 0;
  for (size_t i = 0; i < idd.size(); ++i)
    if (z[i] >= z0 && z[i] < z1) {
      sum += idd[i];
      ++n;
    }
  return sum / n;
}
// Gaussian sigma from the full width at half maximum of a profile (linear interpolation).
double fwhm_sigma_mm(const std::vector<double>& p, double spacing) {
  const size_t k = size_t(std::max_element(p.begin(), p.end()) - p.begin());
  const double half = 0.5 * p[k];
  auto crossing = [&](int step) {
    int i = int(k);
    while (i + step >= 0 && i + step < int(p.size()) && p[i + step] > half) i += step;
    const int j = i + step;
    if (j < 0 || j >= int(p.size())) return double(i);
    return i + step * (p[i] - half) / (p[i] - p[j]);
  };
  return (crossing(1) - crossing(-1)) * spacing / 2.3548;
}
// Sum of dose * mass (MeV per primary) over the voxels with |row|, |col| offsets from the lateral
// centre inside (or outside) a square of half-width half_mm.
double energy_in_square(const Volume& dose, const Volume& ct, double half_mm, bool inside) {
  const double vol_cm3 = dose.spacing_mm[0] * dose.spacing_mm[1] * dose.spacing_mm[2] * 1e-3;
  double e = 0.0;
  for (int z = 0; z < dose.slices; ++z)
    for (int y = 0; y < dose.rows; ++y)
      for (int x = 0; x < dose.cols; ++x) {
        const double dy = (y + 0.5) * dose.spacing_mm[1] - 0.5 * dose.rows * dose.spacing_mm[1];
        const double dx = (x + 0.5) * dose.spacing_mm[2] - 0.5 * dose.cols * dose.spacing_mm[2];
        const bool in = std::abs(dy) < half_mm && std::abs(dx) < half_mm;
        if (in != inside) continue;
        e += dose.at(z, y, x) * material_from_hu(ct.at(z, y, x)).density * vol_cm3 * 1e-3 /
             kMeVToJoule;
      }
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
  // laterally integrated profile: accepted 2.0 .. 2.6 % of R. The rule describes the
  // electromagnetic core, so it is checked with nuclear interactions off (RMS width) and, with
  // them on, on the core's FWHM / 2.355 (the halo widens the RMS, not the core).
  void lateralSigmaNearPeak() {
    Volume ct(90, 24, 24, 0.f);
    McOptions o;
    o.energy_mev = 150.0;
    o.spot_sigma_mm = 0.0;
    o.primaries = 40000;
    o.seed = 9;
    o.nuclear = false;
    const auto r = run_mc(ct, o);
    const auto idd = integrated_depth_dose(r.dose);
    const int zp = int(std::max_element(idd.begin(), idd.end()) - idd.begin());
    const double s = 0.5 * (profile_sigma_mm(lateral_profile_integrated(r.dose, zp, 1), 2.0) +
                            profile_sigma_mm(lateral_profile_integrated(r.dose, zp, 2), 2.0));
    qInfo("sigma at the peak (z = %d): %.2f mm = %.2f %% of R", zp, s, 100.0 * s / 157.7);
    QVERIFY(s / 157.7 > 0.020 && s / 157.7 < 0.026);
    o.nuclear = true;
    const auto rn = run_mc(ct, o);
    const double s_core = 0.5 * (fwhm_sigma_mm(lateral_profile_integrated(rn.dose, zp, 1), 2.0) +
                                 fwhm_sigma_mm(lateral_profile_integrated(rn.dose, zp, 2), 2.0));
    const double s_rms = profile_sigma_mm(lateral_profile_integrated(rn.dose, zp, 2), 2.0);
    qInfo("with nuclear interactions: core sigma (FWHM) %.2f mm = %.2f %% of R, RMS %.2f mm",
          s_core, 100.0 * s_core / 157.7, s_rms);
    QVERIFY(s_core / 157.7 > 0.020 && s_core / 157.7 < 0.026);
    QVERIFY(s_rms > s_core);  // the halo adds tails
    // With the default 3 mm spot the widths add in quadrature.
    o.nuclear = false;
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
  // The step energy-loss sampler (energy_loss.hpp) has the requested mean and variance and is
  // never negative, from thick steps (sigma << mean, Gaussian regime) to air-like thin steps
  // (sigma = 10 x mean). A Gaussian clamped at zero, the sampler before issue #15, fails the mean
  // check from sigma/mean ~ 0.5 on (checked here as a negative control).
  void energyLossSamplerIsUnbiased_data() {
    QTest::addColumn<double>("rel_sigma");
    for (double r : {0.01, 0.1, 0.5, 1.0, 3.0, 10.0})
      QTest::newRow(qPrintable(QString("sigma/mean %1").arg(r))) << r;
  }
  void energyLossSamplerIsUnbiased() {
    QFETCH(double, rel_sigma);
    const double mean = 2.0, var = std::pow(rel_sigma * mean, 2);
    TestRng rng;
    const int n = 400000;
    double s1 = 0.0, s2 = 0.0, clamped = 0.0, mn = 1e300;
    for (int i = 0; i < n; ++i) {
      const double x = sample_energy_loss(mean, var, rng);
      s1 += x;
      s2 += x * x;
      mn = std::min(mn, x);
      clamped += std::max(0.0, mean + std::sqrt(var) * rng.normal());
    }
    const double m = s1 / n, v = s2 / n - m * m;
    const double k = mean * mean / var;  // gamma shape: excess kurtosis 6/k
    const double se_mean = std::sqrt(var / n), se_var = var * std::sqrt((2.0 + 6.0 / k) / n);
    qInfo(
        "sigma/mean %.2f: mean %.5f (want %.5f +- %.5f), var %.4g (want %.4g +- %.2g), min %.3g,"
        " clamped Gaussian mean %.4f",
        rel_sigma, m, mean, se_mean, v, var, se_var, mn, clamped / n);
    QVERIFY(mn >= 0.0);
    QVERIFY(std::abs(m - mean) < 4.0 * se_mean);
    QVERIFY(std::abs(v - var) < 4.0 * se_var);
    if (rel_sigma >= 0.5) QVERIFY(std::abs(clamped / n - mean) > 4.0 * se_mean);
  }
  // Dose to medium in a 40 mm slab across a 150 MeV beam (80-120 mm deep) against the water just
  // upstream (60-80 mm): the laterally integrated dose per mass thickness follows the mass
  // stopping-power ratio (S/rho)_med/(S/rho)_w = RSP/rho of the HU table times the water
  // stopping power at the local CSDA energy (Bragg-Gray: the fluence is continuous across the
  // interface), averaged over the same slices. Nuclear interactions off: the primary fluence is
  // then constant and the expectation exact up to the energy spread (tolerance 4 standard errors
  // over 4 seeds + 0.3 %). Nuclear interactions on: part of the upstream water dose comes from
  // nuclear secondaries, whose build-up is disturbed by the slab (they cross low-density slabs
  // without stopping and leave the 80 mm grid); the ratio must then lie within that nuclear share
  // of the expectation. The clamped-Gaussian straggling before issue #15 gave 1.56 for air.
  // (The bone slab is 20 mm thick so that its downstream end stays ~5 cm of water before the end
  // of range, where the CSDA energy is still a good mean energy.)
  void doseToMediumFollowsStoppingPowerRatio_data() {
    QTest::addColumn<float>("hu");
    QTest::addColumn<double>("thickness");
    QTest::newRow("air -1000 HU") << -1000.f << 40.0;
    QTest::newRow("inflated lung -950 HU") << -950.f << 40.0;
    QTest::newRow("lung -800 HU") << -800.f << 40.0;
    QTest::newRow("lung -500 HU") << -500.f << 40.0;
    QTest::newRow("fat -100 HU") << -100.f << 40.0;
    QTest::newRow("bone 1200 HU") << 1200.f << 20.0;
  }
  void doseToMediumFollowsStoppingPowerRatio() {
    QFETCH(float, hu);
    QFETCH(double, thickness);
    const double z_end = 80.0 + thickness - 2.0;  // last slab slice left out (interface)
    const Volume ct = make_slab_phantom(100, 40, 40, 2.0, 80.0, thickness, hu);
    const Material m = material_from_hu(hu);
    const auto& tab = WaterTables::instance();
    const double r0 = tab.range(150.0);
    // expected IDD per primary (shape only) averaged over the slices of a region, 8 points per
    // 2 mm slice; wet(z) = z in the water upstream, 80 + (z - 80) RSP inside the slab
    auto expected_mean = [&](double z0, double z1, const Material& slab) {
      double sum = 0.0;
      int n = 0;
      for (double z = z0 + 0.125; z < z1; z += 0.25, ++n) {
        const bool in_slab = z >= 80.0;
        const double wet = in_slab ? 80.0 + (z - 80.0) * slab.rsp : z;
        sum += (in_slab ? slab.rsp / slab.density : 1.0) *
               tab.stopping_power(tab.energy(r0 - 0.1 * wet));
      }
      return sum / n;
    };
    // slab / upstream expectation for a slab of the given material
    auto expected_ratio = [&](const Material& slab) {
      return expected_mean(82.0, z_end, slab) / expected_mean(60.0, 80.0, slab);
    };
    const double expected = expected_ratio(m);
    // slab/upstream IDD ratio: mean and standard error over 4 seeds
    auto measure = [&](const Volume& phantom, bool nuclear, double& sem, double& upstream) {
      std::vector<double> ratios;
      upstream = 0.0;
      for (uint64_t seed : {1, 2, 3, 4}) {
        McOptions o;
        o.energy_mev = 150.0;
        o.primaries = 40000;
        o.seed = seed;
        o.nuclear = nuclear;
        const auto r = run_mc(phantom, o);
        ratios.push_back(mean_idd(r.dose, 82.0, z_end) / mean_idd(r.dose, 60.0, 80.0));
        upstream += mean_idd(r.dose, 60.0, 80.0) / 4.0;
      }
      double mean = 0.0, ss = 0.0;
      for (double x : ratios) mean += x / ratios.size();
      for (double x : ratios) ss += (x - mean) * (x - mean);
      sem = std::sqrt(ss / (ratios.size() * (ratios.size() - 1)));
      return mean;
    };
    double sem, up_primary;
    const double primary = measure(ct, false, sem, up_primary);
    qInfo("HU %.0f, nuclear off: slab/upstream %.4f +- %.4f, stopping-power ratio %.4f (%+.2f %%)",
          hu, primary, sem, expected, 100.0 * (primary / expected - 1.0));
    QVERIFY(std::abs(primary - expected) < 4.0 * sem + 0.003 * expected);
    // Nuclear interactions on: relative to the same depths in plain water (which carries the
    // primary fluence loss and the secondaries' build-up), within the secondaries' share of the
    // upstream dose (estimated as 1 - primary-only IDD x non-elastic survival / full IDD).
    double sem_n, up_n, sem_w, up_w;
    const double with_nuclear = measure(ct, true, sem_n, up_n);
    const double water = measure(Volume(ct.slices, ct.rows, ct.cols, 0.f), true, sem_w, up_w);
    const double expected_water = expected_ratio(material_from_hu(0.0));
    const double rel = (with_nuclear / water) / (expected / expected_water);
    const double share = 1.0 - up_primary * std::exp(-0.0100 * 7.0) / up_n;
    qInfo(
        "HU %.0f, nuclear on: slab/upstream %.4f +- %.4f, water %.4f +- %.4f; relative to the "
        "stopping-power expectation %+.2f %% (secondaries' share upstream %.1f %%)",
        hu, with_nuclear, sem_n, water, sem_w, 100.0 * (rel - 1.0), 100.0 * share);
    QVERIFY(share > 0.0 && share < 0.2);
    QVERIFY(std::abs(rel - 1.0) < share);
  }
  // Every history conserves energy: incident = deposited + escaped + neutral, in every material
  // and in a heterogeneous phantom, with and without nuclear interactions; `deposited` equals
  // the sum of dose x mass; nothing is neutral without nuclear interactions.
  void energyIsConservedInEveryMaterial_data() {
    QTest::addColumn<float>("hu");
    QTest::addColumn<bool>("slab");
    QTest::newRow("water") << 0.f << false;
    QTest::newRow("air") << -1000.f << false;
    QTest::newRow("lung") << -800.f << false;
    QTest::newRow("fat") << -100.f << false;
    QTest::newRow("bone") << 1500.f << false;
    QTest::newRow("water + air slab") << -1000.f << true;
  }
  void energyIsConservedInEveryMaterial() {
    QFETCH(float, hu);
    QFETCH(bool, slab);
    const Volume ct =
        slab ? make_slab_phantom(80, 24, 24, 2.0, 40.0, 30.0, hu) : Volume(80, 24, 24, hu);
    Volume ct_sp = ct;
    ct_sp.spacing_mm = {2.0, 2.0, 2.0};
    for (bool nuclear : {false, true}) {
      McOptions o;
      o.energy_mev = 120.0;
      o.primaries = 3000;
      o.nuclear = nuclear;
      const auto r = run_mc(ct_sp, o);
      const double sum = r.deposited_mev + r.escaped_mev + r.neutral_mev;
      qInfo(
          "HU %.0f%s nuclear %d: incident %.4f = deposited %.4f + escaped %.4f + neutral %.4f"
          " MeV/primary",
          hu, slab ? " slab" : "", int(nuclear), r.incident_mev, r.deposited_mev, r.escaped_mev,
          r.neutral_mev);
      QVERIFY(std::abs(r.incident_mev / 120.0 - 1.0) < 0.01);  // 0.8 % energy spread
      QVERIFY(std::abs(sum / r.incident_mev - 1.0) < 1e-9);
      QVERIFY(std::abs(total_energy_mev(r.dose, ct_sp) / r.deposited_mev - 1.0) < 1e-4);
      if (!nuclear) QCOMPARE(r.neutral_mev, 0.0);
      // (in air ~0.2 interactions happen in 3000 histories: nothing to check)
      if (nuclear && hu > -900.f) QVERIFY(r.neutral_mev > 0.0);
    }
  }
  // The nuclear halo: in a wide water phantom (240 mm, 4 mm voxels), the energy deposited outside
  // the central 48 mm (DoTA's block) against MCsquare (DoTA's ground truth; 1e6 primaries in
  // water, measured for issue #15: 1.4 % of E0 at 150 MeV, 3.4 % at 200 MeV), the halo's extent
  // (about one third of the range: Gottschalk, Cascio, Daartz, Wagner, "On the nuclear halo of a
  // proton pencil beam stopping in water", Phys. Med. Biol. 60:5627, 2015) and the entrance dose
  // in the block (laterally integrated over its first 8 mm, per primary, relative to the
  // electromagnetic stopping power; the halo's build-up starts at zero there).
  void nuclearHaloMatchesReference_data() {
    QTest::addColumn<double>("energy");
    QTest::addColumn<double>("outside_ref");   // fraction of E0 outside the 48 mm block
    QTest::addColumn<double>("entrance_ref");  // block IDD over the first 8 mm / S_em(E0)
    // MCsquare's entrance, from issue #15's comparison: the MC before the fix gave 1.0992 and
    // 1.1420 here and was 1.4 % / 4.1 % above MCsquare
    QTest::newRow("150 MeV") << 150.0 << 0.014 << 1.0992 / 1.014;
    QTest::newRow("200 MeV") << 200.0 << 0.034 << 1.1420 / 1.041;
  }
  void nuclearHaloMatchesReference() {
    QFETCH(double, energy);
    QFETCH(double, outside_ref);
    QFETCH(double, entrance_ref);
    const double r_mm = 10.0 * WaterTables::instance().range(energy);
    Volume ct(int((r_mm + 20.0) / 4.0), 60, 60, 0.f);
    ct.spacing_mm = {4.0, 4.0, 4.0};
    McOptions o;
    o.energy_mev = energy;
    o.primaries = 40000;
    o.batches = 5;
    o.seed = 17;
    const auto r = run_mc(ct, o);
    const double outside = energy_in_square(r.dose, ct, 24.0, false) / r.incident_mev;
    const double inside = energy_in_square(r.dose, ct, 24.0, true) / r.incident_mev;
    // entrance: mean IDD of the block over the first 8 mm (MeV cm^2/g per primary)
    Volume block(ct.slices, 12, 12, 0.f);
    block.spacing_mm = ct.spacing_mm;
    for (int z = 0; z < ct.slices; ++z)
      for (int y = 0; y < 12; ++y)
        for (int x = 0; x < 12; ++x) block.at(z, y, x) = r.dose.at(z, y + 24, x + 24);
    const double idd_gy_cm2 = mean_idd(block, 0.0, 8.0);
    const double idd_mev_cm2_g = idd_gy_cm2 / kMeVToJoule * 1e-3;  // Gy cm^2 -> MeV cm^2/g
    const double s_em = WaterTables::instance().stopping_power(energy);
    const double beyond_r3 = energy_in_square(r.dose, ct, r_mm / 3.0, false) / r.incident_mev;
    qInfo(
        "%.0f MeV: outside the 48 mm block %.2f %% of E0 (MCsquare %.1f %%), beyond R/3 = %.0f mm"
        " %.3f %%, inside %.2f %%, escaped %.2f %%, neutral %.2f %%; entrance IDD / S_em %.4f"
        " (MCsquare %.3f)",
        energy, 100.0 * outside, 100.0 * outside_ref, r_mm / 3.0, 100.0 * beyond_r3, 100.0 * inside,
        100.0 * r.escaped_mev / r.incident_mev, 100.0 * r.neutral_mev / r.incident_mev,
        idd_mev_cm2_g / s_em, entrance_ref);
    // halo outside the block: the condensed ICRU-63 parametrisation against MCsquare's full
    // ICRU 63 transport: at least half and at most 1.5 x (measured 0.64 x and 0.80 x; the MC
    // before issue #15 deposited none there); all deposited energy within 0.5 % of MCsquare's
    // 95.9 % of E0 at 150 MeV
    QVERIFY(outside > 0.5 * outside_ref && outside < 1.5 * outside_ref);
    if (energy == 150.0) QVERIFY(std::abs(inside + outside - 0.959) < 0.005);
    // the halo lies within ~R/3 of the axis (Gottschalk et al. 2015): beyond it, < 5 % of it
    QVERIFY(beyond_r3 < 0.05 * outside);
    // entrance: within 1.5 % of MCsquare (the MC before issue #15 was +1.4 % / +4.1 % high)
    QVERIFY(std::abs(idd_mev_cm2_g / s_em / entrance_ref - 1.0) < 0.015);
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
    // mean relative uncertainty over the voxels above half the maximum (one voxel's batch
    // estimate, e.g. the maximum's, scatters by ~20 % with 20 batches)
    auto mean_rel = [](const McResult& r) {
      const float mx = *std::max_element(r.dose.data.begin(), r.dose.data.end());
      double sum = 0.0;
      int n = 0;
      for (size_t i = 0; i < r.dose.size(); ++i)
        if (r.dose.data[i] > 0.5f * mx) {
          sum += r.uncertainty.data[i] / r.dose.data[i];
          ++n;
        }
      return sum / n;
    };
    const double ratio = mean_rel(a) / mean_rel(b);
    QVERIFY2(ratio > 1.7 && ratio < 2.3, qPrintable(QString::number(ratio)));  // expect 2
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
