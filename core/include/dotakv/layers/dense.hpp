// Dense (Keras Dense / matrix product) for training, forward + backward, templated on the scalar:
//   y[r, o] = b[o] + sum_i x[r, i] * w[i, o]
// Shapes: x [rows, in]; w [in, out] (Keras kernel); b [out] (nullable); y, dy [rows, out];
// dx [rows, in]. Eigen GEMM, single-threaded per call.
#pragma once

namespace dotakv::layers {

template <class T>
void dense_forward(const T* x, int rows, int in, const T* w, const T* b, int out, T* y);
// dx (nullable) is overwritten; dw and db (nullable) are accumulated (+=).
template <class T>
void dense_backward(const T* x, int rows, int in, const T* w, int out, const T* dy, T* dx, T* dw,
                    T* db);

}  // namespace dotakv::layers
