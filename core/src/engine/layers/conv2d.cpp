#include "dotakv/layers/conv2d.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <type_traits>
#include <vector>

#include "train_dnnl.hpp"
#include "train_scratch.hpp"

namespace dotakv::layers {

namespace {

using detail::RowMat;
using detail::scratch;

// Zero-padded copy of one image: xp [(H + 2p), (W + 2p), Cin], p = (K - 1) / 2.
template <class T>
void pad_image(const T* x, int h, int w, int cin, int p, T* xp) {
  const std::size_t pw = std::size_t(w + 2 * p) * cin;
  std::fill(xp, xp + (h + 2 * p) * pw, T(0));
  for (int r = 0; r < h; ++r)
    std::copy_n(x + std::size_t(r) * w * cin, std::size_t(w) * cin, xp + (r + p) * pw + p * cin);
}

// col [H*W, K*K*Cin], column (kr*K + kc)*Cin + i, from the padded image: for each pixel and
// kernel row the K*Cin values are one contiguous run of xp.
template <class T>
void im2col(const T* xp, int h, int w, int cin, int k, T* col) {
  const int p = (k - 1) / 2;
  const std::size_t kkc = std::size_t(k) * k * cin, run = std::size_t(k) * cin,
                    pw = std::size_t(w + 2 * p) * cin;
  for (int r = 0; r < h; ++r)
    for (int c = 0; c < w; ++c) {
      T* dst = col + (std::size_t(r) * w + c) * kkc;
      for (int kr = 0; kr < k; ++kr)
        std::memcpy(dst + kr * run, xp + (r + kr) * pw + std::size_t(c) * cin, run * sizeof(T));
    }
}

// Adjoint of im2col into a zeroed padded gradient dxp [(H + 2p), (W + 2p), Cin]; then the
// interior is copied to dx [H, W, Cin].
template <class T>
void col2im(const T* col, int h, int w, int cin, int k, T* dxp, T* dx) {
  const int p = (k - 1) / 2;
  const std::size_t kkc = std::size_t(k) * k * cin, run = std::size_t(k) * cin,
                    pw = std::size_t(w + 2 * p) * cin;
  std::fill(dxp, dxp + (h + 2 * p) * pw, T(0));
  for (int r = 0; r < h; ++r)
    for (int c = 0; c < w; ++c) {
      const T* src = col + (std::size_t(r) * w + c) * kkc;
      for (int kr = 0; kr < k; ++kr)
        Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>(dxp + (r + kr) * pw + std::size_t(c) * cin,
                                                       run) +=
            Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>(src + kr * run, run);
    }
  for (int r = 0; r < h; ++r)
    std::copy_n(dxp + (r + p) * pw + p * cin, std::size_t(w) * cin, dx + std::size_t(r) * w * cin);
}

}  // namespace

template <class T>
void conv2d_same_forward(const T* x, int n, int h, int w, int cin, const T* kernel, const T* bias,
                         int k, int cout, T* y, ComputePrecision prec) {
  if constexpr (std::is_same_v<T, float>)
    if (detail::dnnl_conv2d_forward(x, n, h, w, cin, kernel, bias, k, cout, y, prec)) return;
  const int hw = h * w, kkc = k * k * cin;
  const int nb = detail::block_images(n, std::size_t(hw) * kkc);
  T* col = scratch<T, 0>(std::size_t(nb) * hw * kkc);
  const int p = (k - 1) / 2;
  T* xp = scratch<T, 2>(std::size_t(h + 2 * p) * (w + 2 * p) * cin);
  Eigen::Map<const RowMat<T>> K(kernel, kkc, cout);
  for (int b0 = 0; b0 < n; b0 += nb) {
    const int m = std::min(nb, n - b0);
    for (int b = 0; b < m; ++b) {
      pad_image(x + std::size_t(b0 + b) * hw * cin, h, w, cin, p, xp);
      im2col(xp, h, w, cin, k, col + std::size_t(b) * hw * kkc);
    }
    Eigen::Map<const RowMat<T>> C(col, long(m) * hw, kkc);
    Eigen::Map<RowMat<T>> Y(y + std::size_t(b0) * hw * cout, long(m) * hw, cout);
    Y.noalias() = C * K;
    if (bias) Y.rowwise() += Eigen::Map<const Eigen::Matrix<T, 1, Eigen::Dynamic>>(bias, cout);
  }
}

template <class T>
void conv2d_same_backward(const T* x, int n, int h, int w, int cin, const T* kernel, int k,
                          int cout, const T* dy, T* dx, T* dkernel, T* dbias,
                          ComputePrecision prec) {
  if constexpr (std::is_same_v<T, float>)
    if (detail::dnnl_conv2d_backward(x, n, h, w, cin, kernel, k, cout, dy, dx, dkernel, dbias,
                                     prec))
      return;
  const int hw = h * w, kkc = k * k * cin;
  const int nb = detail::block_images(n, std::size_t(hw) * kkc);
  T* col = scratch<T, 0>(std::size_t(nb) * hw * kkc);
  T* dcol = scratch<T, 1>(std::size_t(nb) * hw * kkc);
  const int p = (k - 1) / 2;
  T* xp = scratch<T, 2>(std::size_t(h + 2 * p) * (w + 2 * p) * cin);
  Eigen::Map<const RowMat<T>> K(kernel, kkc, cout);
  for (int b0 = 0; b0 < n; b0 += nb) {
    const int m = std::min(nb, n - b0);
    const long rows = long(m) * hw;
    Eigen::Map<const RowMat<T>> DY(dy + std::size_t(b0) * hw * cout, rows, cout);
    if (dkernel) {
      for (int b = 0; b < m; ++b) {
        pad_image(x + std::size_t(b0 + b) * hw * cin, h, w, cin, p, xp);
        im2col(xp, h, w, cin, k, col + std::size_t(b) * hw * kkc);
      }
      Eigen::Map<RowMat<T>>(dkernel, kkc, cout).noalias() +=
          Eigen::Map<const RowMat<T>>(col, rows, kkc).transpose() * DY;
    }
    if (dbias)  // row-by-row sums: alignment-independent order (see dense.cpp)
      for (long r = 0; r < rows; ++r)
        for (int o = 0; o < cout; ++o) dbias[o] += DY(r, o);
    if (dx) {
      Eigen::Map<RowMat<T>>(dcol, rows, kkc).noalias() = DY * K.transpose();
      for (int b = 0; b < m; ++b)
        col2im(dcol + std::size_t(b) * hw * kkc, h, w, cin, k, xp,
               dx + std::size_t(b0 + b) * hw * cin);
    }
  }
}

std::string conv_training_impl_info(bool transposed, int n, int h, int w, int cin, int k, int cout,
                                    ComputePrecision prec) {
  return detail::dnnl_conv_impl(transposed, n, h, w, cin, k, cout, prec);
}

template void conv2d_same_forward<float>(const float*, int, int, int, int, const float*,
                                         const float*, int, int, float*, ComputePrecision);
template void conv2d_same_forward<double>(const double*, int, int, int, int, const double*,
                                          const double*, int, int, double*, ComputePrecision);
template void conv2d_same_backward<float>(const float*, int, int, int, int, const float*, int, int,
                                          const float*, float*, float*, float*, ComputePrecision);
template void conv2d_same_backward<double>(const double*, int, int, int, int, const double*, int,
                                           int, const double*, double*, double*, double*,
                                           ComputePrecision);

}  // namespace dotakv::layers
