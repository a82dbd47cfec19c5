// Conv2DTranspose, stride 2, 'same' (Keras/TF semantics: the adjoint of a stride-2 'same'
// Conv2D), no bias, channels-last, for training (forward + backward, templated on the scalar):
//   y[n, 2 r + kr - pb, 2 c + kc - pb, o] += x[n, r, c, i] * kernel[kr, kc, o, i],  pb = (K - 2) /
//   2
// (K = 5: pb = 1), out-of-range output positions dropped; kernels are NOT flipped.
// Shapes: x [N, H, W, Cin]; kernel Keras [K, K, Cout, Cin]; y, dy [N, 2H, 2W, Cout];
// dx [N, H, W, Cin].
// Implementation: float runs oneDNN's deconvolution primitives (fp32 or bf16 mixed precision,
// train_dnnl.hpp); double (the tests' reference) and shapes without an optimised oneDNN kernel
// run x [H*W, Cin] x kernel^T [Cin, K*K*Cout] then a col2im scatter with Eigen.
// Threads: single-threaded per call.
#pragma once
#include "dotakv/model_config.hpp"

namespace dotakv::layers {

template <class T>
void conv_transpose2_forward(const T* x, int n, int h, int w, int cin, const T* kernel, int k,
                             int cout, T* y, ComputePrecision prec = ComputePrecision::fp32);
// dx (nullable) is overwritten; dkernel is accumulated (+=).
template <class T>
void conv_transpose2_backward(const T* x, int n, int h, int w, int cin, const T* kernel, int k,
                              int cout, const T* dy, T* dx, T* dkernel,
                              ComputePrecision prec = ComputePrecision::fp32);

}  // namespace dotakv::layers
