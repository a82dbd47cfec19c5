// Condensed-history proton Monte Carlo: the reference ("ground truth") dose engine.
//
// Physics (sources and numbers in docs/physics.md):
//   * source: pencil beam along +slice axis entering at the upstream face (depth 0), Gaussian
//     lateral spot (sigma_mm, default 3 mm) centred on the grid + offset, no divergence;
//     Gaussian energy spread (default 0.8 % of E);
//   * CSDA energy loss by water range-table lookup (Bethe, I = 75 eV) with the step's
//     water-equivalent length s*RSP: mean loss E - R^-1(R(E) - s*RSP);
//   * energy-loss straggling: the step's loss is a gamma variate with that mean and Bohr's
//     variance 0.1569 MeV^2 cm^2/g * (Z/A) * s_w * gamma^2 (1 - beta^2/2) (energy_loss.hpp):
//     unbiased and non-negative in every material and step length (air, lung, thin steps);
//   * multiple Coulomb scattering from a scattering power (step-size independent):
//     theta0^2 (projected) = T s, T = (Es / pv)^2 * rho / X0, Es = 14.1 MeV (Highland's constant
//     without its log term); lateral displacement via a random hinge inside the step;
//   * nuclear interactions above 10 MeV, rates scaled with mass density (water composition):
//     - p-p elastic on hydrogen, (0.315 E^-1.126 + 3.78e-6 E) cm^2/g (Fippel & Soukup 2004),
//       isotropic in the centre of mass: recoil energy uniform in [0, E], both protons
//       transported at their two-body (relativistic, equal-mass) angles;
//     - non-elastic on oxygen, 0.0100 /cm * rho (0.30 b, ICRU 63): a knock-out proton carries
//       u*70 % of E (u uniform) at the quasi-free p-p angle, 25 % goes to short-range fragments
//       spread over a 0.5 mm water-equivalent isotropic track, the rest (neutrons, gammas,
//       binding) escapes: 60 % of the non-elastic energy stays with charged particles
//       (Bortfeld's gamma = 0.6);
//   * step limits: <= max_step_mm (2 mm; a voxel boundary up to 1 % further still ends the step),
//     <= 25 % energy loss, voxel boundaries, the next nuclear interaction;
//     protons below 0.5 MeV deposit their energy locally;
//   * scoring: energy deposit in the voxel the step runs through (steps end on boundaries); dose to
//   medium = E / (rho V)
//     (Gy per primary), dose to water = dose to medium * rho / RSP.
// Determinism: primaries are split into `batches` fixed batches; batch b uses its own RNG
// (xoshiro256** seeded by splitmix64(seed, b)) and its own tally; tallies are summed in batch
// order. The result therefore depends only on (inputs, seed, batches), not on the thread count.
// Statistical uncertainty: standard error of the mean over the batch tallies, per voxel.
// Threads: OpenMP over batches (omp_get_max_threads() unless options.threads > 0).
//
//   dotakv::physics::McOptions o; o.energy_mev = 150; o.primaries = 100000; o.seed = 1;
//   auto r = dotakv::physics::run_mc(ct, o);   // r.dose: Gy per primary, ct's grid
#pragma once
#include <cstdint>

#include "dotakv/progress.hpp"
#include "dotakv/volume.hpp"

namespace dotakv::physics {

struct McOptions {
  double energy_mev = 150.0;     // nominal energy, (0, 300] MeV; DoTA uses 70..220
  long long primaries = 100000;  // > 0
  uint64_t seed = 1;
  double spot_sigma_mm = 3.0;    // lateral Gaussian sigma at entrance (0 = point source)
  double energy_spread = 0.008;  // relative sigma of the initial energy
  double offset_row_mm = 0.0;    // spot centre offset from the lateral centre of the grid
  double offset_col_mm = 0.0;
  bool dose_to_water = false;  // false: dose to medium
  bool nuclear = true;         // nuclear interactions on/off
  bool straggling = true;      // Bohr straggling on/off
  bool scattering = true;      // multiple Coulomb scattering on/off
  double max_step_mm = 2.0;
  double max_energy_loss_fraction = 0.25;
  double cutoff_mev = 0.5;
  int batches = 20;  // fixed number of statistical batches (>= 2 for uncertainty)
  int threads = 0;   // 0: OpenMP default
};

struct McResult {
  Volume dose;         // Gy per primary, [slices, rows, cols] like the CT
  Volume uncertainty;  // standard error of `dose` per voxel (Gy per primary), from the batches
  long long primaries = 0;
  long long steps = 0;        // charged-particle steps simulated (primaries + secondaries)
  long long secondaries = 0;  // secondary protons from nuclear interactions
  double seconds = 0.0;       // wall time of the transport
  int threads = 1;
  // Relative uncertainty (stderr/dose) at the maximum-dose voxel.
  double max_dose_rel_uncertainty = 0.0;
  // Energy ledger, MeV per primary. Every history conserves energy exactly:
  // incident = deposited + escaped + neutral (to rounding). deposited: inside the grid (the sum
  // of dose x mass); escaped: carried out of the grid by charged particles; neutral: taken away
  // by the neutral products (neutrons, gammas) and binding energy of non-elastic events.
  double incident_mev = 0.0;
  double deposited_mev = 0.0;
  double escaped_mev = 0.0;
  double neutral_mev = 0.0;
};

// Runs the MC on a CT in HU. Throws ValueError (energy outside (0, 300] MeV, primaries <= 0,
// empty CT, NaN/Inf HU, non-positive spacing, batches < 1), Cancelled via progress.
McResult run_mc(const Volume& ct_hu, const McOptions& options, Progress* progress = nullptr);

}  // namespace dotakv::physics
