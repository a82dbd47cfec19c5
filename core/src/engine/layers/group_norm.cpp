#include "dotakv/layers/group_norm.hpp"

#include <cmath>

namespace dotakv::layers {

void group_norm_affine(const float* x, int n, int hw, int c, int groups, const float* gamma,
                       const float* beta, float eps, float* scale, float* shift) {
  const int cg = c / groups;
#pragma omp parallel for schedule(static)
  for (int i = 0; i < n; ++i) {
    const float* xi = x + std::size_t(i) * hw * c;
    // per-channel sums first (contiguous reads), then per group
    double s[1024], s2[1024];
    for (int ch = 0; ch < c; ++ch) s[ch] = s2[ch] = 0.0;
    for (int p = 0; p < hw; ++p) {
      const float* r = xi + std::size_t(p) * c;
      for (int ch = 0; ch < c; ++ch) {
        s[ch] += r[ch];
        s2[ch] += double(r[ch]) * r[ch];
      }
    }
    const double cnt = double(hw) * cg;
    for (int g = 0; g < groups; ++g) {
      double a = 0, b = 0;
      for (int ch = g * cg; ch < (g + 1) * cg; ++ch) {
        a += s[ch];
        b += s2[ch];
      }
      const double mean = a / cnt, var = std::max(b / cnt - mean * mean, 0.0);
      const double inv = 1.0 / std::sqrt(var + eps);
      for (int ch = g * cg; ch < (g + 1) * cg; ++ch) {
        scale[std::size_t(i) * c + ch] = float(gamma[ch] * inv);
        shift[std::size_t(i) * c + ch] = float(beta[ch] - gamma[ch] * inv * mean);
      }
    }
  }
}

void apply_affine(float* x, int n, int hw, int c, const float* scale, const float* shift,
                  bool relu) {
#pragma omp parallel for schedule(static)
  for (int i = 0; i < n; ++i) {
    float* xi = x + std::size_t(i) * hw * c;
    const float* sc = scale + std::size_t(i) * c;
    const float* sh = shift + std::size_t(i) * c;
    for (int p = 0; p < hw; ++p) {
      float* r = xi + std::size_t(p) * c;
      if (relu)
        for (int ch = 0; ch < c; ++ch) r[ch] = std::max(0.f, sc[ch] * r[ch] + sh[ch]);
      else
        for (int ch = 0; ch < c; ++ch) r[ch] = sc[ch] * r[ch] + sh[ch];
    }
  }
}

}  // namespace dotakv::layers
