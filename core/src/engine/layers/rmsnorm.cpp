#include "dotakv/layers/rmsnorm.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

namespace dotakv::layers {

void rms_norm(const float* x, int rows, int d, const float* gamma, float eps, float* y) {
#pragma omp parallel for schedule(static) if (rows > 8)
  for (int r = 0; r < rows; ++r) {
    float rstd;
    rms_norm_forward(x + std::size_t(r) * d, 1, d, gamma, eps, y + std::size_t(r) * d, &rstd);
  }
}

template <class T>
void rms_norm_forward(const T* x, int rows, int d, const T* gamma, T eps, T* y, T* rstd) {
  for (int r = 0; r < rows; ++r) {
    const T* xr = x + std::size_t(r) * d;
    T* yr = y + std::size_t(r) * d;
    double s = 0;
    for (int i = 0; i < d; ++i) s += double(xr[i]) * double(xr[i]);
    const T iv = T(1.0 / std::sqrt(s / d + double(eps)));
    rstd[r] = iv;
    for (int i = 0; i < d; ++i) yr[i] = xr[i] * iv * gamma[i];
  }
}

template <class T>
void rms_norm_backward(const T* x, int rows, int d, const T* gamma, const T* rstd, const T* dy,
                       T* dx, T* dgamma) {
  thread_local std::vector<double> acc;
  acc.assign(std::size_t(d), 0.0);
  for (int r = 0; r < rows; ++r) {
    const T* xr = x + std::size_t(r) * d;
    const T* gr = dy + std::size_t(r) * d;
    T* o = dx + std::size_t(r) * d;
    const T rs = rstd[r];
    double dot = 0;  // sum_j (dy_j gamma_j) xhat_j
    for (int i = 0; i < d; ++i) {
      const double xh = double(xr[i] * rs);
      acc[std::size_t(i)] += double(gr[i]) * xh;
      dot += double(gr[i]) * double(gamma[i]) * xh;
    }
    const T m = T(dot / d);
    for (int i = 0; i < d; ++i) o[i] = rs * (gr[i] * gamma[i] - (xr[i] * rs) * m);
  }
  if (dgamma)
    for (int i = 0; i < d; ++i) dgamma[i] += T(acc[std::size_t(i)]);
}

template void rms_norm_forward<float>(const float*, int, int, const float*, float, float*, float*);
template void rms_norm_forward<double>(const double*, int, int, const double*, double, double*,
                                       double*);
template void rms_norm_backward<float>(const float*, int, int, const float*, const float*,
                                       const float*, float*, float*);
template void rms_norm_backward<double>(const double*, int, int, const double*, const double*,
                                        const double*, double*, double*);

}  // namespace dotakv::layers
