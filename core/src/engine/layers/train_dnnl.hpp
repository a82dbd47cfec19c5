// oneDNN forward and backward primitives for the float training kernels (conv2d.cpp,
// conv_transpose.cpp, dense.cpp). Private to the layers; the double instantiations of those
// kernels keep their plain Eigen implementation, which the tests use as the reference for these.
//
// Layouts are the training layouts (channels-last activations, Keras kernels, row-major
// matrices); oneDNN picks its own weight layout (format_tag::any) and weights are reordered on
// every call (they change every step; the reorder is small next to the convolution).
// Precision: fp32, or bf16 mixed precision = activations, gradients and weights rounded to bf16
// on their way into a primitive, products accumulated and written in fp32 (master weights,
// gradients and optimizer state stay fp32 in the caller).
// Accumulating outputs (dkernel, dbias, dw, db) are added to (+=), as in the Eigen kernels.
// The convolution functions return false, and do nothing, when oneDNN has only its reference
// kernel for a shape (plain loops); the caller then runs its Eigen path.

// Threads: primitives, streams and buffers are cached per thread, per shape and per
// omp_get_max_threads(). oneDNN forks up to omp_get_max_threads() threads; a caller that
// parallelises over samples itself (loss_and_gradients) sets omp_set_num_threads(1) inside its
// parallel region, so that each call runs on the calling thread only.
#pragma once
#include <string>

#include "dotakv/model_config.hpp"

namespace dotakv::layers::detail {

// Conv2D 'same' stride 1: x [n,h,w,cin], kernel Keras HWIO [k,k,cin,cout], bias [cout] or null,
// y [n,h,w,cout].
bool dnnl_conv2d_forward(const float* x, int n, int h, int w, int cin, const float* kernel,
                         const float* bias, int k, int cout, float* y, ComputePrecision prec);
// dx (nullable) overwritten; dkernel, dbias (nullable) accumulated.
bool dnnl_conv2d_backward(const float* x, int n, int h, int w, int cin, const float* kernel, int k,
                          int cout, const float* dy, float* dx, float* dkernel, float* dbias,
                          ComputePrecision prec);

// Conv2DTranspose stride 2 'same', no bias: x [n,h,w,cin], kernel Keras [k,k,cout,cin],
// y [n,2h,2w,cout].
bool dnnl_deconv2_forward(const float* x, int n, int h, int w, int cin, const float* kernel, int k,
                          int cout, float* y, ComputePrecision prec);
bool dnnl_deconv2_backward(const float* x, int n, int h, int w, int cin, const float* kernel, int k,
                           int cout, const float* dy, float* dx, float* dkernel,
                           ComputePrecision prec);

// Dense: x [rows,in], w [in,out], b [out] or null, y [rows,out]; the backward computes dx
// (overwritten) and dw (accumulated); the caller sums the bias gradient.
void dnnl_dense_forward(const float* x, int rows, int in, const float* w, const float* b, int out,
                        float* y, ComputePrecision prec);
void dnnl_dense_backward(const float* x, int rows, int in, const float* w, int out, const float* dy,
                         float* dx, float* dw, ComputePrecision prec);

// oneDNN's implementation names "forward / backward data / backward weights" for a shape.
std::string dnnl_conv_impl(bool transposed, int n, int h, int w, int cin, int k, int cout,
                           ComputePrecision prec);

}  // namespace dotakv::layers::detail
