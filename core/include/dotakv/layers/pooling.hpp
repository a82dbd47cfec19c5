// MaxPool 2x2 stride 2 (Keras MaxPooling2D default, 'valid'; H, W even) fused with the
// preceding GroupNorm affine and the following ReLU, channels-last:
//   out[n, y, x, c] = max(0, max_{dy,dx in {0,1}} scale[n,c] * in[n, 2y+dy, 2x+dx, c] + shift[n,c])
// Shapes: in [N, H, W, C], scale/shift [N, C], out [N, H/2, W/2, C]. Threads: OpenMP over N.
#pragma once

namespace dotakv::layers {

void affine_maxpool2_relu(const float* in, int n, int h, int w, int c, const float* scale,
                          const float* shift, float* out);

// ---- training (templated on the scalar; single-threaded per call) ----
// Plain MaxPool 2x2 stride 2: y [N, H/2, W/2, C]; argmax [N, H/2, W/2, C] holds the flat index
// into x of the winner (first maximum in (dy, dx) row-major order on ties).
template <class T>
void maxpool2_forward(const T* x, int n, int h, int w, int c, T* y, int* argmax);
// dx [N, H, W, C] overwritten: dy routed to the winners, 0 elsewhere.
template <class T>
void maxpool2_backward(const T* dy, const int* argmax, int n, int h, int w, int c, T* dx);

}  // namespace dotakv::layers
