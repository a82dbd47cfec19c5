// RMSNorm over the last dimension (Zhang & Sennrich 2019; llama's norm), no mean, no bias:
//   y[r, i] = x[r, i] * rstd_r * gamma[i],   rstd_r = 1 / sqrt(mean_i x[r, i]^2 + eps)
// The sum of squares is accumulated in double (as layer_norm).
// Shapes: x, y [rows, d]; gamma [d]; rstd [rows].
#pragma once

namespace dotakv::layers {

// ---- inference (float; y may alias x). OpenMP over rows when rows > 8. ----
void rms_norm(const float* x, int rows, int d, const float* gamma, float eps, float* y);

// ---- training (templated on the scalar: float, double; single-threaded per call) ----
// As rms_norm(), saving rstd per row for backward; the float form is rms_norm's arithmetic.
template <class T>
void rms_norm_forward(const T* x, int rows, int d, const T* gamma, T eps, T* y, T* rstd);
// With xhat = x * rstd and g = dy * gamma:
//   dx[r, i] = rstd_r * (g_i - xhat_i * mean_j(g_j xhat_j)),   dgamma[i] += sum_r dy[r, i] xhat_i
// dx [rows, d] overwritten (may not alias dy); dgamma [d] accumulated (+=, nullable).
template <class T>
void rms_norm_backward(const T* x, int rows, int d, const T* gamma, const T* rstd, const T* dy,
                       T* dx, T* dgamma);

}  // namespace dotakv::layers
