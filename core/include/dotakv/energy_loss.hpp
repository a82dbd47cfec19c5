// Energy-loss straggling of one condensed-history step, and the gamma variates it needs.
//
// The energy a proton loses in a step of mass thickness x has (Vavilov 1957; ICRU Report 49;
// Leo, "Techniques for Nuclear and Particle Physics Experiments", 2nd ed., section 2.5):
//   mean      = the CSDA loss from the stopping power (here: the range-table difference),
//   variance  = xi * Tmax * (1 - beta^2 / 2) = 0.1569 (Z/A) x gamma^2 (1 - beta^2/2) MeV^2
//               (Bohr's variance; xi = 0.1535 (Z/A) x / beta^2 MeV, Tmax ~ 2 me c^2 beta^2
//               gamma^2),
// and its shape depends on Vavilov's kappa = xi / Tmax: Gaussian only for kappa > ~10, Vavilov for
// 0.01 < kappa < 10, Landau below. A 2 mm water step at 150 MeV has kappa ~ 0.2; a 2 mm air step
// has kappa ~ 2e-4 and a standard deviation ~3x its mean, so a Gaussian clamped at zero there
// raises the mean loss by ~70 % (the bias behind issue #15's air dose).
//
// dotakv samples the step loss from the gamma distribution with exactly that mean and variance
// (shape k = mean^2 / variance, scale = variance / mean): non-negative, unbiased, the right
// variance (so range straggling, which adds the variances of all steps, is unchanged), skewed to
// high losses like Vavilov's distribution, and Gaussian in the thick-absorber limit (k -> inf).
// Its third cumulant (2 var^2 / mean) is not Vavilov's (xi Tmax^2 (1/2 - beta^2/3)); the dose,
// which only needs the mean per voxel, and the residual-energy spread after a few steps (central
// limit) do not depend on it.
//
// Gamma variates: Marsaglia & Tsang, ACM TOMS 26:363 (2000), with the k < 1 boost
// Gamma(k) = Gamma(k + 1) * U^(1/k). Rng: any type with uniform() in [0,1), uniform_pos() in
// (0,1] and normal() (standard normal); the result depends only on the variates drawn.
#pragma once
#include <cmath>

namespace dotakv::physics {

// A Gamma(shape, 1) variate, shape > 0.
template <class Rng>
double sample_gamma(double shape, Rng& rng) {
  if (shape < 1.0) {
    const double g = sample_gamma(shape + 1.0, rng);
    return g * std::pow(rng.uniform_pos(), 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = rng.normal();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = rng.uniform_pos();
    const double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
    if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v;
  }
}

// Energy lost in one step (MeV) with the given mean (> 0) and variance (>= 0): a gamma variate
// with those two moments (see above); the mean itself when the variance is zero.
template <class Rng>
double sample_energy_loss(double mean, double variance, Rng& rng) {
  if (!(variance > 0.0) || !(mean > 0.0)) return mean;
  const double shape = mean * mean / variance;
  if (shape > 1e8) return mean + std::sqrt(variance) * rng.normal();  // Gaussian limit
  return sample_gamma(shape, rng) * (variance / mean);
}

}  // namespace dotakv::physics
