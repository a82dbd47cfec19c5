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

}  // namespace dotakv::layers
