// Conv2D, stride 1, 'same' zero padding (Keras Conv2D), channels-last, for training: forward and
// backward, templated on the scalar type (float for training, double for gradient checks).
//   y[n, r, c, o] = bias[o] + sum_{kr, kc, i} x[n, r + kr - p, c + kc - p, i] * kernel[kr, kc, i,
//   o] p = (K - 1) / 2, out-of-range x taken as 0.
// Shapes: x [N, H, W, Cin]; kernel Keras HWIO [K, K, Cin, Cout]; bias [Cout] (nullable);
// y, dy [N, H, W, Cout]; dx [N, H, W, Cin].
// Implementation: float runs oneDNN's convolution forward / backward-data / backward-weights
// primitives (train_dnnl.hpp), in fp32 or bf16 mixed precision (prec); double, and float shapes
// for which oneDNN has only a reference kernel, run im2col [H*W, K*K*Cin] x kernel [K*K*Cin, Cout]
// with Eigen (fp32). The double path is the tests' reference for the float one.
// Threads: single-threaded per call (the trainer parallelises over samples).
// The inference path (session.cpp) runs the same layer through oneDNN (kernels.hpp).
#pragma once
#include <string>

#include "dotakv/model_config.hpp"

namespace dotakv::layers {

template <class T>
void conv2d_same_forward(const T* x, int n, int h, int w, int cin, const T* kernel, const T* bias,
                         int k, int cout, T* y, ComputePrecision prec = ComputePrecision::fp32);
// dx (nullable) is overwritten; dkernel and dbias (nullable) are accumulated (+=).
template <class T>
void conv2d_same_backward(const T* x, int n, int h, int w, int cin, const T* kernel, int k,
                          int cout, const T* dy, T* dx, T* dkernel, T* dbias,
                          ComputePrecision prec = ComputePrecision::fp32);

// oneDNN's implementation names "forward / backward data / backward weights" used by the float
// training kernels for a convolution shape (transposed: conv_transpose2, no bias; otherwise
// conv2d with bias); an entry containing "ref" means the Eigen path runs that shape instead.
std::string conv_training_impl_info(bool transposed, int n, int h, int w, int cin, int k, int cout,
                                    ComputePrecision prec);

}  // namespace dotakv::layers
