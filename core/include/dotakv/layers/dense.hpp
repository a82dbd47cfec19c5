// Dense (Keras Dense / matrix product) for training, forward + backward, templated on the scalar:
//   y[r, o] = b[o] + sum_i x[r, i] * w[i, o]
// Shapes: x [rows, in]; w [in, out] (Keras kernel); b [out] (nullable); y, dy [rows, out];
// dx [rows, in]. float: oneDNN matmul in fp32 or bf16 mixed precision (prec); double: Eigen GEMM
// (the tests' reference). Single-threaded per call.
#pragma once
#include "dotakv/model_config.hpp"

namespace dotakv::layers {

template <class T>
void dense_forward(const T* x, int rows, int in, const T* w, const T* b, int out, T* y,
                   ComputePrecision prec = ComputePrecision::fp32);
// dx (nullable) is overwritten; dw and db (nullable) are accumulated (+=).
template <class T>
void dense_backward(const T* x, int rows, int in, const T* w, int out, const T* dy, T* dx, T* dw,
                    T* db, ComputePrecision prec = ComputePrecision::fp32);

}  // namespace dotakv::layers
