#include "dotakv/layers/pooling.hpp"

#include <algorithm>
#include <cstddef>

namespace dotakv::layers {

void affine_maxpool2_relu(const float* in, int n, int h, int w, int c, const float* scale,
                          const float* shift, float* out) {
  const int oh = h / 2, ow = w / 2;
#pragma omp parallel for schedule(static)
  for (int i = 0; i < n; ++i) {
    const float* xi = in + std::size_t(i) * h * w * c;
    const float* sc = scale + std::size_t(i) * c;
    const float* sh = shift + std::size_t(i) * c;
    float* oi = out + std::size_t(i) * oh * ow * c;
    for (int y = 0; y < oh; ++y)
      for (int x = 0; x < ow; ++x) {
        const float* a = xi + (std::size_t(2 * y) * w + 2 * x) * c;
        const float* b = a + c;
        const float* d = a + std::size_t(w) * c;
        const float* e = d + c;
        float* o = oi + (std::size_t(y) * ow + x) * c;
        for (int ch = 0; ch < c; ++ch) {
          const float s = sc[ch], t = sh[ch];
          const float m = std::max(std::max(s * a[ch] + t, s * b[ch] + t),
                                   std::max(s * d[ch] + t, s * e[ch] + t));
          o[ch] = std::max(m, 0.f);
        }
      }
  }
}

// ---- training ----

template <class T>
void maxpool2_forward(const T* x, int n, int h, int w, int c, T* y, int* argmax) {
  const int oh = h / 2, ow = w / 2;
  for (int i = 0; i < n; ++i)
    for (int r = 0; r < oh; ++r)
      for (int q = 0; q < ow; ++q) {
        const std::size_t base = ((std::size_t(i) * h + 2 * r) * w + 2 * q) * c;
        const std::size_t cand[4] = {base, base + c, base + std::size_t(w) * c,
                                     base + std::size_t(w) * c + c};
        const std::size_t o = ((std::size_t(i) * oh + r) * ow + q) * c;
        for (int ch = 0; ch < c; ++ch) {
          std::size_t best = cand[0] + ch;
          for (int j = 1; j < 4; ++j)
            if (x[cand[j] + ch] > x[best]) best = cand[j] + ch;
          y[o + ch] = x[best];
          argmax[o + ch] = int(best);
        }
      }
}

template <class T>
void maxpool2_backward(const T* dy, const int* argmax, int n, int h, int w, int c, T* dx) {
  const std::size_t nin = std::size_t(n) * h * w * c, nout = std::size_t(n) * (h / 2) * (w / 2) * c;
  std::fill(dx, dx + nin, T(0));
  for (std::size_t j = 0; j < nout; ++j) dx[argmax[j]] += dy[j];
}

template void maxpool2_forward<float>(const float*, int, int, int, int, float*, int*);
template void maxpool2_forward<double>(const double*, int, int, int, int, double*, int*);
template void maxpool2_backward<float>(const float*, const int*, int, int, int, int, float*);
template void maxpool2_backward<double>(const double*, const int*, int, int, int, int, double*);

}  // namespace dotakv::layers
