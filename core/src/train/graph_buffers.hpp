// Private helpers of the family training graphs (digits/graph.cpp, lm/graph.cpp): workspace
// buffers sized once and reused, and the residual/gradient accumulation y += x.
#pragma once
#include <cstddef>
#include <vector>

namespace dotakv::train {

// Sizes v to n zeros unless it already has n elements (contents then left as they are).
template <class T>
void resize_buffer(std::vector<T>& v, std::size_t n) {
  if (v.size() != n) v.assign(n, T(0));
}

template <class T>
void add_into(T* y, const T* x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] += x[i];
}

}  // namespace dotakv::train
