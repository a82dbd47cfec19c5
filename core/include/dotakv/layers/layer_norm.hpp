// LayerNorm over the last dimension (Ba et al. 2016; Keras LayerNormalization, eps 1e-6):
// y[r, :] = (x[r, :] - mean_r) / sqrt(var_r + eps) * gamma + beta.
// Shapes: x, y [rows, d] (may alias); gamma, beta [d]. Threads: OpenMP over rows.
#pragma once

namespace dotakv::layers {

constexpr float kLayerNormEps = 1e-6f;

void layer_norm(const float* x, int rows, int d, const float* gamma, const float* beta, float eps,
                float* y);

}  // namespace dotakv::layers
