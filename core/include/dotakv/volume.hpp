// Volume: a dense 3-D float grid in beam's-eye-view order [slices (depth along the beam),
// rows, cols], row-major (cols fastest). Spacing in mm per axis in the same order.
// Used for CT (HU), doses (Gy per primary) and derived maps (difference, gamma).
#pragma once
#include <array>
#include <cstddef>
#include <vector>

namespace dotakv {

struct Volume {
  int slices = 0, rows = 0, cols = 0;
  std::array<double, 3> spacing_mm{2.0, 2.0, 2.0};  // [depth, row, col]
  std::vector<float> data;                          // size slices*rows*cols

  Volume() = default;
  Volume(int s, int r, int c, float fill = 0.f)
      : slices(s), rows(r), cols(c), data(size_t(s) * r * c, fill) {}

  size_t size() const { return data.size(); }
  size_t index(int z, int y, int x) const { return (size_t(z) * rows + y) * cols + x; }
  float& at(int z, int y, int x) { return data[index(z, y, x)]; }
  float at(int z, int y, int x) const { return data[index(z, y, x)]; }
  float* slice(int z) { return data.data() + size_t(z) * rows * cols; }
  const float* slice(int z) const { return data.data() + size_t(z) * rows * cols; }
  bool same_grid(const Volume& o) const {
    return slices == o.slices && rows == o.rows && cols == o.cols;
  }
};

}  // namespace dotakv
