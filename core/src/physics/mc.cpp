// Condensed-history proton MC. Physics and determinism contract: see mc.hpp.
#include "dotakv/mc.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <vector>

#include "dotakv/energy_loss.hpp"
#include "dotakv/error.hpp"
#include "dotakv/materials.hpp"
#include "rng.hpp"
#include "validate.hpp"

namespace dotakv::physics {
namespace {

constexpr double kHighlandEs = 14.1;        // MeV, scattering power constant
constexpr double kNuclearMinE = 10.0;       // MeV, no nuclear interactions below
constexpr double kOxygenPerCm3 = 3.343e22;  // 16O nuclei per cm^3 of water (rho N_A / 18.015)

// Non-elastic p + 16O, ICRU Report 63 (2000): cross-section and the fractions of the incident
// energy carried by secondary protons, by deuterons (with their multiplicity) and by alphas plus
// recoil nuclei, integrated from the report's tabulated energy spectra (as distributed with
// MCsquare, Materials/oxygen/ICRU_Nuclear_inelastic.dat). The rest (neutrons, gammas, binding
// energy) escapes. Charged share at 100-200 MeV: 0.60-0.63 (Bortfeld's gamma = 0.6).
struct NonelasticRow {
  double e_mev, sigma_b, f_proton, f_deuteron, n_deuteron, f_fragments;
};
constexpr NonelasticRow kNonelastic[] = {
    {10, 0.425, 0.268, 0.000, 0.00, 0.123},  {15, 0.518, 0.349, 0.000, 0.00, 0.175},
    {20, 0.535, 0.359, 0.014, 0.06, 0.190},  {30, 0.501, 0.341, 0.041, 0.14, 0.175},
    {40, 0.449, 0.362, 0.059, 0.16, 0.150},  {50, 0.401, 0.379, 0.071, 0.18, 0.127},
    {60, 0.362, 0.377, 0.079, 0.19, 0.118},  {70, 0.333, 0.394, 0.083, 0.21, 0.106},
    {80, 0.313, 0.398, 0.086, 0.23, 0.098},  {100, 0.297, 0.417, 0.092, 0.28, 0.092},
    {120, 0.295, 0.441, 0.096, 0.32, 0.082}, {150, 0.295, 0.456, 0.096, 0.37, 0.075},
    {200, 0.295, 0.469, 0.098, 0.43, 0.066}, {250, 0.295, 0.485, 0.089, 0.45, 0.058},
};
// Linear interpolation in e_mev of a table of rows ascending in e_mev, clamped at its ends;
// `mix(a, b, f)` interpolates two rows field by field.
template <class Row, std::size_t N, class Mix>
Row interpolate_rows(const Row (&t)[N], double e, Mix mix) {
  if (e <= t[0].e_mev) return t[0];
  if (e >= t[N - 1].e_mev) return t[N - 1];
  std::size_t i = 1;
  while (t[i].e_mev < e) ++i;
  return mix(t[i - 1], t[i], (e - t[i - 1].e_mev) / (t[i].e_mev - t[i - 1].e_mev));
}
inline double lerp(double a, double b, double f) {
  return a + f * (b - a);
}
NonelasticRow nonelastic_at(double e) {
  return interpolate_rows(kNonelastic, e,
                          [e](const NonelasticRow& a, const NonelasticRow& b, double f) {
                            return NonelasticRow{e,
                                                 lerp(a.sigma_b, b.sigma_b, f),
                                                 lerp(a.f_proton, b.f_proton, f),
                                                 lerp(a.f_deuteron, b.f_deuteron, f),
                                                 lerp(a.n_deuteron, b.n_deuteron, f),
                                                 lerp(a.f_fragments, b.f_fragments, f)};
                          });
}
// Nuclear elastic p + 16O from ICRU Report 63's elastic angular distributions: the tabulated
// dsigma/dOmega minus Rutherford scattering (which the multiple-scattering model covers), fitted
// at 10-25 deg (centre of mass) by A exp(-theta^2 / 2 w^2); sigma = 2 pi A w^2. Below 70 MeV the
// tabulated distribution is Coulomb-dominated at these angles and no nuclear part is modelled.
struct ElasticRow {
  double e_mev, sigma_b, width_deg;
};
constexpr ElasticRow kElastic[] = {
    {70, 0.352, 14.36}, {80, 0.289, 12.82},  {100, 0.207, 10.85}, {120, 0.155, 9.56},
    {150, 0.108, 8.24}, {200, 0.0714, 6.87}, {250, 0.0614, 5.82},
};
constexpr double kElasticMinE = 70.0;
constexpr double kOxygenMassMeV = 14899.2;
ElasticRow elastic_at(double e) {
  return interpolate_rows(kElastic, e, [e](const ElasticRow& a, const ElasticRow& b, double f) {
    return ElasticRow{e, lerp(a.sigma_b, b.sigma_b, f), lerp(a.width_deg, b.width_deg, f)};
  });
}
// Lower end a of a log-uniform distribution on [a, 1] with the given mean (1 - a) / ln(1/a),
// 0 < mean < 0.5, by bisection.
double log_uniform_floor(double mean) {
  double lo = 1e-9, hi = 1.0 - 1e-9;  // the mean increases with a
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (lo + hi);
    ((1.0 - mid) / std::log(1.0 / mid) < mean ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}
// Knock-out protons leave at ~0.8 of the free p-p angle for their energy (solid-angle weighted
// mean of the ICRU 63 angular distributions at 150 MeV: 0.77-0.86 for T/E = 0.1-0.7).
constexpr double kKnockoutAngleScale = 0.8;
// Alphas and recoils (few MeV, ranges << 1 mm of water) spread their energy along a straight
// isotropic track of this water-equivalent length, so an event in a low-density voxel leaves
// its energy where the fragments stop, not in the air.
constexpr double kFragmentRangeCm = 0.05;
// Straggling of a step thinner than this mass thickness is not deposited in its voxel: most of
// the variance comes from hard collisions whose delta electrons (up to Tmax = 0.34 MeV at
// 150 MeV, CSDA range ~0.09 g/cm^2 by Katz & Penfold, Rev. Mod. Phys. 24:28, 1952) leave such a
// voxel. The voxel gets the mean loss; the fluctuation goes with the proton (its energy is the
// sampled one) and is deposited at its next thick step or end, so the energy balance stays exact
// and the mean dose everywhere unchanged, without the 3x noise of air voxels.
constexpr double kDeltaRayRangeGcm2 = 0.1;
constexpr double kBohr = 0.1569 * kWaterZoverA;  // MeV^2 per g/cm^2 of water

struct VoxelPhys {
  float rsp;          // relative stopping power
  float scat;         // rho / X0, 1/cm
  float density;      // g/cm^3 (nuclear rates scale with it)
  float dose_factor;  // Gy per MeV deposited in this voxel
};

struct Particle {
  double x, y, z;  // mm, grid frame: z depth (slices), y rows, x cols
  double u, v, w;  // direction cosines (x, y, z)
  double e;        // MeV
};

// Energy bookkeeping of one batch (MeV): every MeV of the incident energy ends in one of these.
struct EnergyLedger {
  double deposited = 0.0, escaped = 0.0, neutral = 0.0;
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

// Lab polar angle of a proton leaving a two-body collision of equal masses (free or quasi-free
// p-p scattering) with kinetic energy t_out, the projectile having t_in (relativistic
// kinematics: cos^2 theta = t_out (t_in + 2m) / (t_in (t_out + 2m))).
inline double equal_mass_cos_theta(double t_out, double t_in) {
  const double m2 = 2.0 * kProtonMassMeV;
  return std::sqrt(std::clamp(t_out * (t_in + m2) / (t_in * (t_out + m2)), 0.0, 1.0));
}

// Per-energy coefficients tabulated on a uniform 0.05 MeV grid (linear interpolation): Bohr
// variance per cm of water, the squared Highland factor (Es / pv)^2, and the p-p elastic
// macroscopic cross-section per g/cm^3 of water, (0.315 E^-1.126 + 3.78e-6 E) cm^2/g above
// 10 MeV (Fippel & Soukup, Med. Phys. 31:2263, 2004; also MCsquare's; = 25 mb per H atom at
// 150 MeV, the measured p-p elastic cross-section).
struct EnergyCoefficients {
  static constexpr double kStep = 0.05;
  std::vector<float> bohr, scat, pp, ne, el;
  EnergyCoefficients() {
    const int n = int(kTableMaxEnergyMeV * 1.1 / kStep) + 2;
    bohr.resize(n);
    scat.resize(n);
    pp.resize(n);
    ne.resize(n);
    el.resize(n);
    for (int i = 0; i < n; ++i) {
      const double e = std::max(i * kStep, 0.01);
      const double g = 1.0 + e / kProtonMassMeV;
      const double b2 = 1.0 - 1.0 / (g * g);
      bohr[i] = float(kBohr * g * g * (1.0 - 0.5 * b2));
      const double k = kHighlandEs / proton_pv(e);
      scat[i] = float(k * k);
      pp[i] = e >= kNuclearMinE ? float(0.315 * std::pow(e, -1.126) + 3.78e-6 * e) : 0.f;
      ne[i] = e >= kNuclearMinE ? float(nonelastic_at(e).sigma_b * 1e-24 * kOxygenPerCm3) : 0.f;
      el[i] = e >= kElasticMinE ? float(elastic_at(e).sigma_b * 1e-24 * kOxygenPerCm3) : 0.f;
    }
  }
  void lookup(double e, double& bohr_out, double& scat_out) const {
    bohr_out = interpolate(bohr, e);
    scat_out = interpolate(scat, e);
  }
  // Nuclear interaction rates per cm per g/cm^3 of water-like matter at energy e.
  double pp_rate(double e) const { return interpolate(pp, e); }
  double elastic_rate(double e) const { return interpolate(el, e); }
  double nuclear_rate(double e) const {
    return interpolate(pp, e) + interpolate(ne, e) + interpolate(el, e);
  }
  static double interpolate(const std::vector<float>& t, double e) {
    const double x = e * (1.0 / kStep);
    const size_t i = std::min(size_t(x), t.size() - 2);
    return t[i] + (x - double(i)) * (t[i + 1] - t[i]);
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

  bool inside(const Particle& p, size_t& vox) const {
    if (p.z < 0.0 || p.y < 0.0 || p.x < 0.0) return false;
    const int iz = int(p.z / hz), iy = int(p.y / hy), ix = int(p.x / hx);
    if (iz >= nz || iy >= ny || ix >= nx) return false;
    vox = (size_t(iz) * ny + iy) * nx + ix;
    return true;
  }

  // Distance (mm) along p's direction to the boundary of the voxel p is in; axis: 0 z, 1 y, 2 x.
  double distance_to_boundary(const Particle& p, int& axis) const {
    const int iz = int(p.z / hz), iy = int(p.y / hy), ix = int(p.x / hx);
    double sb = 1e30;
    axis = -1;
    auto bound = [&](double dist, int a) {
      if (dist < sb) {
        sb = dist;
        axis = a;
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
    return sb;
  }

  // Spreads `energy` of nuclear fragments uniformly along a straight isotropic track of
  // `length_cm` water-equivalent length starting in voxel vox at p.
  void deposit_fragments(Particle p, size_t vox, double energy, double length_cm, detail::Rng& rng,
                         double* tally, EnergyLedger& ledger) const {
    const double cos_t = 2.0 * rng.uniform() - 1.0, phi = 2.0 * M_PI * rng.uniform();
    const double sin_t = std::sqrt(std::max(0.0, 1.0 - cos_t * cos_t));
    p.u = sin_t * std::cos(phi);
    p.v = sin_t * std::sin(phi);
    p.w = cos_t;
    if (!(length_cm > 0.0)) {
      deposit(tally, vox, energy, ledger);
      return;
    }
    double left_cm = length_cm;
    for (;;) {
      int axis;
      const double s = distance_to_boundary(p, axis) + 1e-6;
      const double sw = 0.1 * s * std::max<double>(phys[vox].rsp, 1e-6);
      if (sw >= left_cm) {
        deposit(tally, vox, energy * (left_cm / length_cm), ledger);
        return;
      }
      const double de = energy * (sw / length_cm);
      tally[vox] += de;
      ledger.deposited += de;
      left_cm -= sw;
      p.x += s * p.u;
      p.y += s * p.v;
      p.z += s * p.w;
      if (!inside(p, vox)) {
        ledger.escaped += energy * (left_cm / length_cm);
        return;
      }
    }
  }

  void deposit(double* tally, size_t vox, double e, EnergyLedger& ledger) const {
    tally[vox] += e;
    ledger.deposited += e;
  }

  // Transports one particle (and its secondaries) depositing into tally. Returns steps.
  long long run(Particle p0, detail::Rng& rng, double* tally, long long& secondaries,
                EnergyLedger& ledger) const {
    constexpr int kStack = 16;
    Particle stack[kStack];
    int top = 0;
    stack[top++] = p0;
    long long steps = 0;
    auto push = [&](const Particle& q, size_t vox) {
      if (q.e > o.cutoff_mev && top < kStack) {
        stack[top++] = q;
        ++secondaries;
      } else if (q.e > 0.0) {
        deposit(tally, vox, q.e, ledger);
      }
    };
    while (top > 0) {
      Particle p = stack[--top];
      // optical depth (in mean free paths) to the next nuclear interaction
      double nuc_left = o.nuclear ? -std::log(rng.uniform_pos()) : 1e300;
      double range = tab.range(p.e);
      // Straggling energy not yet deposited (MeV, zero mean, either sign): the fluctuation of
      // thin steps, carried by their delta rays past the thin voxel (see kDeltaRayRangeGcm2).
      double pending = 0.0;
      size_t vox = 0;
      for (;;) {
        if (!inside(p, vox)) {
          ledger.escaped += p.e + pending;
          break;
        }
        const VoxelPhys& m = phys[vox];
        ++steps;
        int limit_axis;
        const double sb = distance_to_boundary(p, limit_axis);
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
        // nuclear interaction inside the step? (rate at the step's initial energy)
        bool interact = false;
        const double mu = o.nuclear ? coef.nuclear_rate(p.e) * m.density : 0.0;  // 1/cm
        if (mu > 0.0) {
          const double tau = mu * 0.1 * s;
          if (tau >= nuc_left) {
            s = nuc_left / (mu * 0.1);
            limit_axis = -1;
            interact = true;
            nuc_left = -std::log(rng.uniform_pos());
          } else {
            nuc_left -= tau;
          }
        }
        const double sw = 0.1 * s * rsp;  // cm of water
        const double r1 = range - sw;
        if (r1 <= r_cut) {  // stops inside this step
          deposit(tally, vox, p.e + pending, ledger);
          break;
        }
        double e1 = tab.energy(r1);
        double de = p.e - e1;
        const double emid = 0.5 * (p.e + e1);
        double bohr, scat_k;
        coef.lookup(emid, bohr, scat_k);
        if (o.straggling) {
          const double sampled = std::min(sample_energy_loss(de, bohr * sw, rng), p.e);
          e1 = p.e - sampled;
          if (sw * m.density / rsp < kDeltaRayRangeGcm2) {
            pending += sampled - de;  // thin step: the mean stays here
          } else {
            de = sampled + pending;
            pending = std::min(0.0, de);
            de = std::max(0.0, de);
          }
        }
        deposit(tally, vox, de, ledger);
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
            size_t end_vox;
            deposit(tally, inside(p, end_vox) ? end_vox : vox, p.e + pending, ledger);
          } else {
            deposit(tally, vox, pending, ledger);
          }
          break;
        }
        range = tab.range(p.e);
        if (!interact) continue;
        if (p.e < kNuclearMinE) continue;  // slowed below the threshold within the step
        // The interaction happens at the end of the step, in the voxel the step ran through
        // (vox), with the particle's energy there.
        const double phi = 2.0 * M_PI * rng.uniform();
        const double channel = rng.uniform() * coef.nuclear_rate(p.e);
        const double pp = coef.pp_rate(p.e);
        if (channel >= pp && channel < pp + coef.elastic_rate(p.e)) {
          // elastic on oxygen: polar angle Rayleigh-distributed (the Gaussian fit) in the centre
          // of mass, ~16/17 of it in the lab; the recoil's energy q^2 / 2M stays local
          const double w = elastic_at(p.e).width_deg * (M_PI / 180.0);
          const double theta_cm = std::min(M_PI, w * std::sqrt(-2.0 * std::log(rng.uniform_pos())));
          const double theta = theta_cm * (16.0 / 17.0);
          const double sin_half = std::sin(0.5 * theta_cm);
          const double recoil = std::min(
              p.e, 2.0 * p.e * (p.e + 2.0 * kProtonMassMeV) * sin_half * sin_half / kOxygenMassMeV);
          deposit(tally, vox, recoil, ledger);
          p.e -= recoil;
          rotate(p, std::cos(theta), std::sin(theta), std::cos(phi), std::sin(phi));
          if (p.e <= o.cutoff_mev) {
            deposit(tally, vox, p.e + pending, ledger);
            break;
          }
          range = tab.range(p.e);
          continue;
        }
        if (channel < pp) {
          // p-p elastic scattering on hydrogen: isotropic in the centre-of-mass frame, so the
          // recoil proton's energy is uniform in [0, E]; both protons go on (energy conserved).
          const double e_in = p.e;
          const double e2 = e_in * rng.uniform();
          Particle q = p;
          q.e = e2;
          const double c2 = equal_mass_cos_theta(e2, e_in);
          rotate(q, c2, std::sqrt(std::max(0.0, 1.0 - c2 * c2)), std::cos(phi), std::sin(phi));
          const double c1 = equal_mass_cos_theta(e_in - e2, e_in);
          rotate(p, c1, std::sqrt(std::max(0.0, 1.0 - c1 * c1)), -std::cos(phi), -std::sin(phi));
          p.e = e_in - e2;
          push(q, vox);
          if (p.e <= o.cutoff_mev) {
            deposit(tally, vox, p.e + pending, ledger);
            break;
          }
          range = tab.range(p.e);
          continue;
        }
        // Non-elastic on oxygen: the primary is removed. Alphas and recoils deposit near the
        // vertex, the deuterons along a track of their mean range (R_d(T) = 2 R_p(T/2)); two
        // protons (the ICRU multiplicity is ~2 above 100 MeV) carry the protons' share, each
        // with T/E log-uniform on [a, 1] (a flat energy share per unit T/E, as the ICRU spectra
        // have), a set so that the mean is f_proton E / 2, both scaled down if they exceed the
        // charged budget; each at a Rayleigh-distributed angle around ~0.8 of the free p-p
        // angle. Neutral particles take the rest.
        const NonelasticRow ne = nonelastic_at(p.e);
        const double e_frag = ne.f_fragments * p.e, e_deut = ne.f_deuteron * p.e;
        const double budget = p.e - e_frag - e_deut;
        const double a = log_uniform_floor(0.5 * ne.f_proton);
        double t1 = p.e * a * std::pow(1.0 / a, rng.uniform());
        double t2 = p.e * a * std::pow(1.0 / a, rng.uniform());
        if (t1 + t2 > budget) {
          const double k = budget / (t1 + t2);
          t1 *= k;
          t2 *= k;
        }
        ledger.neutral += std::max(0.0, budget - t1 - t2);
        deposit(tally, vox, pending, ledger);
        size_t here;
        if (!inside(p, here)) here = vox;
        deposit_fragments(p, here, e_frag, kFragmentRangeCm, rng, tally, ledger);
        if (e_deut > 0.0) {
          const double t_d = e_deut / std::max(ne.n_deuteron, 1e-3);
          deposit_fragments(p, here, e_deut, 2.0 * tab.range(0.5 * t_d), rng, tally, ledger);
        }
        for (double t : {t1, t2}) {
          Particle q = p;
          q.e = t;
          // polar angle: Rayleigh (a 2-D Gaussian in the projected angles, the forward-peaked
          // shape of the ICRU 63 distributions) with mean kKnockoutAngleScale x the free angle
          const double mean_theta =
              kKnockoutAngleScale * std::acos(equal_mass_cos_theta(std::max(t, 1e-9), p.e));
          const double theta =
              std::min(M_PI, mean_theta * std::sqrt(-4.0 / M_PI * std::log(rng.uniform_pos())));
          const double phi_q = 2.0 * M_PI * rng.uniform();
          rotate(q, std::cos(theta), std::sin(theta), std::cos(phi_q), std::sin(phi_q));
          push(q, vox);
        }
        break;
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
    phys[i] = {float(m.rsp), float(m.density / m.x0), float(m.density), float(f)};
  }

  const int nb = int(std::min<long long>(o.batches, o.primaries));
  std::vector<std::vector<double>> tallies(nb);
  std::vector<long long> batch_n(nb), batch_steps(nb, 0), batch_sec(nb, 0);
  std::vector<EnergyLedger> batch_ledger(nb);
  std::vector<double> batch_incident(nb, 0.0);
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
    EnergyLedger ledger;
    double incident = 0.0;
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
      if (p.e <= 0.0) continue;  // a (far) negative Gaussian tail: no particle
      incident += p.e;
      if (p.e <= o.cutoff_mev) {  // below the cut-off at birth: deposited where it enters
        size_t vox;
        if (tr.inside(p, vox))
          tr.deposit(tally.data(), vox, p.e, ledger);
        else
          ledger.escaped += p.e;
        continue;
      }
      steps += tr.run(p, rng, tally.data(), sec, ledger);
    }
    batch_steps[b] = steps;
    batch_sec[b] = sec;
    batch_ledger[b] = ledger;
    batch_incident[b] = incident;
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
    r.incident_mev += batch_incident[b] / n_total;
    r.deposited_mev += batch_ledger[b].deposited / n_total;
    r.escaped_mev += batch_ledger[b].escaped / n_total;
    r.neutral_mev += batch_ledger[b].neutral / n_total;
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
