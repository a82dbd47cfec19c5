#include "dotakv/train/loss.hpp"

#include <algorithm>
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

namespace {
// max + log(sum exp(x - max)) of one row, in double
template <class T>
double row_logsumexp(const T* x, int vocab) {
  double m = double(x[0]);
  for (int j = 1; j < vocab; ++j) m = std::max(m, double(x[j]));
  double s = 0.0;
  for (int j = 0; j < vocab; ++j) s += std::exp(double(x[j]) - m);
  return m + std::log(s);
}
}  // namespace

template <class T>
T softmax_cross_entropy(const T* logits, int rows, int vocab, const int* targets, int ignore_index,
                        T* dlogits, int* n_counted) {
  if (rows < 0 || vocab <= 0)
    throw ValueError("softmax_cross_entropy: rows must be >= 0 and vocab > 0, found rows=" +
                     std::to_string(rows) + " vocab=" + std::to_string(vocab));
  int count = 0;
  for (int r = 0; r < rows; ++r) {
    const int t = targets[r];
    if (t == ignore_index) continue;
    if (t < 0 || t >= vocab)
      throw ValueError("softmax_cross_entropy: target " + std::to_string(t) + " of row " +
                       std::to_string(r) + " outside [0, " + std::to_string(vocab) +
                       ") and not the ignore index " + std::to_string(ignore_index));
    ++count;
  }
  if (n_counted) *n_counted = count;
  const double inv = count > 0 ? 1.0 / count : 0.0;
  double loss = 0.0;
  for (int r = 0; r < rows; ++r) {
    const T* x = logits + std::size_t(r) * vocab;
    T* g = dlogits ? dlogits + std::size_t(r) * vocab : nullptr;
    const int t = targets[r];
    if (t == ignore_index) {
      if (g) std::fill(g, g + vocab, T(0));
      continue;
    }
    const double lse = row_logsumexp(x, vocab), xt = double(x[t]);
    loss += lse - xt;
    if (g) {  // (may alias logits: x[t] was read first)
      for (int j = 0; j < vocab; ++j) g[j] = T(std::exp(double(x[j]) - lse) * inv);
      g[t] = T((std::exp(xt - lse) - 1.0) * inv);
    }
  }
  return T(loss * inv);
}

template <class T>
void log_softmax_rows(const T* logits, int rows, int vocab, T* out) {
  if (rows < 0 || vocab <= 0)
    throw ValueError("log_softmax_rows: rows must be >= 0 and vocab > 0, found rows=" +
                     std::to_string(rows) + " vocab=" + std::to_string(vocab));
  for (int r = 0; r < rows; ++r) {
    const T* x = logits + std::size_t(r) * vocab;
    T* y = out + std::size_t(r) * vocab;
    const double lse = row_logsumexp(x, vocab);
    for (int j = 0; j < vocab; ++j) y[j] = T(double(x[j]) - lse);
  }
}

template float softmax_cross_entropy<float>(const float*, int, int, const int*, int, float*, int*);
template double softmax_cross_entropy<double>(const double*, int, int, const int*, int, double*,
                                              int*);
template void log_softmax_rows<float>(const float*, int, int, float*);
template void log_softmax_rows<double>(const double*, int, int, double*);

}  // namespace dotakv::train
