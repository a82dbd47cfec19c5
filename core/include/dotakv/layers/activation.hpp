// Element-wise activations for training, forward + backward, templated on the scalar:
//   ReLU(x) = max(0, x);  backward uses the output: dx = dy * (y > 0)
//   GELU(x) = x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))  (exact form, as Keras
//   gelu(approximate=False)) GELU'(x) = Phi(x) + x * phi(x),  phi(x) = exp(-x^2 / 2) / sqrt(2 pi)
// y may alias x; dx may alias dy.
#pragma once
#include <cstddef>

namespace dotakv::layers {

template <class T>
void relu_forward(const T* x, std::size_t n, T* y);
template <class T>
void relu_backward(const T* y, const T* dy, std::size_t n, T* dx);
template <class T>
void gelu_forward(const T* x, std::size_t n, T* y);
template <class T>
void gelu_backward(const T* x, const T* dy, std::size_t n, T* dx);

}  // namespace dotakv::layers
