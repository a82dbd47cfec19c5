#include "dotakv/layers/activation.hpp"

#include <cmath>

namespace dotakv::layers {

template <class T>
void relu_forward(const T* x, std::size_t n, T* y) {
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > T(0) ? x[i] : T(0);
}

template <class T>
void relu_backward(const T* y, const T* dy, std::size_t n, T* dx) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = y[i] > T(0) ? dy[i] : T(0);
}

template <class T>
void gelu_forward(const T* x, std::size_t n, T* y) {
  const T r2 = T(0.70710678118654752440);
  for (std::size_t i = 0; i < n; ++i) y[i] = T(0.5) * x[i] * (T(1) + std::erf(x[i] * r2));
}

template <class T>
void gelu_backward(const T* x, const T* dy, std::size_t n, T* dx) {
  const T r2 = T(0.70710678118654752440), rs2pi = T(0.39894228040143267794);
  for (std::size_t i = 0; i < n; ++i) {
    const T v = x[i];
    const T cdf = T(0.5) * (T(1) + std::erf(v * r2));
    dx[i] = dy[i] * (cdf + v * rs2pi * std::exp(T(-0.5) * v * v));
  }
}

template void relu_forward<float>(const float*, std::size_t, float*);
template void relu_forward<double>(const double*, std::size_t, double*);
template void relu_backward<float>(const float*, const float*, std::size_t, float*);
template void relu_backward<double>(const double*, const double*, std::size_t, double*);
template void gelu_forward<float>(const float*, std::size_t, float*);
template void gelu_forward<double>(const double*, std::size_t, double*);
template void gelu_backward<float>(const float*, const float*, std::size_t, float*);
template void gelu_backward<double>(const double*, const double*, std::size_t, double*);

}  // namespace dotakv::layers
