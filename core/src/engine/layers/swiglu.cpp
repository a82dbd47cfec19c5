#include "dotakv/layers/swiglu.hpp"

#include <cmath>

namespace dotakv::layers {

template <class T>
void swiglu_forward(const T* g, const T* u, std::size_t n, T* out) {
  for (std::size_t i = 0; i < n; ++i) {
    const T s = T(1) / (T(1) + std::exp(-g[i]));
    out[i] = g[i] * s * u[i];
  }
}

template <class T>
void swiglu_backward(const T* g, const T* u, const T* dout, std::size_t n, T* dg, T* du) {
  for (std::size_t i = 0; i < n; ++i) {
    const T s = T(1) / (T(1) + std::exp(-g[i]));
    const T d = dout[i], ui = u[i];
    dg[i] = d * ui * s * (T(1) + g[i] * (T(1) - s));
    du[i] = d * g[i] * s;
  }
}

template void swiglu_forward<float>(const float*, const float*, std::size_t, float*);
template void swiglu_forward<double>(const double*, const double*, std::size_t, double*);
template void swiglu_backward<float>(const float*, const float*, const float*, std::size_t, float*,
                                     float*);
template void swiglu_backward<double>(const double*, const double*, const double*, std::size_t,
                                      double*, double*);

}  // namespace dotakv::layers
