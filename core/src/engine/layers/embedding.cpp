#include "dotakv/layers/embedding.hpp"

namespace dotakv::layers {

void energy_token(float e, const float* kernel, const float* bias, const float* pos_row, int d,
                  float* out) {
  for (int i = 0; i < d; ++i) out[i] = e * kernel[i] + bias[i] + pos_row[i];
}

void add_position(const float* token, const float* pos_row, int d, float* out) {
  for (int i = 0; i < d; ++i) out[i] = token[i] + pos_row[i];
}

}  // namespace dotakv::layers
