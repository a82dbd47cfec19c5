// 3-D gamma index with sorted sub-voxel offsets and early exit. See gamma.hpp.
#include "dotakv/gamma.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <regex>
#include <string>

#include "dotakv/error.hpp"

namespace dotakv::physics {
namespace {

// One search offset: integer voxel part, fractional part (>= 0) per axis and distance term.
struct Offset {
  int dz, dy, dx;
  float fz, fy, fx;
  float r2;  // |offset|^2 / dta^2
  float w[8];
};

std::vector<Offset> make_offsets(const Volume& v, const GammaOptions& o) {
  const double step = o.dta_mm / o.step_divisions;
  const double radius = o.max_gamma * o.dta_mm;
  const int n = int(std::floor(radius / step + 1e-9));
  std::vector<Offset> out;
  for (int k = -n; k <= n; ++k)
    for (int j = -n; j <= n; ++j)
      for (int i = -n; i <= n; ++i) {
        const double mz = k * step, my = j * step, mx = i * step;
        const double d2 = mz * mz + my * my + mx * mx;
        if (d2 > radius * radius * (1.0 + 1e-12)) continue;
        Offset f{};
        const double pz = mz / v.spacing_mm[0], py = my / v.spacing_mm[1],
                     px = mx / v.spacing_mm[2];
        f.dz = int(std::floor(pz));
        f.dy = int(std::floor(py));
        f.dx = int(std::floor(px));
        f.fz = float(pz - f.dz);
        f.fy = float(py - f.dy);
        f.fx = float(px - f.dx);
        // snap tiny fractions (rounding) to the grid
        auto snap = [](float& fr, int& d) {
          if (fr < 1e-6f) fr = 0.f;
          if (fr > 1.f - 1e-6f) {
            fr = 0.f;
            ++d;
          }
        };
        snap(f.fz, f.dz);
        snap(f.fy, f.dy);
        snap(f.fx, f.dx);
        f.r2 = float(d2 / (o.dta_mm * o.dta_mm));
        int c = 0;
        for (int a = 0; a < 2; ++a)
          for (int b = 0; b < 2; ++b)
            for (int e = 0; e < 2; ++e)
              f.w[c++] =
                  (a ? f.fz : 1.f - f.fz) * (b ? f.fy : 1.f - f.fy) * (e ? f.fx : 1.f - f.fx);
        out.push_back(f);
      }
  // Nearest first; equal distances keep generation order (an index tie-break, not stable_sort:
  // see docs/reliability.md on GCC 12's temporary buffer under ASan).
  std::vector<std::size_t> order(out.size());
  std::iota(order.begin(), order.end(), std::size_t(0));
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return out[a].r2 < out[b].r2 || (!(out[b].r2 < out[a].r2) && a < b);
  });
  std::vector<Offset> sorted;
  sorted.reserve(out.size());
  for (std::size_t i : order) sorted.push_back(out[i]);
  return sorted;
}

// Trilinear interpolation of `v` at voxel (z,y,x) + offset; false if outside the grid.
inline bool interp(const Volume& v, int z, int y, int x, const Offset& f, float& out) {
  const int iz = z + f.dz, iy = y + f.dy, ix = x + f.dx;
  const int ez = f.fz > 0.f, ey = f.fy > 0.f, ex = f.fx > 0.f;
  if (iz < 0 || iy < 0 || ix < 0 || iz + ez >= v.slices || iy + ey >= v.rows || ix + ex >= v.cols)
    return false;
  const float* p = v.data.data() + v.index(iz, iy, ix);
  const size_t sz = size_t(v.rows) * v.cols, sy = v.cols;
  float acc = f.w[0] * p[0];
  if (ex) acc += f.w[1] * p[1];
  if (ey) {
    acc += f.w[2] * p[sy];
    if (ex) acc += f.w[3] * p[sy + 1];
  }
  if (ez) {
    acc += f.w[4] * p[sz];
    if (ex) acc += f.w[5] * p[sz + 1];
    if (ey) {
      acc += f.w[6] * p[sz + sy];
      if (ex) acc += f.w[7] * p[sz + sy + 1];
    }
  }
  out = acc;
  return true;
}

struct Prepared {
  double norm = 0.0;
  double threshold = 0.0;
  double global_inv_dd2 = 0.0;
};

Prepared prepare(const Volume& ref, const Volume& ev, const GammaOptions& o) {
  if (!ref.same_grid(ev))
    throw ShapeError("gamma: reference and evaluated doses must share a grid: reference " +
                     shape_string({ref.slices, ref.rows, ref.cols}) + ", evaluated " +
                     shape_string({ev.slices, ev.rows, ev.cols}));
  if (ref.data.empty()) throw ValueError("gamma: empty dose volumes");
  if (!(o.dose_percent > 0.0) || !(o.dta_mm > 0.0) || !(o.max_gamma > 0.0) ||
      o.step_divisions < 1 || !(o.threshold_fraction >= 0.0) || !(o.norm_dose >= 0.0) ||
      o.histogram_bins < 1)
    throw ValueError("gamma: criteria must be positive (dose " + std::to_string(o.dose_percent) +
                     " %, DTA " + std::to_string(o.dta_mm) + " mm, cap " +
                     std::to_string(o.max_gamma) + ", step divisions " +
                     std::to_string(o.step_divisions) + ")");
  double mx = 0.0;
  for (size_t i = 0; i < ref.size(); ++i) {
    if (!std::isfinite(ref.data[i]) || !std::isfinite(ev.data[i]))
      throw ValueError("gamma: dose voxel " + std::to_string(i) + " is not finite");
    mx = std::max(mx, double(ref.data[i]));
  }
  Prepared p;
  p.norm = o.norm_dose > 0.0 ? o.norm_dose : mx;
  if (!(p.norm > 0.0))
    throw ValueError("gamma: normalisation dose is zero (reference dose is all zero)");
  p.threshold = o.threshold_fraction * p.norm;
  const double dd = o.dose_percent / 100.0 * p.norm;
  p.global_inv_dd2 = 1.0 / (dd * dd);
  return p;
}

// 1/dD^2 for the voxel, or < 0 if the voxel is not evaluated.
inline double voxel_inv_dd2(double dr, const Prepared& p, const GammaOptions& o) {
  if (dr < p.threshold) return -1.0;
  if (!o.local) return p.global_inv_dd2;
  const double dd = o.dose_percent / 100.0 * dr;
  return dd > 0.0 ? 1.0 / (dd * dd) : -1.0;
}

}  // namespace

GammaResult gamma_index(const Volume& ref, const Volume& ev, const GammaOptions& o) {
  const Prepared p = prepare(ref, ev, o);
  const std::vector<Offset> offs = make_offsets(ref, o);
  const float cap2 = float(o.max_gamma * o.max_gamma);
  GammaResult r;
  r.gamma = Volume(ref.slices, ref.rows, ref.cols, -1.f);
  r.gamma.spacing_mm = ref.spacing_mm;
  r.norm_dose = p.norm;
#pragma omp parallel for schedule(dynamic, 1)
  for (int z = 0; z < ref.slices; ++z)
    for (int y = 0; y < ref.rows; ++y)
      for (int x = 0; x < ref.cols; ++x) {
        const float dr = ref.at(z, y, x);
        const double inv = voxel_inv_dd2(dr, p, o);
        if (inv < 0.0) continue;
        const float finv = float(inv);
        float best = cap2;
        for (const Offset& f : offs) {
          if (f.r2 >= best) break;  // sorted: no further offset can do better
          float de;
          if (!interp(ev, z, y, x, f, de)) continue;
          const float diff = de - dr;
          const float g2 = f.r2 + diff * diff * finv;
          if (g2 < best) best = g2;
        }
        r.gamma.at(z, y, x) = std::sqrt(best);
      }
  r.histogram.assign(o.histogram_bins, 0);
  r.histogram_bin_width = o.max_gamma / o.histogram_bins;
  double sum = 0.0;
  for (float g : r.gamma.data) {
    if (g < 0.f) continue;
    ++r.evaluated;
    if (g <= 1.f) ++r.passed;
    if (g > 0.f) ++r.positive;
    sum += g;
    r.max_gamma = std::max(r.max_gamma, double(g));
    const int b = std::min(o.histogram_bins - 1, int(g / r.histogram_bin_width));
    ++r.histogram[b];
  }
  long long passed_positive = 0;
  for (float g : r.gamma.data)
    if (g > 0.f && g <= 1.f) ++passed_positive;
  r.mean_gamma = r.evaluated ? sum / r.evaluated : 0.0;
  r.pass_rate = r.evaluated ? 100.0 * r.passed / r.evaluated : 0.0;
  r.pass_rate_dota = r.positive ? 100.0 * passed_positive / r.positive : 100.0;
  return r;
}

Volume gamma_index_reference(const Volume& ref, const Volume& ev, const GammaOptions& o) {
  const Prepared p = prepare(ref, ev, o);
  Volume g(ref.slices, ref.rows, ref.cols, -1.f);
  g.spacing_mm = ref.spacing_mm;
  const double step = o.dta_mm / o.step_divisions;
  const double radius = o.max_gamma * o.dta_mm;
  const int n = int(std::floor(radius / step + 1e-9));
  for (int z = 0; z < ref.slices; ++z)
    for (int y = 0; y < ref.rows; ++y)
      for (int x = 0; x < ref.cols; ++x) {
        const double dr = ref.at(z, y, x);
        const double inv = voxel_inv_dd2(dr, p, o);
        if (inv < 0.0) continue;
        double best = o.max_gamma * o.max_gamma;
        for (int k = -n; k <= n; ++k)
          for (int j = -n; j <= n; ++j)
            for (int i = -n; i <= n; ++i) {
              const double mz = k * step, my = j * step, mx = i * step;
              const double d2 = mz * mz + my * my + mx * mx;
              if (d2 > radius * radius * (1.0 + 1e-12)) continue;
              // plain trilinear interpolation at the continuous position (voxel units)
              const double pz = z + mz / ref.spacing_mm[0], py = y + my / ref.spacing_mm[1],
                           px = x + mx / ref.spacing_mm[2];
              if (pz < -1e-6 || py < -1e-6 || px < -1e-6 || pz > ev.slices - 1 + 1e-6 ||
                  py > ev.rows - 1 + 1e-6 || px > ev.cols - 1 + 1e-6)
                continue;
              const int z0 = std::min(int(std::floor(pz + 1e-6)), ev.slices - 1);
              const int y0 = std::min(int(std::floor(py + 1e-6)), ev.rows - 1);
              const int x0 = std::min(int(std::floor(px + 1e-6)), ev.cols - 1);
              const double fz = std::max(0.0, pz - z0), fy = std::max(0.0, py - y0),
                           fx = std::max(0.0, px - x0);
              double de = 0.0;
              for (int a = 0; a < 2; ++a)
                for (int b = 0; b < 2; ++b)
                  for (int c = 0; c < 2; ++c) {
                    const double wgt = (a ? fz : 1 - fz) * (b ? fy : 1 - fy) * (c ? fx : 1 - fx);
                    if (wgt <= 1e-7) continue;
                    de += wgt * ev.at(std::min(z0 + a, ev.slices - 1),
                                      std::min(y0 + b, ev.rows - 1), std::min(x0 + c, ev.cols - 1));
                  }
              const double g2 = d2 / (o.dta_mm * o.dta_mm) + (de - dr) * (de - dr) * inv;
              best = std::min(best, g2);
            }
        g.at(z, y, x) = float(std::sqrt(best));
      }
  return g;
}

void parse_gamma_criteria(const std::string& text, GammaOptions& o) {
  static const std::regex re(R"(^\s*([0-9]*\.?[0-9]+)\s*%?\s*/\s*([0-9]*\.?[0-9]+)\s*(mm)?\s*$)");
  std::smatch m;
  if (!std::regex_match(text, m, re))
    throw ValueError("gamma criteria: expected e.g. '1%/3mm', found '" + text + "'");
  const double dd = std::stod(m[1].str()), dta = std::stod(m[2].str());
  if (!(dd > 0.0) || !(dta > 0.0))
    throw ValueError("gamma criteria: dose % and DTA must be > 0, found '" + text + "'");
  o.dose_percent = dd;
  o.dta_mm = dta;
}

}  // namespace dotakv::physics
