// Plain loop-based reference implementation of every DoTA layer and of the whole forward
// pass, written directly from the layer definitions (Keras semantics), double accumulation,
// no blocking, no oneDNN/Eigen. The engine's optimized kernels are tested against it.
// Layouts: images channels-last [N, H, W, C]; matrices row-major.
#pragma once
#include <vector>

#include "dotakv/model.hpp"
#include "dotakv/volume.hpp"

namespace dotakv::ref {

using Vec = std::vector<float>;

// Conv2D stride 1 'same' (odd K: pad (K-1)/2), kernel HWIO [K,K,I,O], bias [O] or empty.
Vec conv2d_same(const Vec& x, int n, int h, int w, int ci, const Vec& k_hwio, int K, int co,
                const Vec& bias);
// Conv2DTranspose stride 2 'same' as TF defines it: the adjoint of the stride-2 'same' Conv2D
// that maps [2H,2W] -> [H,W] (TF padding: total = max((H-1)*2 + K - 2H, 0), top = total/2).
// Kernel [K,K,O,I] (Keras Conv2DTranspose layout). Output [n, 2h, 2w, co].
Vec conv_transpose2d_same_s2(const Vec& x, int n, int h, int w, int ci, const Vec& k_hwoi, int K,
                             int co);
// GroupNorm (two-pass mean/variance per image and group), Keras GroupNormalization.
Vec group_norm(const Vec& x, int n, int hw, int c, int groups, const Vec& gamma, const Vec& beta,
               double eps);
Vec maxpool2(const Vec& x, int n, int h, int w, int c);
Vec relu(const Vec& x);
Vec layer_norm(const Vec& x, int rows, int d, const Vec& gamma, const Vec& beta, double eps);
// y[M,out] = x[M,in] W[in,out] + b (b may be empty)
Vec dense(const Vec& x, int m, int in, const Vec& w, int out, const Vec& b);
Vec gelu(const Vec& x);  // 0.5 x (1 + erf(x / sqrt 2))
// Keras MultiHeadAttention without biases over x [T, D] (self-attention), kernels
// wq/wk/wv [D,NH,KD], wo [NH,KD,D], optional causal mask. Returns [T, D].
Vec mha(const Vec& x, int t, int d, const Vec& wq, const Vec& wk, const Vec& wv, const Vec& wo,
        int nh, int kd, bool causal);

// The whole DoTA forward on scaled inputs (x in model units [S,H,W], e in [0,1]); returns the
// raw model output [S,H,W] (no dose_scale).
Volume forward(const Model& m, const Volume& x, float e);

}  // namespace dotakv::ref
