// SwiGLU gate of a gated feed-forward block (Shazeer 2020, "GLU Variants Improve Transformer";
// llama's MLP: down( silu(gate(x)) * up(x) )), element-wise:
//   out = silu(g) * u,   silu(g) = g * sigmoid(g)
//   dg  = dout * u * sigmoid(g) * (1 + g * (1 - sigmoid(g)))      (= dout * u * silu'(g))
//   du  = dout * silu(g)
// Shapes: g, u, out, dout, dg, du [n] (any layout, e.g. [rows, F] flattened). The matrix
// products around it are layers/dense.hpp's.
#pragma once
#include <cstddef>

namespace dotakv::layers {

// out may alias g or u. Float is also the inference form (allocation-free, serial).
template <class T>
void swiglu_forward(const T* g, const T* u, std::size_t n, T* out);
// dg, du overwritten (each may alias dout, not each other).
template <class T>
void swiglu_backward(const T* g, const T* u, const T* dout, std::size_t n, T* dg, T* du);

}  // namespace dotakv::layers
