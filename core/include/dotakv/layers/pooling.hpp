// MaxPool 2x2 stride 2 (Keras MaxPooling2D default, 'valid'; H, W even) fused with the
// preceding GroupNorm affine and the following ReLU, channels-last:
//   out[n, y, x, c] = max(0, max_{dy,dx in {0,1}} scale[n,c] * in[n, 2y+dy, 2x+dx, c] + shift[n,c])
// Shapes: in [N, H, W, C], scale/shift [N, C], out [N, H/2, W/2, C]. Threads: OpenMP over N.
#pragma once

namespace dotakv::layers {

void affine_maxpool2_relu(const float* in, int n, int h, int w, int c, const float* scale,
                          const float* shift, float* out);

}  // namespace dotakv::layers
