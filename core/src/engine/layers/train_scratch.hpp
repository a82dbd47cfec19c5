// Private helpers of the training convolution kernels (conv2d.cpp, conv_transpose.cpp).
#pragma once
// GCC 12 reports a false -Wmaybe-uninitialized inside Eigen's AVX-512 transpose intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <Eigen/Core>
#include <algorithm>
#include <cstddef>
#include <vector>

namespace dotakv::layers::detail {

template <class T>
using RowMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Per-thread scratch number `Slot`, grown on demand and reused across calls.
template <class T, int Slot>
T* scratch(std::size_t n) {
  thread_local std::vector<T> buf;
  if (buf.size() < n) buf.resize(n);
  return buf.data();
}

// Images per GEMM block: a block's column buffer holds about 64K scalars (256 KB in float);
// larger blocks leave L2 and were measured slower.
inline int block_images(int n, std::size_t per_image) {
  constexpr std::size_t cap = std::size_t(1) << 16;
  return int(std::clamp<std::size_t>(cap / std::max<std::size_t>(per_image, 1), 1,
                                     std::size_t(std::max(n, 1))));
}

}  // namespace dotakv::layers::detail
