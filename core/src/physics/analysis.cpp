// Dose analysis helpers. See analysis.hpp.
#include "dotakv/analysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "dotakv/error.hpp"

namespace dotakv::physics {

DoseDifference dose_difference(const Volume& ref, const Volume& ev, double high_dose_fraction) {
  if (!ref.same_grid(ev))
    throw ShapeError("dose difference: grids differ: reference " +
                     shape_string({ref.slices, ref.rows, ref.cols}) + ", evaluated " +
                     shape_string({ev.slices, ev.rows, ev.cols}));
  DoseDifference d;
  if (ref.data.empty()) return d;
  for (size_t i = 0; i < ref.size(); ++i) {
    d.ref_max = std::max(d.ref_max, double(ref.data[i]));
    d.eval_max = std::max(d.eval_max, double(ev.data[i]));
  }
  double sum_abs = 0.0, sum_sq = 0.0, hd_rel = 0.0, hd_abs = 0.0, hd_ref = 0.0;
  const double cut = high_dose_fraction * d.ref_max;
  for (size_t i = 0; i < ref.size(); ++i) {
    const double r = ref.data[i], e = ev.data[i], a = std::abs(e - r);
    d.max_abs = std::max(d.max_abs, a);
    sum_abs += a;
    sum_sq += a * a;
    if (r >= cut && r > 0.0) {
      ++d.high_dose_voxels;
      hd_rel += a / r;
      hd_abs += a;
      hd_ref += r;
    }
  }
  const double n = double(ref.size());
  d.mean_abs = sum_abs / n;
  d.rms = std::sqrt(sum_sq / n);
  if (d.ref_max > 0.0) {
    d.max_abs_percent = 100.0 * d.max_abs / d.ref_max;
    d.mean_abs_percent = 100.0 * d.mean_abs / d.ref_max;
  }
  if (d.high_dose_voxels > 0) {
    d.high_dose_mean_rel_percent = 100.0 * hd_rel / double(d.high_dose_voxels);
    d.high_dose_sum_rel_percent = 100.0 * hd_abs / hd_ref;
  }
  return d;
}

std::vector<double> integrated_depth_dose(const Volume& v) {
  std::vector<double> idd(v.slices, 0.0);
  const double area_cm2 = v.spacing_mm[1] * v.spacing_mm[2] * 1e-2;
  for (int z = 0; z < v.slices; ++z) {
    const float* s = v.slice(z);
    double acc = 0.0;
    for (int i = 0; i < v.rows * v.cols; ++i) acc += s[i];
    idd[z] = acc * area_cm2;
  }
  return idd;
}

std::vector<double> depth_positions_mm(const Volume& v) {
  std::vector<double> p(v.slices);
  for (int z = 0; z < v.slices; ++z) p[z] = (z + 0.5) * v.spacing_mm[0];
  return p;
}

DepthDoseMetrics depth_dose_metrics(const std::vector<double>& c, const std::vector<double>& pos) {
  if (c.size() != pos.size())
    throw ShapeError("depth_dose_metrics: curve has " + std::to_string(c.size()) +
                     " samples, positions " + std::to_string(pos.size()));
  DepthDoseMetrics m;
  if (c.empty()) return m;
  const size_t im = size_t(std::max_element(c.begin(), c.end()) - c.begin());
  m.peak_value = c[im];
  m.peak_depth_mm = pos[im];
  if (im > 0 && im + 1 < c.size()) {  // parabola through the three samples around the maximum
    const double a = c[im - 1], b = c[im], d = c[im + 1];
    const double den = a - 2.0 * b + d;
    if (den < 0.0) {
      const double t = std::clamp(0.5 * (a - d) / den, -0.5, 0.5);
      const double h = t >= 0 ? pos[im + 1] - pos[im] : pos[im] - pos[im - 1];
      m.peak_depth_mm = pos[im] + t * h;
      m.peak_value = b - 0.25 * (a - d) * t;
    }
  }
  if (!(c[im] > 0.0)) return m;
  auto crossing = [&](double level, double& out) {
    for (size_t i = im; i + 1 < c.size(); ++i)
      if (c[i] >= level && c[i + 1] < level) {
        out = pos[i] + (c[i] - level) / (c[i] - c[i + 1]) * (pos[i + 1] - pos[i]);
        return true;
      }
    return false;
  };
  const double peak = c[im];
  const bool f90 = crossing(0.9 * peak, m.r90_mm);
  const bool f80 = crossing(0.8 * peak, m.r80_mm);
  const bool f20 = crossing(0.2 * peak, m.r20_mm);
  m.distal_found = f90 && f80 && f20;
  if (m.distal_found) m.falloff_80_20_mm = m.r20_mm - m.r80_mm;
  return m;
}

DepthDoseComparison compare_depth_dose(const Volume& ref, const Volume& ev) {
  if (!ref.same_grid(ev))
    throw ShapeError("compare_depth_dose: reference grid " +
                     shape_string({ref.slices, ref.rows, ref.cols}) + ", evaluated " +
                     shape_string({ev.slices, ev.rows, ev.cols}));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto pos = depth_positions_mm(ref);
  const auto a = integrated_depth_dose(ref), b = integrated_depth_dose(ev);
  DepthDoseComparison c;
  c.reference = depth_dose_metrics(a, pos);
  c.evaluated = depth_dose_metrics(b, pos);
  c.r80_error_mm = c.reference.distal_found && c.evaluated.distal_found
                       ? c.evaluated.r80_mm - c.reference.r80_mm
                       : nan;
  double mx = 0, worst = 0;
  for (std::size_t z = 0; z < a.size(); ++z) {
    mx = std::max(mx, a[z]);
    worst = std::max(worst, std::abs(b[z] - a[z]));
  }
  c.idd_error_percent = mx > 0 ? 100.0 * worst / mx : nan;
  return c;
}

std::vector<double> lateral_profile(const Volume& v, int z, int axis, int through) {
  if (z < 0 || z >= v.slices || (axis != 1 && axis != 2))
    throw ValueError("lateral_profile: slice " + std::to_string(z) + " / axis " +
                     std::to_string(axis) + " out of range");
  std::vector<double> p;
  if (axis == 1) {
    const int x = through < 0 ? v.cols / 2 : through;
    if (x >= v.cols) throw ValueError("lateral_profile: column index out of range");
    for (int y = 0; y < v.rows; ++y) p.push_back(v.at(z, y, x));
  } else {
    const int y = through < 0 ? v.rows / 2 : through;
    if (y >= v.rows) throw ValueError("lateral_profile: row index out of range");
    for (int x = 0; x < v.cols; ++x) p.push_back(v.at(z, y, x));
  }
  return p;
}

std::vector<double> lateral_profile_integrated(const Volume& v, int z, int axis) {
  if (z < 0 || z >= v.slices || (axis != 1 && axis != 2))
    throw ValueError("lateral_profile_integrated: slice/axis out of range");
  std::vector<double> p(axis == 1 ? v.rows : v.cols, 0.0);
  for (int y = 0; y < v.rows; ++y)
    for (int x = 0; x < v.cols; ++x) p[axis == 1 ? y : x] += v.at(z, y, x);
  return p;
}

double profile_sigma_mm(const std::vector<double>& p, double spacing) {
  double s = 0.0, m = 0.0, m2 = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    const double x = (i + 0.5) * spacing;
    s += p[i];
    m += p[i] * x;
    m2 += p[i] * x * x;
  }
  if (!(s > 0.0)) return 0.0;
  m /= s;
  return std::sqrt(std::max(0.0, m2 / s - m * m - spacing * spacing / 12.0));
}

Image2D max_intensity_projection(const Volume& v, int axis) {
  if (axis < 0 || axis > 2) throw ValueError("max_intensity_projection: axis must be 0, 1 or 2");
  Image2D im;
  if (axis == 0) {
    im.height = v.rows;
    im.width = v.cols;
  } else if (axis == 1) {
    im.height = v.slices;
    im.width = v.cols;
  } else {
    im.height = v.slices;
    im.width = v.rows;
  }
  im.data.assign(size_t(im.height) * im.width, -std::numeric_limits<float>::infinity());
  for (int z = 0; z < v.slices; ++z)
    for (int y = 0; y < v.rows; ++y)
      for (int x = 0; x < v.cols; ++x) {
        const float d = v.at(z, y, x);
        size_t k = axis == 0   ? size_t(y) * v.cols + x
                   : axis == 1 ? size_t(z) * v.cols + x
                               : size_t(z) * v.rows + y;
        im.data[k] = std::max(im.data[k], d);
      }
  return im;
}

}  // namespace dotakv::physics
