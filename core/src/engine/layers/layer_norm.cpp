#include "dotakv/layers/layer_norm.hpp"

#include <cmath>
#include <cstddef>

namespace dotakv::layers {

void layer_norm(const float* x, int rows, int d, const float* gamma, const float* beta, float eps,
                float* y) {
#pragma omp parallel for schedule(static) if (rows > 8)
  for (int r = 0; r < rows; ++r) {
    const float* xr = x + std::size_t(r) * d;
    float* yr = y + std::size_t(r) * d;
    double s = 0;
    for (int i = 0; i < d; ++i) s += xr[i];
    const double mean = s / d;
    double v = 0;
    for (int i = 0; i < d; ++i) v += (xr[i] - mean) * (xr[i] - mean);
    const float inv = float(1.0 / std::sqrt(v / d + eps));
    const float m = float(mean);
    for (int i = 0; i < d; ++i) yr[i] = (xr[i] - m) * inv * gamma[i] + beta[i];
  }
}

}  // namespace dotakv::layers
