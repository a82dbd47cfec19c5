// Token assembly: token 0 = Dense(1 -> D)(scaled energy) = e * kernel + bias; tokens 1..S are
// the encoder outputs of the slices; the learned position embedding row p is added to token p.
// Shapes: kernel, bias [D]; pos [T, D]; out [D].
#pragma once

namespace dotakv::layers {

// out = e * kernel + bias + pos_row
void energy_token(float e, const float* kernel, const float* bias, const float* pos_row, int d,
                  float* out);
// out = token + pos_row  (token may alias out)
void add_position(const float* token, const float* pos_row, int d, float* out);

}  // namespace dotakv::layers
