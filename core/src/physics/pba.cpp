// Analytical pencil-beam algorithm. Model and sources: see pba.hpp and docs/physics.md.
#include "dotakv/pba.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "dotakv/error.hpp"
#include "dotakv/materials.hpp"
#include "validate.hpp"

namespace dotakv::physics {
namespace {

constexpr double kHighlandEs = 14.1;        // MeV, as in the MC
constexpr double kNuclearRate = 0.012;      // 1/cm in water (Bortfeld's beta)
constexpr double kNuclearMinE = 10.0;       // MeV
constexpr double kNuclearLocal = 0.25;      // locally deposited fraction (as in the MC)
constexpr double kNuclearSecondary = 0.35;  // mean energy fraction carried by the secondary
constexpr double kSecondaryAngle = 20.0 * M_PI / 180.0;  // mean polar angle of the secondary
constexpr double kFine = 0.01;  // cm, fine depth grid of the water depth dose
constexpr double kMeVPerGramToGy = kMeVToJoule * 1e3;

// Cumulative energy (MeV per primary, laterally integrated) deposited in water up to depth w,
// split into the part that follows the primary Gaussian and the wide secondary-proton halo.
struct WaterDepthDose {
  std::vector<double> cp, ch;    // cumulative at w = i * kFine, i = 0..n
  std::vector<double> halo_len;  // secondary deposit length L(w), cm
  double r0 = 0.0;               // CSDA range of the nominal energy, cm

  static double lookup(const std::vector<double>& c, double w) {
    if (w <= 0.0) return 0.0;
    const double x = w / kFine;
    const size_t i = size_t(x);
    if (i + 1 >= c.size()) return c.back();
    const double f = x - double(i);
    return c[i] + f * (c[i + 1] - c[i]);
  }
  double halo_length(double w) const {
    const size_t i = std::min(halo_len.size() - 1, size_t(std::max(0.0, w / kFine)));
    return halo_len[i];
  }
};

WaterDepthDose build_water_depth_dose(const PbaOptions& o) {
  const auto& tab = WaterTables::instance();
  WaterDepthDose d;
  d.r0 = tab.range(o.energy_mev);
  const double sigma_e = o.energy_spread * o.energy_mev;
  const double de = std::max(0.01, 0.01 * o.energy_mev);
  const double drde = (tab.range(o.energy_mev + de) - tab.range(o.energy_mev - de)) / (2.0 * de);
  const double sr = WaterTables::range_straggling_sigma(d.r0);
  const double sigma_r = std::sqrt(sr * sr + drde * drde * sigma_e * sigma_e);
  const int n = int((d.r0 + 6.0 * sigma_r + 0.5) / kFine) + 1;
  std::vector<double> prim(n, 0.0), halo(n + 1, 0.0), halo_diff(n + 2, 0.0);
  d.halo_len.assign(n, 0.0);
  double phi = 1.0;
  for (int i = 0; i < n; ++i) {
    const double wa = i * kFine, wb = wa + kFine;
    const double ea = tab.energy(d.r0 - wa), eb = tab.energy(d.r0 - wb);
    const double em = 0.5 * (ea + eb);
    prim[i] += phi * (ea - eb);
    if (o.nuclear && em > kNuclearMinE) {
      const double removed = phi * (1.0 - std::exp(-kNuclearRate * kFine));
      phi -= removed;
      prim[i] += removed * kNuclearLocal * em;
      // secondary proton: energy spread uniformly over its depth extent L
      const double len =
          std::max(kFine, tab.range(kNuclearSecondary * em) * std::cos(kSecondaryAngle));
      const int nl = std::max(1, int(len / kFine));
      const double e2 = removed * kNuclearSecondary * em;
      halo_diff[i] += e2 / nl;
      halo_diff[std::min(n + 1, i + nl)] -= e2 / nl;
      d.halo_len[i] = len;
    } else if (i > 0) {
      d.halo_len[i] = d.halo_len[i - 1];
    }
  }
  double run = 0.0;
  for (int i = 0; i < n; ++i) {
    run += halo_diff[i];
    halo[i] = run;
  }
  // range straggling + energy spread: Gaussian convolution in depth (shift approximation)
  auto convolve = [&](const std::vector<double>& in) {
    std::vector<double> out(n, 0.0);
    const int k = int(4.0 * sigma_r / kFine) + 1;
    std::vector<double> ker(2 * k + 1);
    double s = 0.0;
    for (int j = -k; j <= k; ++j)
      s += ker[j + k] = std::exp(-0.5 * std::pow(j * kFine / sigma_r, 2));
    for (auto& v : ker) v /= s;
    // Mass-conserving: kernel weights falling outside [0, n) are renormalised away (a clamp
    // would pile the entrance plateau's energy into the first bin).
    for (int i = 0; i < n; ++i) {
      if (in[i] == 0.0) continue;
      const int j0 = std::max(-k, -i), j1 = std::min(k, n - 1 - i);
      double inside = 0.0;
      for (int j = j0; j <= j1; ++j) inside += ker[j + k];
      const double scale = in[i] / inside;
      for (int j = j0; j <= j1; ++j) out[i + j] += scale * ker[j + k];
    }
    return out;
  };
  const std::vector<double> p = sigma_r > 0.0 ? convolve(prim) : prim;
  std::vector<double> h(halo.begin(), halo.begin() + n);
  h = sigma_r > 0.0 ? convolve(h) : h;
  d.cp.assign(n + 1, 0.0);
  d.ch.assign(n + 1, 0.0);
  for (int i = 0; i < n; ++i) {
    d.cp[i + 1] = d.cp[i] + p[i];
    d.ch[i + 1] = d.ch[i] + h[i];
  }
  return d;
}

// Mean over [a, b] of a unit Gaussian density centred at c with sigma s (1/length).
inline double gauss_avg(double a, double b, double c, double s) {
  const double k = 1.0 / (std::sqrt(2.0) * s);
  return 0.5 * (std::erf((b - c) * k) - std::erf((a - c) * k)) / (b - a);
}

void validate_pba(const PbaOptions& o) {
  detail::validate_energy(o.energy_mev, "pba");
  if (!(o.spot_sigma_mm >= 0.0) || !(o.energy_spread >= 0.0))
    throw ValueError("pba: spot_sigma_mm and energy_spread must be >= 0");
}

}  // namespace

std::vector<double> pba_water_idd(const PbaOptions& o, double step_cm, int n) {
  validate_pba(o);
  if (!(step_cm > 0.0) || n <= 0) throw ValueError("pba_water_idd: step_cm > 0 and n > 0 required");
  const WaterDepthDose d = build_water_depth_dose(o);
  std::vector<double> out(n);
  for (int i = 0; i < n; ++i) {
    const double a = i * step_cm, b = a + step_cm;
    out[i] = (WaterDepthDose::lookup(d.cp, b) - WaterDepthDose::lookup(d.cp, a) +
              WaterDepthDose::lookup(d.ch, b) - WaterDepthDose::lookup(d.ch, a)) /
             step_cm;
  }
  return out;
}

Volume run_pba(const Volume& ct, const PbaOptions& o) {
  detail::validate_ct(ct, "pba");
  validate_pba(o);
  const auto& tab = WaterTables::instance();
  const WaterDepthDose dd = build_water_depth_dose(o);
  const int nz = ct.slices, ny = ct.rows, nx = ct.cols;
  const double dz = ct.spacing_mm[0] * 0.1, dy = ct.spacing_mm[1] * 0.1,
               dx = ct.spacing_mm[2] * 0.1;
  const double cy = 0.5 * ny * dy + o.offset_row_mm * 0.1;
  const double cx = 0.5 * nx * dx + o.offset_col_mm * 0.1;
  std::vector<Material> mat(ct.size());
  for (size_t i = 0; i < ct.size(); ++i) mat[i] = material_from_hu(ct.data[i]);

  // Fermi-Eyges moments along the central column (nearest to the spot centre).
  const int ay = std::clamp(int(cy / dy), 0, ny - 1), ax = std::clamp(int(cx / dx), 0, nx - 1);
  std::vector<double> sigma_p(nz), sigma_h(nz);
  {
    double a0 = 0.0, a1 = 0.0, a2 = 0.0, w = 0.0;
    const int sub = 20;
    const double h = dz / sub;
    const double s0 = o.spot_sigma_mm * 0.1;
    bool stopped = false;
    double last_sigma2 = 0.0;
    for (int z = 0; z < nz; ++z) {
      const Material& m = mat[(size_t(z) * ny + ay) * nx + ax];
      for (int k = 0; k < sub; ++k) {
        const double zc = z * dz + (k + 0.5) * h;
        const double e = tab.energy(dd.r0 - (w + 0.5 * h * m.rsp));
        if (e < 3.0) stopped = true;  // T ~ 1/E^2 diverges at the end of range: freeze sigma
        if (!stopped) {
          const double pv = proton_pv(e);
          const double t = (kHighlandEs / pv) * (kHighlandEs / pv) * m.density / m.x0;
          a0 += t * h;
          a1 += t * zc * h;
          a2 += t * zc * zc * h;
        }
        w += h * m.rsp;
      }
      const double zc = (z + 0.5) * dz;
      if (!stopped) last_sigma2 = std::max(0.0, zc * zc * a0 - 2.0 * zc * a1 + a2);
      sigma_p[z] = std::sqrt(s0 * s0 + last_sigma2);
      const double wc = std::max(0.0, w - 0.5 * dz * m.rsp);
      const double len = dd.halo_length(std::min(wc, dd.r0));
      sigma_h[z] =
          std::sqrt(sigma_p[z] * sigma_p[z] + std::pow(len * std::tan(kSecondaryAngle), 2) / 6.0);
    }
  }

  // voxel-averaged 1-D Gaussian factors per slice (primary and halo), [nz][ny] and [nz][nx]
  std::vector<double> gyp(size_t(nz) * ny), gxp(size_t(nz) * nx), gyh(size_t(nz) * ny),
      gxh(size_t(nz) * nx);
  for (int z = 0; z < nz; ++z) {
    for (int y = 0; y < ny; ++y) {
      gyp[size_t(z) * ny + y] = gauss_avg(y * dy, (y + 1) * dy, cy, sigma_p[z]);
      gyh[size_t(z) * ny + y] = gauss_avg(y * dy, (y + 1) * dy, cy, sigma_h[z]);
    }
    for (int x = 0; x < nx; ++x) {
      gxp[size_t(z) * nx + x] = gauss_avg(x * dx, (x + 1) * dx, cx, sigma_p[z]);
      gxh[size_t(z) * nx + x] = gauss_avg(x * dx, (x + 1) * dx, cx, sigma_h[z]);
    }
  }
  Volume dose(nz, ny, nx, 0.f);
  dose.spacing_mm = ct.spacing_mm;
#pragma omp parallel for schedule(static)
  for (int yx = 0; yx < ny * nx; ++yx) {
    const int y = yx / nx, x = yx % nx;
    double w = 0.0;
    for (int z = 0; z < nz; ++z) {
      const size_t v = (size_t(z) * ny + y) * nx + x;
      const Material& m = mat[v];
      const double wb = w + m.rsp * dz;
      const double ep = WaterDepthDose::lookup(dd.cp, wb) - WaterDepthDose::lookup(dd.cp, w);
      const double eh = WaterDepthDose::lookup(dd.ch, wb) - WaterDepthDose::lookup(dd.ch, w);
      w = wb;
      if (ep <= 0.0 && eh <= 0.0) continue;
      const double gp = gyp[size_t(z) * ny + y] * gxp[size_t(z) * nx + x];
      const double gh = gyh[size_t(z) * ny + y] * gxh[size_t(z) * nx + x];
      const double mev_per_cm3 = (ep * gp + eh * gh) / dz;
      double gy = mev_per_cm3 / m.density * kMeVPerGramToGy;
      if (o.dose_to_water) gy *= m.density / m.rsp;
      dose.data[v] = float(gy);
    }
  }
  return dose;
}

}  // namespace dotakv::physics
