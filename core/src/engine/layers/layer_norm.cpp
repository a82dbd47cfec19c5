#include "dotakv/layers/layer_norm.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

namespace dotakv::layers {

template <class T>
void layer_norm_forward(const T* x, int rows, int d, const T* gamma, const T* beta, T eps, T* y,
                        T* mean, T* rstd);

// The inference form: the training forward row by row (same arithmetic), OpenMP over rows.
void layer_norm(const float* x, int rows, int d, const float* gamma, const float* beta, float eps,
                float* y) {
#pragma omp parallel for schedule(static) if (rows > 8)
  for (int r = 0; r < rows; ++r) {
    float mean, rstd;
    layer_norm_forward(x + std::size_t(r) * d, 1, d, gamma, beta, eps, y + std::size_t(r) * d,
                       &mean, &rstd);
  }
}

// ---- training ----

template <class T>
void layer_norm_forward(const T* x, int rows, int d, const T* gamma, const T* beta, T eps, T* y,
                        T* mean, T* rstd) {
  for (int r = 0; r < rows; ++r) {
    const T* xr = x + std::size_t(r) * d;
    T* yr = y + std::size_t(r) * d;
    double s = 0;
    for (int i = 0; i < d; ++i) s += xr[i];
    const double mu = s / d;
    double v = 0;
    for (int i = 0; i < d; ++i) v += (xr[i] - mu) * (xr[i] - mu);
    const double inv = 1.0 / std::sqrt(v / d + double(eps));
    mean[r] = T(mu);
    rstd[r] = T(inv);
    const T m = T(mu), iv = T(inv);
    for (int i = 0; i < d; ++i) yr[i] = (xr[i] - m) * iv * gamma[i] + beta[i];
  }
}

template <class T>
void layer_norm_backward(const T* x, int rows, int d, const T* gamma, const T* mean, const T* rstd,
                         const T* dy, T* dx, T* dgamma, T* dbeta) {
  thread_local std::vector<double> acc;
  acc.assign(2 * std::size_t(d), 0.0);
  double* sg = acc.data();  // sum dy * xhat per column
  double* sb = sg + d;      // sum dy per column
  for (int r = 0; r < rows; ++r) {
    const T* xr = x + std::size_t(r) * d;
    const T* gr = dy + std::size_t(r) * d;
    T* o = dx + std::size_t(r) * d;
    const T m = mean[r], rs = rstd[r];
    double s1 = 0, s2 = 0;  // sum dxhat, sum dxhat * xhat
    for (int i = 0; i < d; ++i) {
      const double xh = double((xr[i] - m) * rs), g = gr[i];
      sg[i] += g * xh;
      sb[i] += g;
      s1 += g * double(gamma[i]);
      s2 += g * double(gamma[i]) * xh;
    }
    const T a = T(-s1 / d), b = T(-s2 / d);
    for (int i = 0; i < d; ++i) o[i] = rs * (gr[i] * gamma[i] + a + b * ((xr[i] - m) * rs));
  }
  for (int i = 0; i < d; ++i) {
    if (dgamma) dgamma[i] += T(sg[i]);
    if (dbeta) dbeta[i] += T(sb[i]);
  }
}

template void layer_norm_forward<float>(const float*, int, int, const float*, const float*, float,
                                        float*, float*, float*);
template void layer_norm_forward<double>(const double*, int, int, const double*, const double*,
                                         double, double*, double*, double*);
template void layer_norm_backward<float>(const float*, int, int, const float*, const float*,
                                         const float*, const float*, float*, float*, float*);
template void layer_norm_backward<double>(const double*, int, int, const double*, const double*,
                                          const double*, const double*, double*, double*, double*);

}  // namespace dotakv::layers
