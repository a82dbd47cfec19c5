// Condensed-history proton MC. Physics and determinism contract: see mc.hpp.
#include "dotakv/mc.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <vector>

#include "dotakv/error.hpp"
#include "dotakv/materials.hpp"
#include "rng.hpp"
#include "validate.hpp"

namespace dotakv::physics {
namespace {

constexpr double kHighlandEs = 14.1;             // MeV, scattering power constant
constexpr double kNuclearRate = 0.012;           // 1/cm per g/cm^3 (Bortfeld's beta, water)
constexpr double kNuclearMinE = 10.0;            // MeV, no non-elastic interactions below
constexpr double kNuclearLocal = 0.25;           // fraction of E deposited locally
constexpr double kNuclearSecondary = 0.7;        // secondary proton energy = u * this * E
constexpr double kBohr = 0.1569 * kWaterZoverA;  // MeV^2 per g/cm^2 of water

struct VoxelPhys {
  float rsp;          // relative stopping power
  float scat;         // rho / X0, 1/cm
  float nuc;          // nuclear removal rate, 1/cm
  float dose_factor;  // Gy per MeV deposited in this voxel
};

struct Particle {
  double x, y, z;  // mm, grid frame: z depth (slices), y rows, x cols
  double u, v, w;  // direction cosines (x, y, z)
  double e;        // MeV
};

// cos/sin by Taylor series for the small MCS angles (error < 1e-10 for t < 0.1).
inline void small_angle_cos_sin(double t, double& c, double& s) {
  if (t < 0.1) {
    const double t2 = t * t;
    c = 1.0 - t2 * (0.5 - t2 * (1.0 / 24.0 - t2 * (1.0 / 720.0)));
    s = t * (1.0 - t2 * (1.0 / 6.0 - t2 * (1.0 / 120.0 - t2 * (1.0 / 5040.0))));
  } else {
    c = std::cos(t);
    s = std::sin(t);
  }
}

inline void rotate(Particle& p, double cos_t, double sin_t, double cos_p, double sin_p) {
  const double w2 = 1.0 - p.w * p.w;
  if (w2 > 1e-12) {
    const double r = std::sqrt(w2);
    const double u = p.u * cos_t + sin_t * (p.u * p.w * cos_p - p.v * sin_p) / r;
    const double v = p.v * cos_t + sin_t * (p.v * p.w * cos_p + p.u * sin_p) / r;
    const double w = p.w * cos_t - sin_t * cos_p * r;
    p.u = u;
    p.v = v;
    p.w = w;
  } else {
    const double s = p.w < 0 ? -1.0 : 1.0;
    p.u = sin_t * cos_p;
    p.v = sin_t * sin_p;
    p.w = s * cos_t;
  }
  const double n2 = p.u * p.u + p.v * p.v + p.w * p.w;
  if (std::abs(n2 - 1.0) > 1e-9) {  // rotation preserves the norm; fix rounding drift rarely
    const double n = 1.0 / std::sqrt(n2);
    p.u *= n;
    p.v *= n;
    p.w *= n;
  }
}

// Per-energy coefficients tabulated on a uniform 0.05 MeV grid (linear interpolation):
// Bohr variance per cm of water and the squared Highland factor (Es / pv)^2.
struct EnergyCoefficients {
  static constexpr double kStep = 0.05;
  std::vector<float> bohr, scat;
  EnergyCoefficients() {
    const int n = int(kTableMaxEnergyMeV * 1.1 / kStep) + 2;
    bohr.resize(n);
    scat.resize(n);
    for (int i = 0; i < n; ++i) {
      const double e = std::max(i * kStep, 0.01);
      const double g = 1.0 + e / kProtonMassMeV;
      const double b2 = 1.0 - 1.0 / (g * g);
      bohr[i] = float(kBohr * g * g * (1.0 - 0.5 * b2));
      const double k = kHighlandEs / proton_pv(e);
      scat[i] = float(k * k);
    }
  }
  void lookup(double e, double& bohr_out, double& scat_out) const {
    const double x = e * (1.0 / kStep);
    const size_t i = std::min(size_t(x), bohr.size() - 2);
    const double f = x - double(i);
    bohr_out = bohr[i] + f * (bohr[i + 1] - bohr[i]);
    scat_out = scat[i] + f * (scat[i + 1] - scat[i]);
  }
  static const EnergyCoefficients& instance() {
    static const EnergyCoefficients c;
    return c;
  }
};

struct Transport {
  const std::vector<VoxelPhys>& phys;
  int nz, ny, nx;
  double hz, hy, hx;  // voxel size, mm
  const McOptions& o;
  const WaterTables& tab;
  double r_cut;  // range at the cut-off energy
  const EnergyCoefficients& coef;

  // Transports one particle (and its secondaries) depositing into tally. Returns steps.
  long long run(Particle p0, detail::Rng& rng, double* tally, long long& secondaries) const {
    Particle stack[16];
    int top = 0;
    stack[top++] = p0;
    long long steps = 0;
    while (top > 0) {
      Particle p = stack[--top];
      // optical depth to the next nuclear interaction
      double nuc_left = o.nuclear ? -std::log(rng.uniform_pos()) : 1e300;
      double range = tab.range(p.e);
      for (;;) {
        if (p.z < 0.0 || p.y < 0.0 || p.x < 0.0) break;
        const int iz = int(p.z / hz), iy = int(p.y / hy), ix = int(p.x / hx);
        if (iz >= nz || iy >= ny || ix >= nx) break;
        const size_t vox = (size_t(iz) * ny + iy) * nx + ix;
        const VoxelPhys& m = phys[vox];
        ++steps;
        // distance to the voxel boundary along the direction (mm)
        // (limit_axis: 0 z, 1 y, 2 x, -1 not boundary-limited)
        double sb = 1e30;
        int limit_axis = -1;
        auto bound = [&](double dist, int axis) {
          if (dist < sb) {
            sb = dist;
            limit_axis = axis;
          }
        };
        if (p.w > 1e-12)
          bound(((iz + 1) * hz - p.z) / p.w, 0);
        else if (p.w < -1e-12)
          bound((iz * hz - p.z) / p.w, 0);
        if (p.v > 1e-12)
          bound(((iy + 1) * hy - p.y) / p.v, 1);
        else if (p.v < -1e-12)
          bound((iy * hy - p.y) / p.v, 1);
        if (p.u > 1e-12)
          bound(((ix + 1) * hx - p.x) / p.u, 2);
        else if (p.u < -1e-12)
          bound((ix * hx - p.x) / p.u, 2);
        // Land just across the boundary. A boundary up to 1 % beyond max_step still ends the
        // step there (a tilted track crosses a 2 mm voxel in slightly more than 2 mm; cutting
        // it would leave a sliver step).
        double s = sb + 1e-6;
        if (sb > 1.01 * o.max_step_mm) {
          s = o.max_step_mm;
          limit_axis = -1;
        }
        // energy-loss limit: water-equivalent length for 25 % loss. R(E) - R(0.75 E) >= 0.4 R(E)
        // (R ~ E^1.77), so the table lookup is needed only when that bound could bind.
        const double rsp = std::max<double>(m.rsp, 1e-6);
        if (0.4 * range < 0.1 * s * rsp) {
          const double sw_max = range - tab.range(p.e * (1.0 - o.max_energy_loss_fraction));
          if (10.0 * sw_max / rsp < s) {
            s = 10.0 * sw_max / rsp;
            limit_axis = -1;
          }
        }
        // nuclear interaction inside the step?
        bool interact = false;
        if (p.e > kNuclearMinE && m.nuc > 0.f) {
          const double tau = m.nuc * 0.1 * s;
          if (tau >= nuc_left) {
            s = nuc_left / (m.nuc * 0.1);
            limit_axis = -1;
            interact = true;
            nuc_left = o.nuclear ? -std::log(rng.uniform_pos()) : 1e300;
          } else {
            nuc_left -= tau;
          }
        }
        const double sw = 0.1 * s * rsp;  // cm of water
        const double r1 = range - sw;
        if (r1 <= r_cut) {  // stops inside this step
          tally[vox] += p.e;
          break;
        }
        double e1 = tab.energy(r1);
        double de = p.e - e1;
        const double emid = 0.5 * (p.e + e1);
        double bohr, scat_k;
        coef.lookup(emid, bohr, scat_k);
        if (o.straggling) {
          de += std::sqrt(bohr * sw) * rng.normal();
          de = std::clamp(de, 0.0, p.e);
          e1 = p.e - de;
        }
        tally[vox] += de;
        if (o.scattering) {
          const double theta0 = std::sqrt(scat_k * m.scat * 0.1 * s);
          const double tx = theta0 * rng.normal(), ty = theta0 * rng.normal();
          const double t2 = tx * tx + ty * ty;
          // Random hinge: straight end point plus (1 - xi) s (d' - d), with the component along
          // the axis whose voxel boundary limited the step removed so the particle lands exactly
          // on that boundary (no sliver steps; second-order effect on the path length).
          const double xi = rng.uniform();
          const double u0 = p.u, v0 = p.v, w0 = p.w;
          if (t2 > 0.0) {
            const double t = std::sqrt(t2);
            double ct, st;
            small_angle_cos_sin(t, ct, st);
            rotate(p, ct, st, tx / t, ty / t);
          }
          const double lever = (1.0 - xi) * s;
          p.x += s * u0 + (limit_axis == 2 ? 0.0 : lever * (p.u - u0));
          p.y += s * v0 + (limit_axis == 1 ? 0.0 : lever * (p.v - v0));
          p.z += s * w0 + (limit_axis == 0 ? 0.0 : lever * (p.w - w0));
        } else {
          p.x += s * p.u;
          p.y += s * p.v;
          p.z += s * p.w;
        }
        p.e = e1;
        if (p.e <= o.cutoff_mev) {
          if (p.e > 0.0) {
            // deposit the rest where the particle ends (or in the step's voxel if it left)
            const int jz = int(p.z / hz), jy = int(p.y / hy), jx = int(p.x / hx);
            if (p.z >= 0 && p.y >= 0 && p.x >= 0 && jz < nz && jy < ny && jx < nx)
              tally[(size_t(jz) * ny + jy) * nx + jx] += p.e;
            else
              tally[vox] += p.e;
          }
          break;
        }
        range = tab.range(p.e);
        if (interact) {
          const double local = kNuclearLocal * p.e;
          tally[vox] += local;
          const double u = rng.uniform();
          const double e2 = u * kNuclearSecondary * p.e;
          if (e2 > o.cutoff_mev && top < 16) {
            Particle q = p;
            q.e = e2;
            const double theta = (5.0 + 30.0 * (1.0 - u)) * M_PI / 180.0;
            const double phi = 2.0 * M_PI * rng.uniform();
            rotate(q, std::cos(theta), std::sin(theta), std::cos(phi), std::sin(phi));
            stack[top++] = q;
            ++secondaries;
          } else if (e2 > 0.0) {
            tally[vox] += e2;
          }
          break;  // primary removed; the rest of its energy escapes (neutrons, gammas)
        }
      }
    }
    return steps;
  }
};

}  // namespace

McResult run_mc(const Volume& ct, const McOptions& o, Progress* progress) {
  detail::validate_ct(ct, "mc");
  detail::validate_energy(o.energy_mev, "mc");
  if (o.primaries <= 0)
    throw ValueError("mc: primaries must be > 0, found " + std::to_string(o.primaries));
  if (o.batches < 1)
    throw ValueError("mc: batches must be >= 1, found " + std::to_string(o.batches));
  if (!(o.max_step_mm > 0.0) ||
      !(o.max_energy_loss_fraction > 0.0 && o.max_energy_loss_fraction < 1.0))
    throw ValueError("mc: max_step_mm must be > 0 and max_energy_loss_fraction in (0,1)");
  if (!(o.spot_sigma_mm >= 0.0) || !(o.energy_spread >= 0.0) || !(o.cutoff_mev > 0.0))
    throw ValueError("mc: spot_sigma_mm and energy_spread must be >= 0, cutoff_mev > 0");

  const auto& tab = WaterTables::instance();
  const size_t nvox = ct.size();
  std::vector<VoxelPhys> phys(nvox);
  const double vol_cm3 = ct.spacing_mm[0] * ct.spacing_mm[1] * ct.spacing_mm[2] * 1e-3;
  for (size_t i = 0; i < nvox; ++i) {
    const Material m = material_from_hu(ct.data[i]);
    const double mass_kg = m.density * vol_cm3 * 1e-3;
    double f = kMeVToJoule / mass_kg;
    if (o.dose_to_water) f *= m.density / m.rsp;
    phys[i] = {float(m.rsp), float(m.density / m.x0), float(kNuclearRate * m.density), float(f)};
  }

  const int nb = int(std::min<long long>(o.batches, o.primaries));
  std::vector<std::vector<double>> tallies(nb);
  std::vector<long long> batch_n(nb), batch_steps(nb, 0), batch_sec(nb, 0);
  for (int b = 0; b < nb; ++b) batch_n[b] = o.primaries / nb + (b < o.primaries % nb ? 1 : 0);

  Transport tr{phys,
               ct.slices,
               ct.rows,
               ct.cols,
               ct.spacing_mm[0],
               ct.spacing_mm[1],
               ct.spacing_mm[2],
               o,
               tab,
               tab.range(o.cutoff_mev),
               EnergyCoefficients::instance()};
  const double cy = 0.5 * ct.rows * ct.spacing_mm[1] + o.offset_row_mm;
  const double cx = 0.5 * ct.cols * ct.spacing_mm[2] + o.offset_col_mm;

  const int threads = o.threads > 0 ? o.threads : omp_get_max_threads();
  std::atomic<bool> cancelled{false};
  std::atomic<long long> done{0};
  const auto t0 = std::chrono::steady_clock::now();
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int b = 0; b < nb; ++b) {
    if (cancelled.load(std::memory_order_relaxed)) continue;
    std::vector<double> tally(nvox, 0.0);
    detail::Rng rng(o.seed, uint64_t(b));
    long long steps = 0, sec = 0;
    for (long long i = 0; i < batch_n[b]; ++i) {
      if ((i & 1023) == 1023) {
        if (cancelled.load(std::memory_order_relaxed)) break;
        if (progress && progress->cancelled()) {
          cancelled = true;
          break;
        }
      }
      Particle p;
      p.e = o.energy_mev * (1.0 + o.energy_spread * rng.normal());
      p.x = cx + o.spot_sigma_mm * rng.normal();
      p.y = cy + o.spot_sigma_mm * rng.normal();
      p.z = 1e-9;
      p.u = p.v = 0.0;
      p.w = 1.0;
      if (p.e <= o.cutoff_mev) continue;
      steps += tr.run(p, rng, tally.data(), sec);
    }
    batch_steps[b] = steps;
    batch_sec[b] = sec;
    tallies[b] = std::move(tally);
    const long long d = done.fetch_add(batch_n[b]) + batch_n[b];
    if (progress && omp_get_thread_num() == 0 && !cancelled.load()) {
      try {
        progress->report(double(d), double(o.primaries), "mc");
      } catch (const Cancelled&) {
        cancelled = true;
      }
    }
  }
  if (cancelled.load() || (progress && progress->cancelled())) throw Cancelled();
  const auto t1 = std::chrono::steady_clock::now();

  McResult r;
  r.dose = Volume(ct.slices, ct.rows, ct.cols, 0.f);
  r.dose.spacing_mm = ct.spacing_mm;
  r.uncertainty = r.dose;
  const double n_total = double(o.primaries);
#pragma omp parallel for schedule(static) num_threads(threads)
  for (long long i = 0; i < (long long)nvox; ++i) {
    double sum = 0.0;
    for (int b = 0; b < nb; ++b) sum += tallies[b][i];
    const double f = phys[i].dose_factor;
    const double mean = sum / n_total;  // MeV per primary
    r.dose.data[i] = float(mean * f);
    if (nb > 1) {
      double ss = 0.0;
      for (int b = 0; b < nb; ++b) {
        const double d = tallies[b][i] / double(batch_n[b]) - mean;
        ss += d * d;
      }
      r.uncertainty.data[i] = float(std::sqrt(ss / (double(nb) * (nb - 1))) * f);
    }
  }
  for (int b = 0; b < nb; ++b) {
    r.steps += batch_steps[b];
    r.secondaries += batch_sec[b];
  }
  r.primaries = o.primaries;
  r.seconds = std::chrono::duration<double>(t1 - t0).count();
  r.threads = threads;
  const auto it = std::max_element(r.dose.data.begin(), r.dose.data.end());
  if (it != r.dose.data.end() && *it > 0.f)
    r.max_dose_rel_uncertainty = r.uncertainty.data[size_t(it - r.dose.data.begin())] / *it;
  return r;
}

}  // namespace dotakv::physics
