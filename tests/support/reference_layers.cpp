#include "reference_layers.hpp"

#include <algorithm>
#include <cmath>

namespace dotakv::ref {

Vec conv2d_same(const Vec& x, int n, int h, int w, int ci, const Vec& k, int K, int co,
                const Vec& bias) {
  Vec y(std::size_t(n) * h * w * co);
  const int pad = (K - 1) / 2;
  for (int b = 0; b < n; ++b)
    for (int oy = 0; oy < h; ++oy)
      for (int ox = 0; ox < w; ++ox)
        for (int o = 0; o < co; ++o) {
          double s = bias.empty() ? 0.0 : bias[o];
          for (int ky = 0; ky < K; ++ky)
            for (int kx = 0; kx < K; ++kx) {
              const int iy = oy + ky - pad, ix = ox + kx - pad;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              for (int i = 0; i < ci; ++i)
                s += double(x[((std::size_t(b) * h + iy) * w + ix) * ci + i]) *
                     k[((std::size_t(ky) * K + kx) * ci + i) * co + o];
            }
          y[((std::size_t(b) * h + oy) * w + ox) * co + o] = float(s);
        }
  return y;
}

Vec conv_transpose2d_same_s2(const Vec& x, int n, int h, int w, int ci, const Vec& k, int K,
                             int co) {
  // Forward conv (stride 2, 'same') maps big [H2,W2] -> small [h,w]; this is its adjoint.
  const int H2 = 2 * h, W2 = 2 * w;
  const int pad_h = std::max((h - 1) * 2 + K - H2, 0) / 2,
            pad_w = std::max((w - 1) * 2 + K - W2, 0) / 2;
  std::vector<double> acc(std::size_t(n) * H2 * W2 * co, 0.0);
  for (int b = 0; b < n; ++b)
    for (int sy = 0; sy < h; ++sy)
      for (int sx = 0; sx < w; ++sx)
        for (int ky = 0; ky < K; ++ky)
          for (int kx = 0; kx < K; ++kx) {
            const int by = sy * 2 + ky - pad_h,
                      bx = sx * 2 + kx - pad_w;  // forward conv read position
            if (by < 0 || by >= H2 || bx < 0 || bx >= W2) continue;
            for (int o = 0; o < co; ++o) {
              double s = 0;
              for (int i = 0; i < ci; ++i)
                s += double(x[((std::size_t(b) * h + sy) * w + sx) * ci + i]) *
                     k[((std::size_t(ky) * K + kx) * co + o) * ci + i];
              acc[((std::size_t(b) * H2 + by) * W2 + bx) * co + o] += s;
            }
          }
  return Vec(acc.begin(), acc.end());
}

Vec group_norm(const Vec& x, int n, int hw, int c, int groups, const Vec& gamma, const Vec& beta,
               double eps) {
  Vec y(x.size());
  const int cg = c / groups;
  for (int b = 0; b < n; ++b)
    for (int g = 0; g < groups; ++g) {
      double mean = 0, var = 0;
      for (int p = 0; p < hw; ++p)
        for (int ch = g * cg; ch < (g + 1) * cg; ++ch)
          mean += x[(std::size_t(b) * hw + p) * c + ch];
      mean /= double(hw) * cg;
      for (int p = 0; p < hw; ++p)
        for (int ch = g * cg; ch < (g + 1) * cg; ++ch) {
          const double d = x[(std::size_t(b) * hw + p) * c + ch] - mean;
          var += d * d;
        }
      var /= double(hw) * cg;
      for (int p = 0; p < hw; ++p)
        for (int ch = g * cg; ch < (g + 1) * cg; ++ch) {
          const std::size_t i = (std::size_t(b) * hw + p) * c + ch;
          y[i] = float((x[i] - mean) / std::sqrt(var + eps) * gamma[ch] + beta[ch]);
        }
    }
  return y;
}

Vec maxpool2(const Vec& x, int n, int h, int w, int c) {
  Vec y(std::size_t(n) * (h / 2) * (w / 2) * c);
  for (int b = 0; b < n; ++b)
    for (int oy = 0; oy < h / 2; ++oy)
      for (int ox = 0; ox < w / 2; ++ox)
        for (int ch = 0; ch < c; ++ch) {
          float m = -INFINITY;
          for (int dy = 0; dy < 2; ++dy)
            for (int dx = 0; dx < 2; ++dx)
              m = std::max(m, x[((std::size_t(b) * h + 2 * oy + dy) * w + 2 * ox + dx) * c + ch]);
          y[((std::size_t(b) * (h / 2) + oy) * (w / 2) + ox) * c + ch] = m;
        }
  return y;
}

Vec relu(const Vec& x) {
  Vec y(x);
  for (auto& v : y) v = std::max(v, 0.f);
  return y;
}

Vec layer_norm(const Vec& x, int rows, int d, const Vec& gamma, const Vec& beta, double eps) {
  Vec y(x.size());
  for (int r = 0; r < rows; ++r) {
    double mean = 0, var = 0;
    for (int i = 0; i < d; ++i) mean += x[std::size_t(r) * d + i];
    mean /= d;
    for (int i = 0; i < d; ++i)
      var += (x[std::size_t(r) * d + i] - mean) * (x[std::size_t(r) * d + i] - mean);
    var /= d;
    for (int i = 0; i < d; ++i)
      y[std::size_t(r) * d + i] =
          float((x[std::size_t(r) * d + i] - mean) / std::sqrt(var + eps) * gamma[i] + beta[i]);
  }
  return y;
}

Vec dense(const Vec& x, int m, int in, const Vec& w, int out, const Vec& b) {
  Vec y(std::size_t(m) * out);
  for (int r = 0; r < m; ++r)
    for (int o = 0; o < out; ++o) {
      double s = b.empty() ? 0.0 : b[o];
      for (int i = 0; i < in; ++i)
        s += double(x[std::size_t(r) * in + i]) * w[std::size_t(i) * out + o];
      y[std::size_t(r) * out + o] = float(s);
    }
  return y;
}

Vec gelu(const Vec& x) {
  Vec y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    y[i] = float(0.5 * x[i] * (1.0 + std::erf(x[i] / std::sqrt(2.0))));
  return y;
}

Vec mha(const Vec& x, int t, int d, const Vec& wq, const Vec& wk, const Vec& wv, const Vec& wo,
        int nh, int kd, bool causal) {
  const Vec q = dense(x, t, d, wq, nh * kd, {}), k = dense(x, t, d, wk, nh * kd, {}),
            v = dense(x, t, d, wv, nh * kd, {});
  Vec o(std::size_t(t) * nh * kd);
  for (int h = 0; h < nh; ++h)
    for (int i = 0; i < t; ++i) {
      std::vector<double> s(std::size_t(t), -INFINITY);
      double mx = -INFINITY;
      for (int j = 0; j < t; ++j) {
        if (causal && j > i) continue;
        double dot = 0;
        for (int a = 0; a < kd; ++a)
          dot +=
              double(q[(std::size_t(i) * nh + h) * kd + a]) * k[(std::size_t(j) * nh + h) * kd + a];
        s[std::size_t(j)] = dot / std::sqrt(double(kd));
        mx = std::max(mx, s[std::size_t(j)]);
      }
      double z = 0;
      for (int j = 0; j < t; ++j)
        z += std::isinf(s[std::size_t(j)]) ? 0.0 : std::exp(s[std::size_t(j)] - mx);
      for (int a = 0; a < kd; ++a) {
        double acc = 0;
        for (int j = 0; j < t; ++j)
          if (!std::isinf(s[std::size_t(j)]))
            acc += std::exp(s[std::size_t(j)] - mx) / z * v[(std::size_t(j) * nh + h) * kd + a];
        o[(std::size_t(i) * nh + h) * kd + a] = float(acc);
      }
    }
  return dense(o, t, nh * kd, wo, d, {});
}

Volume forward(const Model& m, const Volume& x, float e) {
  const ModelConfig& c = m.config();
  const auto& w = m.weights();
  const int S = c.num_slices, H = c.rows(), W = c.cols(), C = c.conv_channels,
            P = c.bottleneck_channels(), K = c.kernel_size, D = c.token_dim(), T = c.num_tokens;
  const double gn_eps = 1e-3, ln_eps = 1e-6;
  // encoder, all slices as a batch of S images [S,H,W,1]
  Vec a(x.data.begin(), x.data.end());
  a = conv2d_same(a, S, H, W, 1, w.enc_conv1.data, K, C, {});
  a = relu(
      maxpool2(group_norm(a, S, H * W, C, 16, w.enc_gn1_gamma.data, w.enc_gn1_beta.data, gn_eps), S,
               H, W, C));
  a = conv2d_same(a, S, H / 2, W / 2, C, w.enc_conv2.data, K, C, {});
  a = relu(maxpool2(
      group_norm(a, S, H * W / 4, C, 16, w.enc_gn2_gamma.data, w.enc_gn2_beta.data, gn_eps), S,
      H / 2, W / 2, C));
  a = conv2d_same(a, S, H / 4, W / 4, C, w.enc_conv3.data, K, P, {});
  a = relu(group_norm(a, S, H * W / 16, P, 4, w.enc_gn3_gamma.data, w.enc_gn3_beta.data, gn_eps));
  // tokens
  Vec X(std::size_t(T) * D);
  for (int i = 0; i < D; ++i)
    X[std::size_t(i)] =
        e * w.energy_kernel.data[std::size_t(i)] + w.energy_bias.data[std::size_t(i)];
  std::copy(a.begin(), a.end(), X.begin() + D);
  for (std::size_t i = 0; i < X.size(); ++i) X[i] += w.pos_embedding.data[i];
  for (const auto& b : w.blocks) {
    Vec h = layer_norm(X, T, D, b.ln1_gamma.data, b.ln1_beta.data, ln_eps);
    Vec att =
        mha(h, T, D, b.wq.data, b.wk.data, b.wv.data, b.wo.data, c.num_heads, c.key_dim, c.causal);
    for (std::size_t i = 0; i < X.size(); ++i) X[i] += att[i];
    h = layer_norm(X, T, D, b.ln2_gamma.data, b.ln2_beta.data, ln_eps);
    h = gelu(dense(h, T, D, b.ff1_kernel.data, D, b.ff1_bias.data));
    h = gelu(dense(h, T, D, b.ff2_kernel.data, D, b.ff2_bias.data));
    for (std::size_t i = 0; i < X.size(); ++i) X[i] += h[i];
  }
  // decoder on tokens 1..S
  Vec d(X.begin() + D, X.end());
  d = conv_transpose2d_same_s2(d, S, H / 4, W / 4, P, w.dec_deconv1.data, K, C);
  d = relu(group_norm(d, S, H * W / 4, C, 16, w.dec_gn1_gamma.data, w.dec_gn1_beta.data, gn_eps));
  d = conv_transpose2d_same_s2(d, S, H / 2, W / 2, C, w.dec_deconv2.data, K, C);
  d = relu(group_norm(d, S, H * W, C, 16, w.dec_gn2_gamma.data, w.dec_gn2_beta.data, gn_eps));
  d = conv2d_same(d, S, H, W, C, w.dec_conv.data, K, 1, w.dec_conv_bias.data);
  Volume out(S, H, W);
  out.spacing_mm = x.spacing_mm;
  std::copy(d.begin(), d.end(), out.data.begin());
  return out;
}

}  // namespace dotakv::ref
