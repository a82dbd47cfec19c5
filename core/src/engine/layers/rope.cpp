#include "dotakv/layers/rope.hpp"

#include <cmath>
#include <string>

#include "dotakv/error.hpp"

namespace dotakv::layers {

namespace {

void check_dims(int head_dim, double theta, const char* what) {
  if (head_dim <= 0 || head_dim % 2 != 0)
    throw ValueError(std::string(what) + ": head dimension must be positive and even, found " +
                     std::to_string(head_dim));
  if (!(theta > 0.0) || !std::isfinite(theta))
    throw ValueError(std::string(what) + ": theta must be positive and finite, found " +
                     std::to_string(theta));
}

// angle of pair i at position pos, in double: pos * theta^(-2i/HD)
inline double rope_angle(int pos, int i, int hd, double theta) {
  return double(pos) * std::pow(theta, -2.0 * double(i) / double(hd));
}

// Rotates the `heads` heads of one row in place (or from x into y) by cos/sin [HD/2].
template <class T>
inline void rotate_row(const T* x, T* y, int heads, int hd, const T* c, const T* s) {
  const int half = hd / 2;
  for (int h = 0; h < heads; ++h) {
    const T* xh = x + std::size_t(h) * hd;
    T* yh = y + std::size_t(h) * hd;
    for (int i = 0; i < half; ++i) {
      const T x0 = xh[i], x1 = xh[i + half];
      yh[i] = x0 * c[i] - x1 * s[i];
      yh[i + half] = x1 * c[i] + x0 * s[i];
    }
  }
}

}  // namespace

RopeTable::RopeTable(int max_pos, int head_dim, float theta)
    : max_pos_(max_pos), head_dim_(head_dim), theta_(theta) {
  if (max_pos <= 0)
    throw ValueError("RopeTable: max_pos must be positive, found " + std::to_string(max_pos));
  check_dims(head_dim, theta, "RopeTable");
  const int half = head_dim / 2;
  cos_.resize(std::size_t(max_pos) * half);
  sin_.resize(cos_.size());
  for (int p = 0; p < max_pos; ++p)
    for (int i = 0; i < half; ++i) {
      const double a = rope_angle(p, i, head_dim, double(theta));
      cos_[std::size_t(p) * half + i] = float(std::cos(a));
      sin_[std::size_t(p) * half + i] = float(std::sin(a));
    }
}

void rope_apply(const RopeTable& t, float* x, long row_stride, int n_rows, int pos0, int heads) {
  if (n_rows <= 0) return;
  if (pos0 < 0 || pos0 + n_rows > t.max_pos())
    throw ValueError("rope_apply: positions " + std::to_string(pos0) + " .. " +
                     std::to_string(pos0 + n_rows - 1) + " outside the table [0, " +
                     std::to_string(t.max_pos()) + ")");
  for (int r = 0; r < n_rows; ++r) {
    float* row = x + r * row_stride;
    rotate_row(row, row, heads, t.head_dim(), t.cos_row(pos0 + r), t.sin_row(pos0 + r));
  }
}

void rope_apply_positions(const RopeTable& t, float* x, long row_stride, int n_rows,
                          const int* positions, int heads) {
  for (int r = 0; r < n_rows; ++r)
    if (positions[r] < 0 || positions[r] >= t.max_pos())
      throw ValueError("rope_apply_positions: row " + std::to_string(r) + " position " +
                       std::to_string(positions[r]) + " outside the table [0, " +
                       std::to_string(t.max_pos()) + ")");
  for (int r = 0; r < n_rows; ++r) {
    float* row = x + r * row_stride;
    rotate_row(row, row, heads, t.head_dim(), t.cos_row(positions[r]), t.sin_row(positions[r]));
  }
}

namespace {
// cos/sin of the row at position pos into c, s [HD/2] (sign = -1 gives the inverse rotation)
template <class T>
void angles(int pos, int hd, double theta, double sign, std::vector<T>& c, std::vector<T>& s) {
  const int half = hd / 2;
  for (int i = 0; i < half; ++i) {
    const double a = rope_angle(pos, i, hd, theta);
    c[i] = T(std::cos(a));
    s[i] = T(sign * std::sin(a));
  }
}

template <class T>
void rope_rotate(const T* x, int t, int heads, int hd, int pos0, T theta, T* y, double sign,
                 const char* what) {
  check_dims(hd, double(theta), what);
  if (pos0 < 0) throw ValueError(std::string(what) + ": pos0 must be >= 0");
  thread_local std::vector<T> c, s;
  if (c.size() < std::size_t(hd / 2)) {
    c.resize(hd / 2);
    s.resize(hd / 2);
  }
  const std::size_t ld = std::size_t(heads) * hd;
  for (int r = 0; r < t; ++r) {
    angles(pos0 + r, hd, double(theta), sign, c, s);
    rotate_row(x + r * ld, y + r * ld, heads, hd, c.data(), s.data());
  }
}
}  // namespace

template <class T>
void rope_forward(const T* x, int t, int heads, int hd, int pos0, T theta, T* y) {
  rope_rotate(x, t, heads, hd, pos0, theta, y, 1.0, "rope_forward");
}

template <class T>
void rope_backward(const T* dy, int t, int heads, int hd, int pos0, T theta, T* dx) {
  // R(-a): cos unchanged, sin negated -> dx_i = dy_i c + dy_{i+h} s, dx_{i+h} = dy_{i+h} c - dy_i s
  rope_rotate(dy, t, heads, hd, pos0, theta, dx, -1.0, "rope_backward");
}

template void rope_forward<float>(const float*, int, int, int, int, float, float*);
template void rope_forward<double>(const double*, int, int, int, int, double, double*);
template void rope_backward<float>(const float*, int, int, int, int, float, float*);
template void rope_backward<double>(const double*, int, int, int, int, double, double*);

}  // namespace dotakv::layers
