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
//
// User-facing defaults (GammaDefaults) are defined once here and used by the studio's Compare
// tab, `dotakv compare`, `dotakv report` and `dotakv-report`: 1 %/3 mm (DoTA's criteria), global
// (dD in % of the reference maximum), low-dose threshold 10 % of the reference maximum (TG-218),
// gamma capped at 2. Thresholds are entered in percent everywhere (parse_threshold_percent);
// GammaOptions keeps a fraction, so convert with threshold_percent / 100.
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "dotakv/error.hpp"
#include "dotakv/volume.hpp"

namespace dotakv::physics {

struct GammaDefaults {
  static constexpr const char* criteria = "1%/3mm";
  static constexpr double dose_percent = 1.0;
  static constexpr double dta_mm = 3.0;
  static constexpr double threshold_percent = 10.0;  // % of the reference (normalisation) max
  static constexpr double max_gamma = 2.0;           // search cap: gamma is at most this
  static constexpr bool local = false;
};

// Parses a low-dose threshold in percent: "10", "10%", "2.5 %". Throws ValueError naming `what`
// for text that is not a number or a value outside [0, 100] ("--threshold: 150 is outside
// 0-100 %; give a percentage such as 10").
inline double parse_threshold_percent(const std::string& text,
                                      const std::string& what = "threshold") {
  std::string t = text;
  while (!t.empty() && (t.back() == ' ' || t.back() == '%')) t.pop_back();
  double v = NAN;
  size_t used = 0;
  try {
    v = std::stod(t, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (t.empty() || used != t.size() || !std::isfinite(v))
    throw ValueError(what + ": expected a percentage such as 10 or 10%, found '" + text + "'");
  if (v < 0.0 || v > 100.0)
    throw ValueError(what + ": " + text + " is outside 0-100 %; give a percentage such as 10");
  return v;
}

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
