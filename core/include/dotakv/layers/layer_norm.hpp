// LayerNorm over the last dimension (Ba et al. 2016; Keras LayerNormalization, eps 1e-6):
// y[r, :] = (x[r, :] - mean_r) / sqrt(var_r + eps) * gamma + beta.
// Shapes: x, y [rows, d] (may alias); gamma, beta [d]. Threads: OpenMP over rows.
#pragma once

namespace dotakv::layers {

constexpr float kLayerNormEps = 1e-6f;

void layer_norm(const float* x, int rows, int d, const float* gamma, const float* beta, float eps,
                float* y);

// ---- training (templated on the scalar; single-threaded per call) ----
// As layer_norm(), saving mean and rstd = 1/sqrt(var + eps) per row [rows] for backward.
template <class T>
void layer_norm_forward(const T* x, int rows, int d, const T* gamma, const T* beta, T eps, T* y,
                        T* mean, T* rstd);
// dx [rows, d] overwritten (may not alias dy); dgamma, dbeta [d] accumulated (+=).
template <class T>
void layer_norm_backward(const T* x, int rows, int d, const T* gamma, const T* mean, const T* rstd,
                         const T* dy, T* dx, T* dgamma, T* dbeta);

}  // namespace dotakv::layers
