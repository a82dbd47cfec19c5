// GroupNorm over channels-last images (Wu & He 2018; Keras GroupNormalization semantics):
// for image n and group g (C/G consecutive channels), mean/variance over all H*W*(C/G) values,
// y = (x - mean) / sqrt(var + eps) * gamma[c] + beta[c]. Engine eps: 1e-3 (Keras default).
// Split in two so that the affine can be fused with the following op (pooling, ReLU):
//   group_norm_affine(): per (n, c) scale/shift so that y = scale * x + shift.
// Shapes: x [N, HW, C]; gamma, beta [C]; scale, shift [N, C]. Threads: OpenMP over N.
#pragma once

namespace dotakv::layers {

constexpr float kGroupNormEps = 1e-3f;

void group_norm_affine(const float* x, int n, int hw, int c, int groups, const float* gamma,
                       const float* beta, float eps, float* scale, float* shift);
// x[n, i, c] = max(0, scale[n, c] * x + shift[n, c]) in place (relu = false: no clamp).
void apply_affine(float* x, int n, int hw, int c, const float* scale, const float* shift,
                  bool relu);

// ---- training (templated on the scalar; single-threaded per call) ----
// y = GroupNorm(x); saves per (image, group) mean and rstd = 1/sqrt(var + eps) [N, G] for backward.
template <class T>
void group_norm_forward(const T* x, int n, int hw, int c, int groups, const T* gamma, const T* beta,
                        T eps, T* y, T* mean, T* rstd);
// dx overwritten; dgamma, dbeta [C] accumulated (+=). dx may not alias dy.
template <class T>
void group_norm_backward(const T* x, int n, int hw, int c, int groups, const T* gamma,
                         const T* mean, const T* rstd, const T* dy, T* dx, T* dgamma, T* dbeta);

}  // namespace dotakv::layers
