#include "dotakv/layers/conv_transpose.hpp"

#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "train_dnnl.hpp"
#include "train_scratch.hpp"

namespace dotakv::layers {

namespace {

using detail::RowMat;
using detail::scratch;

// col [H*W, K*K*Cout], column (kr*K + kc)*Cout + o, belongs to output pixel (2r+kr-pb, 2c+kc-pb).
// Calls f(col entry pointer, output pixel pointer or nullptr when out of range) per (r, c, kr, kc).
template <class T, class Y, class F>
void for_each_tap(T* col, int h, int w, int cout, int k, Y* y, F f) {
  const int pb = (k - 2) / 2, oh = 2 * h, ow = 2 * w;
  const std::size_t kko = std::size_t(k) * k * cout;
  for (int r = 0; r < h; ++r)
    for (int c = 0; c < w; ++c) {
      T* cp = col + (std::size_t(r) * w + c) * kko;
      for (int kr = 0; kr < k; ++kr) {
        const int orow = 2 * r + kr - pb;
        const bool row_ok = orow >= 0 && orow < oh;
        for (int kc = 0; kc < k; ++kc, cp += cout) {
          const int ocol = 2 * c + kc - pb;
          f(cp, row_ok && ocol >= 0 && ocol < ow ? y + (std::size_t(orow) * ow + ocol) * cout
                                                 : nullptr);
        }
      }
    }
}

}  // namespace

template <class T>
void conv_transpose2_forward(const T* x, int n, int h, int w, int cin, const T* kernel, int k,
                             int cout, T* y, ComputePrecision prec) {
  if constexpr (std::is_same_v<T, float>)
    if (detail::dnnl_deconv2_forward(x, n, h, w, cin, kernel, k, cout, y, prec)) return;
  const int hw = h * w, kko = k * k * cout;
  const std::size_t ysz = std::size_t(4) * hw * cout;
  const int nb = detail::block_images(n, std::size_t(hw) * kko);
  T* col = scratch<T, 0>(std::size_t(nb) * hw * kko);
  Eigen::Map<const RowMat<T>> K(kernel, kko, cin);
  for (int b0 = 0; b0 < n; b0 += nb) {
    const int m = std::min(nb, n - b0);
    Eigen::Map<RowMat<T>>(col, long(m) * hw, kko).noalias() =
        Eigen::Map<const RowMat<T>>(x + std::size_t(b0) * hw * cin, long(m) * hw, cin) *
        K.transpose();
    T* yb0 = y + std::size_t(b0) * ysz;
    std::fill(yb0, yb0 + std::size_t(m) * ysz, T(0));
    for (int b = 0; b < m; ++b)
      for_each_tap(col + std::size_t(b) * hw * kko, h, w, cout, k, yb0 + std::size_t(b) * ysz,
                   [cout](const T* cp, T* yp) {
                     if (yp)
                       Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>(yp, cout) +=
                           Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>(cp, cout);
                   });
  }
}

template <class T>
void conv_transpose2_backward(const T* x, int n, int h, int w, int cin, const T* kernel, int k,
                              int cout, const T* dy, T* dx, T* dkernel, ComputePrecision prec) {
  if constexpr (std::is_same_v<T, float>)
    if (detail::dnnl_deconv2_backward(x, n, h, w, cin, kernel, k, cout, dy, dx, dkernel, prec))
      return;
  const int hw = h * w, kko = k * k * cout;
  const std::size_t ysz = std::size_t(4) * hw * cout;
  const int nb = detail::block_images(n, std::size_t(hw) * kko);
  T* dcol = scratch<T, 1>(std::size_t(nb) * hw * kko);
  Eigen::Map<const RowMat<T>> K(kernel, kko, cin);
  for (int b0 = 0; b0 < n; b0 += nb) {
    const int m = std::min(nb, n - b0);
    const long rows = long(m) * hw;
    for (int b = 0; b < m; ++b)
      for_each_tap(dcol + std::size_t(b) * hw * kko, h, w, cout, k, dy + std::size_t(b0 + b) * ysz,
                   [cout](T* cp, const T* yp) {
                     Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>> c(cp, cout);
                     if (yp)
                       c = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>(yp, cout);
                     else
                       c.setZero();
                   });
    Eigen::Map<const RowMat<T>> DC(dcol, rows, kko);
    if (dx) Eigen::Map<RowMat<T>>(dx + std::size_t(b0) * hw * cin, rows, cin).noalias() = DC * K;
    if (dkernel)
      Eigen::Map<RowMat<T>>(dkernel, kko, cin).noalias() +=
          DC.transpose() * Eigen::Map<const RowMat<T>>(x + std::size_t(b0) * hw * cin, rows, cin);
  }
}

template void conv_transpose2_forward<float>(const float*, int, int, int, int, const float*, int,
                                             int, float*, ComputePrecision);
template void conv_transpose2_forward<double>(const double*, int, int, int, int, const double*, int,
                                              int, double*, ComputePrecision);
template void conv_transpose2_backward<float>(const float*, int, int, int, int, const float*, int,
                                              int, const float*, float*, float*, ComputePrecision);
template void conv_transpose2_backward<double>(const double*, int, int, int, int, const double*,
                                               int, int, const double*, double*, double*,
                                               ComputePrecision);

}  // namespace dotakv::layers
