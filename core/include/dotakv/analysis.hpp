// Dose analysis used by the CLI (`dotakv compare`), the studio and reports.
// Volume in, plain structs/vectors out; all functions are pure and thread-safe.
// Axes: 0 = slices (depth, along the beam), 1 = rows, 2 = cols. Positions in mm are voxel
// centres: (i + 0.5) * spacing_mm[axis] measured from the upstream/left edge of the grid.
#pragma once
#include <vector>

#include "dotakv/volume.hpp"

namespace dotakv::physics {

// Dose-difference statistics between a reference and an evaluated dose (same grid).
struct DoseDifference {
  double max_abs = 0.0;           // max |E - R| (Gy per primary)
  double mean_abs = 0.0;          // mean |E - R| over all voxels
  double max_abs_percent = 0.0;   // max_abs / max(R) * 100
  double mean_abs_percent = 0.0;  // mean_abs / max(R) * 100
  double rms = 0.0;               // sqrt(mean (E - R)^2)
  // Relative error in the high-dose region (voxels with R >= high_dose_fraction * max(R)):
  // mean of |E - R| / R * 100 and the sum-based relative error sum|E-R|/sum R * 100.
  double high_dose_mean_rel_percent = 0.0;
  double high_dose_sum_rel_percent = 0.0;
  long long high_dose_voxels = 0;
  double ref_max = 0.0, eval_max = 0.0;
};
// Throws ShapeError on mismatched grids.
DoseDifference dose_difference(const Volume& reference, const Volume& evaluated,
                               double high_dose_fraction = 0.5);

// Integrated depth dose: sum over each slice of dose * voxel area (Gy cm^2 per primary if the
// dose is Gy per primary), one value per slice.
std::vector<double> integrated_depth_dose(const Volume& dose);
// Depth positions (mm) of the slice centres.
std::vector<double> depth_positions_mm(const Volume& v);

// Range metrics of a depth-dose curve sampled at positions_mm (ascending).
struct DepthDoseMetrics {
  double peak_depth_mm = 0.0;  // parabolic interpolation around the maximum sample
  double peak_value = 0.0;
  double r90_mm = 0.0;  // distal depth where the curve falls to 90 % of the peak
  double r80_mm = 0.0;  // distal 80 % (~ CSDA range, Bortfeld 1997)
  double r20_mm = 0.0;  // distal 20 %
  double falloff_80_20_mm = 0.0;
  bool distal_found = false;  // false if the curve does not fall below 20 % inside the grid
};
// Distal crossings by linear interpolation between samples (the first crossing after the peak).
DepthDoseMetrics depth_dose_metrics(const std::vector<double>& curve,
                                    const std::vector<double>& positions_mm);

// Depth-dose agreement of an evaluated dose with a reference (same grid): both integrated depth
// doses, r80_error_mm = R80(evaluated) - R80(reference) (NaN unless both curves fall off inside
// the grid: reference.distal_found and evaluated.distal_found), idd_error_percent = largest
// |IDD(evaluated) - IDD(reference)| in % of the reference curve's maximum (NaN if that is 0).
// Throws ShapeError on mismatched grids.
struct DepthDoseComparison {
  DepthDoseMetrics reference, evaluated;
  double r80_error_mm = 0.0, idd_error_percent = 0.0;
};
DepthDoseComparison compare_depth_dose(const Volume& reference, const Volume& evaluated);

// Lateral profile at slice `z` along `axis` (1 = rows, 2 = cols), through the given index of the
// other lateral axis (-1: the grid centre index, rows/2 or cols/2).
std::vector<double> lateral_profile(const Volume& dose, int z, int axis, int through = -1);
// Lateral profile at slice z integrated over the other lateral axis (what a line-source/ film
// integrates); used for sigma fits independent of the beam's sub-voxel position.
std::vector<double> lateral_profile_integrated(const Volume& dose, int z, int axis);
// Root-mean-square width (mm) of a profile: sqrt(sum w (x-mean)^2 / sum w) with x voxel centres,
// minus the voxel-width term (spacing^2/12) so a sampled Gaussian returns its sigma.
double profile_sigma_mm(const std::vector<double>& profile, double spacing_mm);

// A 2-D image, row-major [height, width].
struct Image2D {
  int height = 0, width = 0;
  std::vector<float> data;
  float at(int r, int c) const { return data[size_t(r) * width + c]; }
};
// Maximum-intensity projection along `axis` (0, 1, 2). The result keeps the other two axes in
// order: axis 0 -> [rows, cols], axis 1 -> [slices, cols], axis 2 -> [slices, rows].
Image2D max_intensity_projection(const Volume& v, int axis);

}  // namespace dotakv::physics
