// HU calibration table and water range tables. Sources: see materials.hpp / docs/physics.md.
#include "dotakv/materials.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "dotakv/error.hpp"

namespace dotakv::physics {

const std::vector<HuTableRow>& hu_table() {
  // HU, density g/cm^3, RSP, X0 g/cm^2. RSP = density * (S/rho)_med/(S/rho)_water with ratios
  // 0.88 (air), 1.00 (lung, water), 1.027 (adipose), 0.99 (muscle), 0.92/0.90/0.875 (bone).
  static const std::vector<HuTableRow> table = {
      {-1000.0, 0.00121, 0.00107, 36.62},  // air
      {-950.0, 0.050, 0.050, 36.70},       // inflated lung
      {-800.0, 0.200, 0.200, 36.70},       // lung
      {-100.0, 0.930, 0.955, 41.00},       // adipose
      {0.0, 1.000, 1.000, 36.08},          // water
      {100.0, 1.070, 1.060, 36.20},        // muscle / soft tissue
      {1000.0, 1.600, 1.472, 28.00},       // spongy/cortical mix
      {1500.0, 1.900, 1.710, 27.10},       // cortical bone
      {3000.0, 2.800, 2.450, 25.00},       // dense bone / dental
  };
  return table;
}

Material material_from_hu(double hu) {
  if (!std::isfinite(hu))
    throw ValueError("material_from_hu: HU must be finite, found " + std::to_string(hu));
  const auto& t = hu_table();
  if (hu <= t.front().hu) return {t.front().density, t.front().rsp, t.front().x0};
  if (hu >= t.back().hu) return {t.back().density, t.back().rsp, t.back().x0};
  size_t i = 1;
  while (t[i].hu < hu) ++i;
  const HuTableRow& a = t[i - 1];
  const HuTableRow& b = t[i];
  const double f = (hu - a.hu) / (b.hu - a.hu);
  return {a.density + f * (b.density - a.density), a.rsp + f * (b.rsp - a.rsp),
          a.x0 + f * (b.x0 - a.x0)};
}

double proton_beta2(double e) {
  const double gamma = 1.0 + e / kProtonMassMeV;
  return 1.0 - 1.0 / (gamma * gamma);
}

double proton_pv(double e) {
  return e * (e + 2.0 * kProtonMassMeV) / (e + kProtonMassMeV);
}

double bethe_stopping_power_water(double e) {
  constexpr double K = 0.307075;  // MeV cm^2/mol
  const double gamma = 1.0 + e / kProtonMassMeV;
  const double beta2 = 1.0 - 1.0 / (gamma * gamma);
  const double bg2 = beta2 * gamma * gamma;
  const double me_mp = kElectronMassMeV / kProtonMassMeV;
  const double tmax = 2.0 * kElectronMassMeV * bg2 / (1.0 + 2.0 * gamma * me_mp + me_mp * me_mp);
  const double i_mev = kWaterIValueEV * 1e-6;
  const double l = 0.5 * std::log(2.0 * kElectronMassMeV * bg2 * tmax / (i_mev * i_mev)) - beta2;
  return K * kWaterZoverA / beta2 * l;
}

WaterTables::WaterTables() {
  constexpr double kCut = 0.5;  // below: R ~ E^1.7 (S ~ E^-0.7), joined continuously at 0.5 MeV
  de_ = 0.025;
  inv_de_ = 1.0 / de_;
  const int n = int(std::lround(kTableMaxEnergyMeV / de_)) + 1;
  r_of_e_.resize(n);
  const double r_cut = kCut / (1.7 * bethe_stopping_power_water(kCut));
  double r = 0.0;
  for (int i = 0; i < n; ++i) {
    const double e = i * de_;
    if (e <= kCut) {
      r = r_cut * std::pow(e / kCut, 1.7);
    } else {
      // Simpson on [e - de, e]
      const double a = e - de_, m = e - 0.5 * de_;
      auto inv = [](double x) { return 1.0 / bethe_stopping_power_water(x); };
      if (a < kCut) {
        const double m2 = 0.5 * (kCut + e);
        r = r_cut + (e - kCut) / 6.0 * (inv(kCut) + 4.0 * inv(m2) + inv(e));
      } else {
        r += de_ / 6.0 * (inv(a) + 4.0 * inv(m) + inv(e));
      }
    }
    r_of_e_[i] = float(r);
  }
  max_range_ = r;
  const int m = 8192;
  dsr_ = std::sqrt(max_range_) / (m - 1);
  inv_dsr_ = 1.0 / dsr_;
  e_of_sqrt_r_.resize(m);
  int j = 0;
  for (int k = 0; k < m; ++k) {
    const double rr = std::min(max_range_, (k * dsr_) * (k * dsr_));
    while (j + 1 < n - 1 && r_of_e_[j + 1] < rr) ++j;
    const double r0 = r_of_e_[j], r1 = r_of_e_[j + 1];
    const double f = r1 > r0 ? std::clamp((rr - r0) / (r1 - r0), 0.0, 1.0) : 0.0;
    e_of_sqrt_r_[k] = float((j + f) * de_);
  }
}

const WaterTables& WaterTables::instance() {
  static const WaterTables tables;
  return tables;
}

double WaterTables::range(double e) const {
  if (e <= 0.0) return 0.0;
  const double x = e * inv_de_;
  const int i = int(x);
  if (i >= int(r_of_e_.size()) - 1) return max_range_;
  const double f = x - i;
  return r_of_e_[i] + f * (r_of_e_[i + 1] - r_of_e_[i]);
}

double WaterTables::energy(double r) const {
  if (r <= 0.0) return 0.0;
  const double x = std::sqrt(r) * inv_dsr_;
  const int i = int(x);
  if (i >= int(e_of_sqrt_r_.size()) - 1) return e_of_sqrt_r_.back();
  const double f = x - i;
  return e_of_sqrt_r_[i] + f * (e_of_sqrt_r_[i + 1] - e_of_sqrt_r_[i]);
}

double WaterTables::range_straggling_sigma(double range_cm) {
  return 0.012 * std::pow(std::max(range_cm, 0.0), 0.935);
}

}  // namespace dotakv::physics
