#include "dotakv/layers/dense.hpp"

// GCC 12 reports a false -Wmaybe-uninitialized inside Eigen's AVX-512 transpose intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <Eigen/Core>
#include <type_traits>

#include "train_dnnl.hpp"

namespace dotakv::layers {

namespace {
template <class T>
using RowMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using RowVec = Eigen::Matrix<T, 1, Eigen::Dynamic>;
}  // namespace

template <class T>
void dense_forward(const T* x, int rows, int in, const T* w, const T* b, int out, T* y,
                   ComputePrecision prec) {
  if constexpr (std::is_same_v<T, float>) {
    detail::dnnl_dense_forward(x, rows, in, w, b, out, y, prec);
  } else {
    Eigen::Map<RowMat<T>> Y(y, rows, out);
    Y.noalias() =
        Eigen::Map<const RowMat<T>>(x, rows, in) * Eigen::Map<const RowMat<T>>(w, in, out);
    if (b) Y.rowwise() += Eigen::Map<const RowVec<T>>(b, out);
  }
}

template <class T>
void dense_backward(const T* x, int rows, int in, const T* w, int out, const T* dy, T* dx, T* dw,
                    T* db, ComputePrecision prec) {
  if constexpr (std::is_same_v<T, float>) {
    detail::dnnl_dense_backward(x, rows, in, w, out, dy, dx, dw, prec);
  } else {
    Eigen::Map<const RowMat<T>> DY(dy, rows, out);
    if (dx)
      Eigen::Map<RowMat<T>>(dx, rows, in).noalias() =
          DY * Eigen::Map<const RowMat<T>>(w, in, out).transpose();
    if (dw)
      Eigen::Map<RowMat<T>>(dw, in, out).noalias() +=
          Eigen::Map<const RowMat<T>>(x, rows, in).transpose() * DY;
  }
  // bias: plain row-by-row sums (Eigen's colwise reduction order depends on the alignment of dy,
  // which would make results differ between buffers)
  if (db)
    for (int r = 0; r < rows; ++r) {
      const T* row = dy + std::size_t(r) * out;
      for (int o = 0; o < out; ++o) db[o] += row[o];
    }
}

template void dense_forward<float>(const float*, int, int, const float*, const float*, int, float*,
                                   ComputePrecision);
template void dense_forward<double>(const double*, int, int, const double*, const double*, int,
                                    double*, ComputePrecision);
template void dense_backward<float>(const float*, int, int, const float*, int, const float*, float*,
                                    float*, float*, ComputePrecision);
template void dense_backward<double>(const double*, int, int, const double*, int, const double*,
                                     double*, double*, double*, ComputePrecision);

}  // namespace dotakv::layers
