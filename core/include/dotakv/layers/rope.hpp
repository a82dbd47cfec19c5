// Rotary position embedding (RoPE; Su et al. 2021, "RoFormer"), rotate-half convention.
//
// For a head vector x of even dimension HD at position p, the pairs (i, i + HD/2), i < HD/2,
// are rotated by the angle a_i = p * theta^(-2i/HD) (theta = 10000 by default):
//   y_i        = x_i        cos a_i - x_{i+HD/2} sin a_i
//   y_{i+HD/2} = x_{i+HD/2} cos a_i + x_i        sin a_i
// This is the GPT-NeoX / Hugging Face LLaMA ("rotate_half") layout. Meta's original LLaMA code
// rotates interleaved pairs (2i, 2i+1) instead; the two differ by a fixed permutation of the
// head dimensions (weights converted between them permute the Q/K projection columns).
// Property used by attention: (R_m q) . (R_n k) depends only on m - n, and |R_p x| = |x|.
//
// Layout of every buffer here: rows are tokens, each row holds `heads` heads of HD contiguous
// values (head h at columns h*HD .. h*HD+HD-1), i.e. [t, heads*HD] (or strided rows inside a
// fused QKV buffer [t, 3*NH*KD] for inference).
#pragma once

#include <vector>

namespace dotakv::layers {

// cos/sin of a_i for positions 0 .. max_pos-1: two tables [max_pos, HD/2], computed in double
// and stored as float. Throws ValueError if max_pos <= 0, head_dim <= 0 or odd, theta <= 0.
class RopeTable {
 public:
  RopeTable() = default;
  RopeTable(int max_pos, int head_dim, float theta = 10000.f);
  int max_pos() const { return max_pos_; }
  int head_dim() const { return head_dim_; }
  float theta() const { return theta_; }
  // HD/2 values each
  const float* cos_row(int pos) const { return cos_.data() + std::size_t(pos) * (head_dim_ / 2); }
  const float* sin_row(int pos) const { return sin_.data() + std::size_t(pos) * (head_dim_ / 2); }

 private:
  int max_pos_ = 0, head_dim_ = 0;
  float theta_ = 10000.f;
  std::vector<float> cos_, sin_;
};

// ---- inference (float, in place, allocation-free) ----
// x: n_rows rows at stride row_stride floats; row r is the token at position pos0 + r and holds
// `heads` heads of HD = t.head_dim() values (head h at x + r*row_stride + h*HD). Rotated in place.
// Throws ValueError if pos0 < 0 or pos0 + n_rows > t.max_pos().
void rope_apply(const RopeTable& t, float* x, long row_stride, int n_rows, int pos0, int heads);
// Same with the position of every row given: row r at positions[r] (e.g. beams or a batch whose
// samples are at different lengths). Throws ValueError if a position is outside [0, max_pos).
void rope_apply_positions(const RopeTable& t, float* x, long row_stride, int n_rows,
                          const int* positions, int heads);

// ---- training (templated on the scalar: float, double) ----
// x, y [t, heads*hd] contiguous; token r at position pos0 + r; angles computed in double (the
// float version gives exactly RopeTable's cos/sin, so it equals rope_apply bit for bit).
// y may alias x. Throws ValueError if hd is odd or non-positive, or pos0 < 0.
template <class T>
void rope_forward(const T* x, int t, int heads, int hd, int pos0, T theta, T* y);
// The rotation is orthogonal, so dL/dx = R^T dL/dy (rotation by -a_i):
//   dx_i = dy_i cos + dy_{i+HD/2} sin,   dx_{i+HD/2} = dy_{i+HD/2} cos - dy_i sin.
// dy, dx [t, heads*hd]; dx may alias dy (dx is overwritten, not accumulated).
template <class T>
void rope_backward(const T* dy, int t, int heads, int hd, int pos0, T theta, T* dx);

}  // namespace dotakv::layers
