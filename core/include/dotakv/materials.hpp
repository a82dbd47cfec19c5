// Materials and water stopping-power tables for the reference dose engines (MC and PBA).
//
// HU -> material: piecewise-linear interpolation in a table of (HU, mass density, RSP,
// radiation length). The table and its sources are documented in docs/physics.md:
//   * density: two-segment stoichiometric-style calibration (Schneider et al., Phys. Med. Biol.
//     41:111, 1996 and 45:459, 2000): ~1 g/cm^3 per 1000 HU for air..soft tissue, flatter for bone;
//   * RSP: density times the mass stopping-power ratio medium/water (0.88 air, ~1.0 lung/soft
//     tissue, ~1.03 fat, ~0.91 cortical bone; ratios from NIST PSTAR at 100 MeV);
//   * radiation length X0 in g/cm^2 (PDG atomic and nuclear properties: water 36.08, air 36.62,
//     adipose 41.0, compact bone 27.1).
// Water stopping power: Bethe formula without shell/density corrections, I = 75 eV, which matches
// NIST PSTAR within ~0.5 % above 10 MeV. CSDA range R(E) = integral of 1/S from the 0.5 MeV
// cut-off.
//
// Thread safety: all functions are pure; WaterTables is immutable after construction and shared.
#pragma once
#include <vector>

namespace dotakv::physics {

// Physical constants (PDG 2022).
inline constexpr double kProtonMassMeV = 938.272;
inline constexpr double kElectronMassMeV = 0.51099895;
inline constexpr double kMeVToJoule = 1.602176634e-13;
inline constexpr double kWaterIValueEV = 75.0;  // I-value used for the Bethe formula
inline constexpr double kWaterZoverA = 0.5551;  // mol/g
inline constexpr double kWaterX0 = 36.08;       // g/cm^2 (PDG)
inline constexpr double kMinEnergyMeV = 70.0;   // DoTA's energy range
inline constexpr double kMaxEnergyMeV = 220.0;
inline constexpr double kTableMaxEnergyMeV = 300.0;  // tables cover 0..300 MeV

// Properties of the material in one voxel.
struct Material {
  double density = 1.0;  // g/cm^3
  double rsp = 1.0;      // stopping power relative to water (per cm, not per g)
  double x0 = kWaterX0;  // radiation length, g/cm^2
  // Mass stopping-power ratio medium/water = rsp/density (used to convert dose to medium -> water).
  double stopping_ratio() const { return rsp / density; }
};

// One row of the HU calibration table.
struct HuTableRow {
  double hu, density, rsp, x0;
};
// The built-in table (HU ascending, -1000..3000). Values outside are clamped to the end rows.
const std::vector<HuTableRow>& hu_table();
// Interpolates the table. Throws ValueError if hu is not finite.
Material material_from_hu(double hu);

// Bethe mass stopping power of water (MeV cm^2/g) for kinetic energy e_mev (> 0.05 MeV).
double bethe_stopping_power_water(double e_mev);
// Relativistic helpers for a proton of kinetic energy e (MeV).
double proton_beta2(double e_mev);
double proton_pv(double e_mev);  // momentum x velocity, MeV

// CSDA range tables for water built by integrating 1/S(E) (Bethe, I = 75 eV).
// R(E) in g/cm^2 (== cm of water). Lookup by linear interpolation in uniform tables:
//   range(E):  table uniform in E, 0..300 MeV, step 0.025 MeV;
//   energy(R): table uniform in sqrt(R) (E ~ R^0.56 is nearly linear in sqrt(R)).
// Accuracy of the lookups: < 1e-4 relative to the integral for E >= 1 MeV (see tests).
class WaterTables {
 public:
  static const WaterTables& instance();  // built once, thread-safe (static local)

  double range(double e_mev) const;        // CSDA range, g/cm^2; 0 for e <= 0
  double energy(double range_gcm2) const;  // inverse of range(); 0 for r <= 0
  double stopping_power(double e_mev) const { return bethe_stopping_power_water(e_mev); }
  // Range straggling sigma (cm) for initial energy e (Bortfeld 1997: 0.012 R0^0.935).
  static double range_straggling_sigma(double range_cm);

 private:
  WaterTables();
  std::vector<float> r_of_e_;  // uniform in E
  std::vector<float> e_of_sqrt_r_;
  double de_, inv_de_, dsr_, inv_dsr_, max_range_;
};

}  // namespace dotakv::physics
