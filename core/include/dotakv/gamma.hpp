// 3-D gamma index (Low, Harms, Mutic, Purdy, Med. Phys. 25:656, 1998).
//
//   Gamma(r_r, r_e) = sqrt(|r_e - r_r|^2 / dta^2 + (D_e(r_e) - D_r(r_r))^2 / dD^2)
//   gamma(r_r)      = min over r_e of Gamma  (pass: gamma <= 1)
// dD = dose_percent % of the normalisation dose (global: the reference maximum, or `norm_dose`
// when > 0 — DoTA normalised to its dataset maximum) or of D_r(r_r) (local).
// Search (Wendling et al., Med. Phys. 34:1647, 2007): offsets on a regular sub-voxel grid with
// step <= dta/step_divisions inside the sphere of radius max_gamma*dta, sorted by distance; the
// evaluated dose at an offset is trilinearly interpolated (clamped at the volume edge); the
// search stops once |offset|/dta >= best gamma so far. gamma is capped at max_gamma.
// Voxels whose reference dose is below threshold_fraction * norm are not evaluated (gamma = -1
// in the map, excluded from the rate) — with the default threshold 0 every voxel is evaluated.
// Two pass-rate definitions are reported:
//   pass_rate           = count(gamma <= 1) / count(evaluated voxels)       (clinical, TG-218)
//   pass_rate_dota      = count(gamma <= 1) / count(gamma > 0)              (DoTA's code)
// Threads: OpenMP over slices; deterministic. Thread safety: pure function.
#pragma once
#include <string>
#include <vector>

#include "dotakv/volume.hpp"

namespace dotakv::physics {

struct GammaOptions {
  double dose_percent = 1.0;  // dD in % (of norm for global, of local dose for local)
  double dta_mm = 3.0;        // distance-to-agreement criterion
  bool local = false;
  double threshold_fraction = 0.0;  // low-dose cut: skip voxels with D_r < fraction * norm
  double norm_dose = 0.0;           // > 0: global normalisation dose; 0: max of reference
  double max_gamma = 2.0;           // cap (also bounds the search radius to max_gamma * dta)
  int step_divisions = 10;          // search step = dta / step_divisions (>= 1)
  int histogram_bins = 20;          // bins over [0, max_gamma]
};

struct GammaResult {
  Volume gamma;                 // per voxel; -1 where not evaluated (below threshold)
  double pass_rate = 0.0;       // % over evaluated voxels
  double pass_rate_dota = 0.0;  // % DoTA definition: count(g<=1)/count(g>0)
  long long evaluated = 0, passed = 0, positive = 0;
  double mean_gamma = 0.0, max_gamma = 0.0;  // over evaluated voxels
  double norm_dose = 0.0;                    // dose used for global normalisation
  std::vector<long long> histogram;          // counts per bin over [0, cap]; last bin includes cap
  double histogram_bin_width = 0.0;
};

// Throws ShapeError if the grids differ (names both shapes), ValueError for non-positive
// criteria, non-finite doses or a zero normalisation dose.
GammaResult gamma_index(const Volume& reference, const Volume& evaluated,
                        const GammaOptions& options = {});

// Plain brute-force reference implementation (no sorting, no early exit, same interpolation and
// offsets): used by the tests to check gamma_index. Slow; small volumes only.
Volume gamma_index_reference(const Volume& reference, const Volume& evaluated,
                             const GammaOptions& options);

// Parses "1%/3mm" (also "1/3", "2%/2 mm") into dose_percent and dta_mm. Throws ValueError.
void parse_gamma_criteria(const std::string& text, GammaOptions& options);

}  // namespace dotakv::physics
