// Analytical pencil-beam algorithm (PBA): the classical baseline.
//
//   D(z, y, x) = IDD_w(WEPL(z, y, x)) * [RSP/rho or 1 for dose to water] * G(y, x; sigma(z))
// where
//   * WEPL(z, y, x): water-equivalent path length from the entrance to the voxel centre along
//     the voxel's own column (ray parallel to the beam) — the ray-casting approximation that makes
//     a PBA fail behind lateral heterogeneities;
//   * IDD_w(w): laterally integrated depth dose in water per primary (MeV/cm), built from the same
//     range/stopping tables as the MC (CSDA energy loss per depth bin, primary fluence attenuated
//     by nuclear removal 0.012/cm above 10 MeV; as in the MC 25 % of the removed energy is local
//     and 35 % rides on secondary protons, spread uniformly over the secondary's depth extent
//     and laterally as a wider "halo" Gaussian — 60 % in all, Bortfeld's gamma) and convolved with
//     a depth Gaussian of range straggling (Bortfeld 0.012 R0^0.935 cm) plus the energy spread
//     (dR/dE * sigma_E);
//   * G: Gaussian lateral spread, voxel-averaged with erf, sigma^2(z) = sigma_spot^2 + Fermi-Eyges
//     sigma_MCS^2(z) = integral_0^z (z - z')^2 T(z') dz' along the central axis, with the MC's
//     scattering power T = (14.1 MeV/pv)^2 rho/X0 (Highland's constant, no log term).
// Dose in Gy per primary (same units as the MC). Thread safety: pure function; OpenMP inside.
#pragma once
#include <vector>

#include "dotakv/volume.hpp"

namespace dotakv::physics {

struct PbaOptions {
  double energy_mev = 150.0;
  double spot_sigma_mm = 3.0;
  double energy_spread = 0.008;
  double offset_row_mm = 0.0;
  double offset_col_mm = 0.0;
  bool dose_to_water = false;
  bool nuclear = true;
};

// Laterally integrated depth dose in water for one primary: MeV per cm of depth, averaged over
// the depth bins [i * step_cm, (i + 1) * step_cm), i < n. Exposed for tests and the studio.
std::vector<double> pba_water_idd(const PbaOptions& options, double step_cm, int n);

// Computes the PBA dose on a CT in HU. Throws ValueError like run_mc.
Volume run_pba(const Volume& ct_hu, const PbaOptions& options);

}  // namespace dotakv::physics
