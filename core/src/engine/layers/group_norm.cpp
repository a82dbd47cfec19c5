#include "dotakv/layers/group_norm.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace dotakv::layers {

void group_norm_affine(const float* x, int n, int hw, int c, int groups, const float* gamma,
                       const float* beta, float eps, float* scale, float* shift) {
  const int cg = c / groups;
#pragma omp parallel for schedule(static)
  for (int i = 0; i < n; ++i) {
    const float* xi = x + std::size_t(i) * hw * c;
    // per-channel sums first (contiguous reads), then per group
    double s[1024], s2[1024];
    for (int ch = 0; ch < c; ++ch) s[ch] = s2[ch] = 0.0;
    for (int p = 0; p < hw; ++p) {
      const float* r = xi + std::size_t(p) * c;
      for (int ch = 0; ch < c; ++ch) {
        s[ch] += r[ch];
        s2[ch] += double(r[ch]) * r[ch];
      }
    }
    const double cnt = double(hw) * cg;
    for (int g = 0; g < groups; ++g) {
      double a = 0, b = 0;
      for (int ch = g * cg; ch < (g + 1) * cg; ++ch) {
        a += s[ch];
        b += s2[ch];
      }
      const double mean = a / cnt, var = std::max(b / cnt - mean * mean, 0.0);
      const double inv = 1.0 / std::sqrt(var + eps);
      for (int ch = g * cg; ch < (g + 1) * cg; ++ch) {
        scale[std::size_t(i) * c + ch] = float(gamma[ch] * inv);
        shift[std::size_t(i) * c + ch] = float(beta[ch] - gamma[ch] * inv * mean);
      }
    }
  }
}

void apply_affine(float* x, int n, int hw, int c, const float* scale, const float* shift,
                  bool relu) {
#pragma omp parallel for schedule(static)
  for (int i = 0; i < n; ++i) {
    float* xi = x + std::size_t(i) * hw * c;
    const float* sc = scale + std::size_t(i) * c;
    const float* sh = shift + std::size_t(i) * c;
    for (int p = 0; p < hw; ++p) {
      float* r = xi + std::size_t(p) * c;
      if (relu)
        for (int ch = 0; ch < c; ++ch) r[ch] = std::max(0.f, sc[ch] * r[ch] + sh[ch]);
      else
        for (int ch = 0; ch < c; ++ch) r[ch] = sc[ch] * r[ch] + sh[ch];
    }
  }
}

// ---- training ----

namespace {
template <int Slot>
double* gn_scratch(std::size_t n) {
  thread_local std::vector<double> buf;
  if (buf.size() < n) buf.resize(n);
  return buf.data();
}
}  // namespace

template <class T>
void group_norm_forward(const T* x, int n, int hw, int c, int groups, const T* gamma, const T* beta,
                        T eps, T* y, T* mean, T* rstd) {
  const int cg = c / groups;
  const double cnt = double(hw) * cg;
  double* acc = gn_scratch<0>(std::size_t(c));
  double* gm = gn_scratch<1>(std::size_t(c));  // per-channel copy of its group's mean
  std::vector<T> a(static_cast<std::size_t>(c)),
      b(static_cast<std::size_t>(c));  // y = a (x - b) + beta
  for (int i = 0; i < n; ++i) {
    const T* xi = x + std::size_t(i) * hw * c;
    T* yi = y + std::size_t(i) * hw * c;
    // two passes (mean, then centered squares) over per-channel sums with contiguous reads
    std::fill(acc, acc + c, 0.0);
    for (int p = 0; p < hw; ++p) {
      const T* r = xi + std::size_t(p) * c;
      for (int ch = 0; ch < c; ++ch) acc[ch] += r[ch];
    }
    for (int g = 0; g < groups; ++g) {
      double s = 0;
      for (int ch = g * cg; ch < (g + 1) * cg; ++ch) s += acc[ch];
      for (int ch = g * cg; ch < (g + 1) * cg; ++ch) gm[ch] = s / cnt;
    }
    std::fill(acc, acc + c, 0.0);
    for (int p = 0; p < hw; ++p) {
      const T* r = xi + std::size_t(p) * c;
      for (int ch = 0; ch < c; ++ch) {
        const double d = double(r[ch]) - gm[ch];
        acc[ch] += d * d;
      }
    }
    for (int g = 0; g < groups; ++g) {
      double s = 0;
      for (int ch = g * cg; ch < (g + 1) * cg; ++ch) s += acc[ch];
      const double m = gm[g * cg], inv = 1.0 / std::sqrt(s / cnt + double(eps));
      mean[std::size_t(i) * groups + g] = T(m);
      rstd[std::size_t(i) * groups + g] = T(inv);
      for (int ch = g * cg; ch < (g + 1) * cg; ++ch) {
        a[ch] = T(inv * double(gamma[ch]));
        b[ch] = T(m);
      }
    }
    for (int p = 0; p < hw; ++p) {
      const T* r = xi + std::size_t(p) * c;
      T* o = yi + std::size_t(p) * c;
      for (int ch = 0; ch < c; ++ch) o[ch] = a[ch] * (r[ch] - b[ch]) + beta[ch];
    }
  }
}

template <class T>
void group_norm_backward(const T* x, int n, int hw, int c, int groups, const T* gamma,
                         const T* mean, const T* rstd, const T* dy, T* dx, T* dgamma, T* dbeta) {
  const int cg = c / groups;
  const double cnt = double(hw) * cg;
  double* sdy = gn_scratch<0>(std::size_t(c));   // per channel: sum dy
  double* sdyx = gn_scratch<1>(std::size_t(c));  // per channel: sum dy * xhat
  std::vector<T> m(static_cast<std::size_t>(c)), rs(static_cast<std::size_t>(c)),
      k1(static_cast<std::size_t>(c)), k2(static_cast<std::size_t>(c)),
      k3(static_cast<std::size_t>(c));
  for (int i = 0; i < n; ++i) {
    const std::size_t off = std::size_t(i) * hw * c;
    for (int ch = 0; ch < c; ++ch) {
      m[ch] = mean[std::size_t(i) * groups + ch / cg];
      rs[ch] = rstd[std::size_t(i) * groups + ch / cg];
    }
    std::fill(sdy, sdy + c, 0.0);
    std::fill(sdyx, sdyx + c, 0.0);
    for (int p = 0; p < hw; ++p) {
      const T* xr = x + off + std::size_t(p) * c;
      const T* gr = dy + off + std::size_t(p) * c;
      for (int ch = 0; ch < c; ++ch) {
        sdy[ch] += gr[ch];
        sdyx[ch] += double(gr[ch]) * double((xr[ch] - m[ch]) * rs[ch]);
      }
    }
    for (int ch = 0; ch < c; ++ch) {
      if (dgamma) dgamma[ch] += T(sdyx[ch]);
      if (dbeta) dbeta[ch] += T(sdy[ch]);
    }
    // dx = rstd/m * (m dxhat - sum dxhat - xhat sum(dxhat xhat)), dxhat = dy gamma,
    // written as dx = k1 dy + k2 (x - mean) + k3 per channel.
    for (int g = 0; g < groups; ++g) {
      double s1 = 0, s2 = 0;
      for (int ch = g * cg; ch < (g + 1) * cg; ++ch) {
        s1 += double(gamma[ch]) * sdy[ch];
        s2 += double(gamma[ch]) * sdyx[ch];
      }
      const double r = rs[g * cg];
      for (int ch = g * cg; ch < (g + 1) * cg; ++ch) {
        k1[ch] = T(r * double(gamma[ch]));
        k2[ch] = T(-r * r * s2 / cnt);
        k3[ch] = T(-r * s1 / cnt);
      }
    }
    for (int p = 0; p < hw; ++p) {
      const T* xr = x + off + std::size_t(p) * c;
      const T* gr = dy + off + std::size_t(p) * c;
      T* o = dx + off + std::size_t(p) * c;
      for (int ch = 0; ch < c; ++ch) o[ch] = k1[ch] * gr[ch] + k2[ch] * (xr[ch] - m[ch]) + k3[ch];
    }
  }
}

template void group_norm_forward<float>(const float*, int, int, int, int, const float*,
                                        const float*, float, float*, float*, float*);
template void group_norm_forward<double>(const double*, int, int, int, int, const double*,
                                         const double*, double, double*, double*, double*);
template void group_norm_backward<float>(const float*, int, int, int, int, const float*,
                                         const float*, const float*, const float*, float*, float*,
                                         float*);
template void group_norm_backward<double>(const double*, int, int, int, int, const double*,
                                          const double*, const double*, const double*, double*,
                                          double*, double*);

}  // namespace dotakv::layers
