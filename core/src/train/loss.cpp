#include "dotakv/train/loss.hpp"

#include <cmath>
#include <string>

#include "dotakv/error.hpp"

namespace dotakv::train {

double mse_loss(const float* pred, const float* target, size_t n, float* grad) {
  return dose_weighted_mse_loss(pred, target, n, 0.f, grad);
}

double dose_weighted_mse_loss(const float* pred, const float* target, size_t n, float alpha,
                              float* grad) {
  if (n == 0) throw ValueError("loss: empty prediction/target (n = 0)");
  if (!(alpha >= 0.f) || !std::isfinite(alpha))
    throw ValueError("loss: dose weight alpha must be >= 0 and finite, found " +
                     std::to_string(alpha));
  double tmax = 0.0;
  if (alpha > 0.f)
    for (size_t i = 0; i < n; ++i) tmax = std::fmax(tmax, std::fabs(double(target[i])));
  const double a = tmax > 0.0 ? double(alpha) / tmax : 0.0;
  double wsum = 0.0, s = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const double w = 1.0 + a * std::fabs(double(target[i]));
    const double d = double(pred[i]) - double(target[i]);
    wsum += w;
    s += w * d * d;
  }
  if (grad)
    for (size_t i = 0; i < n; ++i) {
      const double w = 1.0 + a * std::fabs(double(target[i]));
      grad[i] = float(2.0 * w * (double(pred[i]) - double(target[i])) / wsum);
    }
  return s / wsum;
}

}  // namespace dotakv::train
