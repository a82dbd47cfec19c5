#include "dotakv/digits/graph.hpp"

#include <algorithm>
#include <cmath>

#include "../train/graph_buffers.hpp"
#include "dotakv/error.hpp"
#include "dotakv/layers/activation.hpp"
#include "dotakv/layers/attention.hpp"
#include "dotakv/layers/conv2d.hpp"
#include "dotakv/layers/dense.hpp"
#include "dotakv/layers/layer_norm.hpp"
#include "dotakv/layers/pooling.hpp"
#include "dotakv/layers/rope.hpp"
#include "dotakv/train/loss.hpp"

namespace dotakv::digits {

namespace ly = dotakv::layers;

template <class T>
struct AttnSaved {
  std::vector<T> h, mean, rstd;  // LN input normalised [n, D] and stats
  std::vector<T> q, k, v;        // projections (after RoPE where used)
  std::vector<T> probs, a;       // [NH, tq, tk], attention output [n, D]
};
template <class T>
struct FfnSaved {
  std::vector<T> h, mean, rstd, pre, act;  // LN out, stats, W1 x + b1 [n, F], GELU of it
};
template <class T>
struct EncSaved {
  std::vector<T> x0, x1;  // block input, after attention residual
  AttnSaved<T> att;
  FfnSaved<T> ffn;
};
template <class T>
struct DecSaved {
  std::vector<T> y0, y1, y2;  // block input, after self, after cross
  AttnSaved<T> self, cross;
  FfnSaved<T> ffn;
};

template <class T>
struct DigitsWorkspace {
  int width = 0, te = 0, t = 0;
  std::vector<T> image;                   // [32, W]
  std::vector<T> r1, p1, r2, p2, r3, p3;  // stem activations (after ReLU, after pool)
  std::vector<int> a1, a2, a3;            // pool argmax
  std::vector<T> cols;                    // [Te, 4*C3]
  std::vector<EncSaved<T>> enc;
  std::vector<T> enc_out, enc_mean, enc_rstd, memory;  // before final LN, stats, memory
  std::vector<int> tokens;
  std::vector<DecSaved<T>> dec;
  std::vector<T> dec_out, dec_mean, dec_rstd, dec_norm, logits;
  // backward scratch
  std::vector<T> g1, g2, g3, g4, gmem;
};

template <class T>
DigitsGraph<T>::DigitsGraph(const DigitsConfig& cfg, ComputePrecision prec)
    : cfg_(cfg), L_(cfg), prec_(prec) {
  cfg_.validate();
}

template <class T>
std::shared_ptr<DigitsWorkspace<T>> DigitsGraph<T>::make_workspace() const {
  auto ws = std::make_shared<DigitsWorkspace<T>>();
  ws->enc.resize(std::size_t(cfg_.encoder_layers));
  ws->dec.resize(std::size_t(cfg_.decoder_layers));
  return ws;
}

namespace {

using train::add_into;

// Pre-norm FFN sub-block: x += W2 GELU(W1 LN(x) + b1) + b2 (x [n, D] updated in place).
template <class T>
void ffn_forward(const std::vector<const T*>& p, int ln_g, int ln_b, int k1, int b1, int k2, int b2,
                 int n, int D, int F, T* x, FfnSaved<T>& s, ComputePrecision prec) {
  train::resize_buffer(s.h, std::size_t(n) * D);
  train::resize_buffer(s.mean, std::size_t(n));
  train::resize_buffer(s.rstd, std::size_t(n));
  train::resize_buffer(s.pre, std::size_t(n) * F);
  train::resize_buffer(s.act, std::size_t(n) * F);
  ly::layer_norm_forward<T>(x, n, D, p[ln_g], p[ln_b], T(ly::kLayerNormEps), s.h.data(),
                            s.mean.data(), s.rstd.data());
  ly::dense_forward<T>(s.h.data(), n, D, p[k1], p[b1], F, s.pre.data(), prec);
  ly::gelu_forward<T>(s.pre.data(), s.pre.size(), s.act.data());
  std::vector<T> out(std::size_t(n) * D);
  ly::dense_forward<T>(s.act.data(), n, F, p[k2], p[b2], D, out.data(), prec);
  add_into(x, out.data(), out.size());
}

// dx: gradient at the sub-block output (in), becomes gradient at its input (residual added).
template <class T>
void ffn_backward(const std::vector<const T*>& p, const std::vector<T*>& g, int ln_g, int ln_b,
                  int k1, int b1, int k2, int b2, int n, int D, int F, const T* x_in,
                  FfnSaved<T>& s, T* dx, ComputePrecision prec) {
  std::vector<T> dact(std::size_t(n) * F), dh(std::size_t(n) * D), dln(std::size_t(n) * D);
  ly::dense_backward<T>(s.act.data(), n, F, p[k2], D, dx, dact.data(), g[k2], g[b2], prec);
  ly::gelu_backward<T>(s.pre.data(), dact.data(), dact.size(), dact.data());
  ly::dense_backward<T>(s.h.data(), n, D, p[k1], F, dact.data(), dh.data(), g[k1], g[b1], prec);
  ly::layer_norm_backward<T>(x_in, n, D, p[ln_g], s.mean.data(), s.rstd.data(), dh.data(),
                             dln.data(), g[ln_g], g[ln_b]);
  add_into(dx, dln.data(), dln.size());
}

// Pre-norm attention sub-block: x += Wo MHA(q = LN(x) Wq, k/v = src Wk/Wv), src = LN(x) (self)
// or kv_src [tk, D] (cross); RoPE on q and k when `rope` (positions 0..). x [n, D] in place.
template <class T>
void attn_forward(const std::vector<const T*>& p, int ln_g, int ln_b, const Layout::Attn& w, int n,
                  int D, int NH, int HD, const T* kv_src, int tk, bool rope, bool causal, T theta,
                  T* x, AttnSaved<T>& A, ComputePrecision prec) {
  const int m = kv_src ? tk : n;
  train::resize_buffer(A.h, std::size_t(n) * D);
  train::resize_buffer(A.mean, std::size_t(n));
  train::resize_buffer(A.rstd, std::size_t(n));
  train::resize_buffer(A.q, std::size_t(n) * D);
  train::resize_buffer(A.k, std::size_t(m) * D);
  train::resize_buffer(A.v, std::size_t(m) * D);
  train::resize_buffer(A.a, std::size_t(n) * D);
  train::resize_buffer(A.probs, std::size_t(NH) * n * m);
  std::vector<T> tmp(std::size_t(std::max(n, m)) * D);
  ly::layer_norm_forward<T>(x, n, D, p[ln_g], p[ln_b], T(ly::kLayerNormEps), A.h.data(),
                            A.mean.data(), A.rstd.data());
  const T* src = kv_src ? kv_src : A.h.data();
  if (rope) {
    ly::dense_forward<T>(A.h.data(), n, D, p[w.q], nullptr, D, tmp.data(), prec);
    ly::rope_forward<T>(tmp.data(), n, NH, HD, 0, theta, A.q.data());
    ly::dense_forward<T>(src, m, D, p[w.k], nullptr, D, tmp.data(), prec);
    ly::rope_forward<T>(tmp.data(), m, NH, HD, 0, theta, A.k.data());
  } else {
    ly::dense_forward<T>(A.h.data(), n, D, p[w.q], nullptr, D, A.q.data(), prec);
    ly::dense_forward<T>(src, m, D, p[w.k], nullptr, D, A.k.data(), prec);
  }
  ly::dense_forward<T>(src, m, D, p[w.v], nullptr, D, A.v.data(), prec);
  ly::mha_forward<T>(A.q.data(), n, A.k.data(), A.v.data(), m, NH, HD, causal, A.probs.data(),
                     A.a.data());
  ly::dense_forward<T>(A.a.data(), n, D, p[w.o], nullptr, D, tmp.data(), prec);
  add_into(x, tmp.data(), std::size_t(n) * D);
}

// dx: gradient at the sub-block output, becomes the gradient at its input x_in (residual added);
// cross-attention adds the memory's gradient into dmem.
template <class T>
void attn_backward(const std::vector<const T*>& p, const std::vector<T*>& g, int ln_g, int ln_b,
                   const Layout::Attn& w, int n, int D, int NH, int HD, const T* kv_src, int tk,
                   bool rope, bool causal, T theta, const T* x_in, AttnSaved<T>& A, T* dx, T* dmem,
                   ComputePrecision prec) {
  const int m = kv_src ? tk : n;
  const std::size_t nd = std::size_t(n) * D, mdz = std::size_t(m) * D;
  std::vector<T> da(nd), dq(nd), dk(mdz), dv(mdz), dh(nd), tmp(std::max(nd, mdz));
  ly::dense_backward<T>(A.a.data(), n, D, p[w.o], D, dx, da.data(), g[w.o], nullptr, prec);
  ly::mha_backward<T>(A.q.data(), n, A.k.data(), A.v.data(), m, A.probs.data(), da.data(), NH, HD,
                      causal, dq.data(), dk.data(), dv.data());
  if (rope) {
    ly::rope_backward<T>(dq.data(), n, NH, HD, 0, theta, dq.data());
    ly::rope_backward<T>(dk.data(), m, NH, HD, 0, theta, dk.data());
  }
  const T* src = kv_src ? kv_src : A.h.data();
  T* dsrc = kv_src ? dmem : dh.data();
  if (kv_src) {  // memory gradients first, then the query's (the order of the sums kept)
    ly::dense_backward<T>(src, m, D, p[w.k], D, dk.data(), tmp.data(), g[w.k], nullptr, prec);
    add_into(dsrc, tmp.data(), mdz);
    ly::dense_backward<T>(src, m, D, p[w.v], D, dv.data(), tmp.data(), g[w.v], nullptr, prec);
    add_into(dsrc, tmp.data(), mdz);
    ly::dense_backward<T>(A.h.data(), n, D, p[w.q], D, dq.data(), dh.data(), g[w.q], nullptr, prec);
  } else {
    ly::dense_backward<T>(A.h.data(), n, D, p[w.q], D, dq.data(), dh.data(), g[w.q], nullptr, prec);
    ly::dense_backward<T>(src, m, D, p[w.k], D, dk.data(), tmp.data(), g[w.k], nullptr, prec);
    add_into(dsrc, tmp.data(), mdz);
    ly::dense_backward<T>(src, m, D, p[w.v], D, dv.data(), tmp.data(), g[w.v], nullptr, prec);
    add_into(dsrc, tmp.data(), mdz);
  }
  ly::layer_norm_backward<T>(x_in, n, D, p[ln_g], A.mean.data(), A.rstd.data(), dh.data(),
                             tmp.data(), g[ln_g], g[ln_b]);
  add_into(dx, tmp.data(), nd);
}

}  // namespace

template <class T>
void DigitsGraph<T>::encode(const std::vector<const T*>& p, const T* image, int width,
                            DigitsWorkspace<T>& ws) const {
  if (width < 8 || width % 8 != 0 || width > cfg_.max_width)
    throw ShapeError("digits encoder: image width " + std::to_string(width) +
                     " px: expected a multiple of 8 in 8.." + std::to_string(cfg_.max_width));
  const int H = kImageHeight, W = width, C1 = cfg_.stem1, C2 = cfg_.stem2, C3 = cfg_.stem3;
  const int D = cfg_.d_model, te = W / 8;
  ws.width = W;
  ws.te = te;
  ws.image.assign(image, image + std::size_t(H) * W);
  train::resize_buffer(ws.r1, std::size_t(H) * W * C1);
  train::resize_buffer(ws.p1, std::size_t(H / 2) * (W / 2) * C1);
  train::resize_buffer(ws.r2, std::size_t(H / 2) * (W / 2) * C2);
  train::resize_buffer(ws.p2, std::size_t(H / 4) * (W / 4) * C2);
  train::resize_buffer(ws.r3, std::size_t(H / 4) * (W / 4) * C3);
  train::resize_buffer(ws.p3, std::size_t(H / 8) * (W / 8) * C3);
  ws.a1.resize(ws.p1.size());
  ws.a2.resize(ws.p2.size());
  ws.a3.resize(ws.p3.size());
  ly::conv2d_same_forward<T>(ws.image.data(), 1, H, W, 1, p[L_.conv1_k], p[L_.conv1_b], 3, C1,
                             ws.r1.data(), prec_);
  ly::relu_forward<T>(ws.r1.data(), ws.r1.size(), ws.r1.data());
  ly::maxpool2_forward<T>(ws.r1.data(), 1, H, W, C1, ws.p1.data(), ws.a1.data());
  ly::conv2d_same_forward<T>(ws.p1.data(), 1, H / 2, W / 2, C1, p[L_.conv2_k], p[L_.conv2_b], 3, C2,
                             ws.r2.data(), prec_);
  ly::relu_forward<T>(ws.r2.data(), ws.r2.size(), ws.r2.data());
  ly::maxpool2_forward<T>(ws.r2.data(), 1, H / 2, W / 2, C2, ws.p2.data(), ws.a2.data());
  ly::conv2d_same_forward<T>(ws.p2.data(), 1, H / 4, W / 4, C2, p[L_.conv3_k], p[L_.conv3_b], 3, C3,
                             ws.r3.data(), prec_);
  ly::relu_forward<T>(ws.r3.data(), ws.r3.size(), ws.r3.data());
  ly::maxpool2_forward<T>(ws.r3.data(), 1, H / 4, W / 4, C3, ws.p3.data(), ws.a3.data());
  // [4, Te, C3] -> [Te, 4 * C3]
  train::resize_buffer(ws.cols, std::size_t(te) * 4 * C3);
  for (int r = 0; r < 4; ++r)
    for (int x = 0; x < te; ++x)
      for (int c = 0; c < C3; ++c)
        ws.cols[(std::size_t(x) * 4 + r) * C3 + c] = ws.p3[(std::size_t(r) * te + x) * C3 + c];
  std::vector<T> x(std::size_t(te) * D);
  ly::dense_forward<T>(ws.cols.data(), te, 4 * C3, p[L_.proj_k], p[L_.proj_b], D, x.data(), prec_);
  std::vector<float> pe(static_cast<std::size_t>(D));
  for (int t = 0; t < te; ++t) {
    sinusoid_position(t, D, pe.data());
    for (int d = 0; d < D; ++d) x[std::size_t(t) * D + d] += T(pe[std::size_t(d)]);
  }
  const int NH = cfg_.heads, HD = cfg_.head_dim();
  for (int l = 0; l < cfg_.encoder_layers; ++l) {
    const auto& B = L_.enc[std::size_t(l)];
    auto& S = ws.enc[std::size_t(l)];
    S.x0 = x;
    attn_forward<T>(p, B.ln1_g, B.ln1_b, B.att, te, D, NH, HD, nullptr, 0, false, false, T(0),
                    x.data(), S.att, prec_);
    S.x1 = x;
    ffn_forward<T>(p, B.ln2_g, B.ln2_b, B.ff1_k, B.ff1_b, B.ff2_k, B.ff2_b, te, D, cfg_.ffn,
                   x.data(), S.ffn, prec_);
  }
  ws.enc_out = x;
  train::resize_buffer(ws.memory, std::size_t(te) * D);
  train::resize_buffer(ws.enc_mean, std::size_t(te));
  train::resize_buffer(ws.enc_rstd, std::size_t(te));
  ly::layer_norm_forward<T>(x.data(), te, D, p[L_.enc_ln_g], p[L_.enc_ln_b], T(ly::kLayerNormEps),
                            ws.memory.data(), ws.enc_mean.data(), ws.enc_rstd.data());
}

template <class T>
void DigitsGraph<T>::decode(const std::vector<const T*>& p, const int* tokens, int t,
                            DigitsWorkspace<T>& ws) const {
  if (t < 1 || t > cfg_.max_tokens())
    throw ShapeError("digits decoder: " + std::to_string(t) + " tokens: expected 1.." +
                     std::to_string(cfg_.max_tokens()));
  const int D = cfg_.d_model, NH = cfg_.heads, HD = cfg_.head_dim(), te = ws.te;
  ws.t = t;
  ws.tokens.assign(tokens, tokens + t);
  const std::size_t nd = std::size_t(t) * D;
  std::vector<T> y(nd);
  for (int i = 0; i < t; ++i) {
    if (tokens[i] < 0 || tokens[i] >= kVocab)
      throw ValueError("digits decoder: token " + std::to_string(tokens[i]) + " at position " +
                       std::to_string(i) + ": expected 0..12");
    std::copy_n(p[L_.embedding] + std::size_t(tokens[i]) * D, D, y.data() + std::size_t(i) * D);
  }
  const T theta = T(cfg_.rope_theta);
  for (int l = 0; l < cfg_.decoder_layers; ++l) {
    const auto& B = L_.dec[std::size_t(l)];
    auto& S = ws.dec[std::size_t(l)];
    S.y0 = y;
    attn_forward<T>(p, B.ln1_g, B.ln1_b, B.self, t, D, NH, HD, nullptr, 0, true, true, theta,
                    y.data(), S.self, prec_);
    S.y1 = y;
    attn_forward<T>(p, B.ln2_g, B.ln2_b, B.cross, t, D, NH, HD, ws.memory.data(), te, false, false,
                    theta, y.data(), S.cross, prec_);
    S.y2 = y;
    ffn_forward<T>(p, B.ln3_g, B.ln3_b, B.ff1_k, B.ff1_b, B.ff2_k, B.ff2_b, t, D, cfg_.ffn,
                   y.data(), S.ffn, prec_);
  }
  ws.dec_out = y;
  train::resize_buffer(ws.dec_norm, nd);
  train::resize_buffer(ws.dec_mean, std::size_t(t));
  train::resize_buffer(ws.dec_rstd, std::size_t(t));
  train::resize_buffer(ws.logits, std::size_t(t) * kVocab);
  ly::layer_norm_forward<T>(y.data(), t, D, p[L_.dec_ln_g], p[L_.dec_ln_b], T(ly::kLayerNormEps),
                            ws.dec_norm.data(), ws.dec_mean.data(), ws.dec_rstd.data());
  ly::dense_forward<T>(ws.dec_norm.data(), t, D, p[L_.logits_k], p[L_.logits_b], kVocab,
                       ws.logits.data(), prec_);
}

template <class T>
void DigitsGraph<T>::backward(const std::vector<const T*>& p, DigitsWorkspace<T>& ws,
                              const T* dlogits, const std::vector<T*>& g) const {
  const int D = cfg_.d_model, NH = cfg_.heads, HD = cfg_.head_dim(), te = ws.te, t = ws.t;
  const std::size_t nd = std::size_t(t) * D, md = std::size_t(te) * D;
  const T theta = T(cfg_.rope_theta);
  std::vector<T> dy(nd), dn(nd);
  std::vector<T> dmem(md, T(0));
  ly::dense_backward<T>(ws.dec_norm.data(), t, D, p[L_.logits_k], kVocab, dlogits, dn.data(),
                        g[L_.logits_k], g[L_.logits_b], prec_);
  ly::layer_norm_backward<T>(ws.dec_out.data(), t, D, p[L_.dec_ln_g], ws.dec_mean.data(),
                             ws.dec_rstd.data(), dn.data(), dy.data(), g[L_.dec_ln_g],
                             g[L_.dec_ln_b]);
  for (int l = cfg_.decoder_layers - 1; l >= 0; --l) {
    const auto& B = L_.dec[std::size_t(l)];
    auto& S = ws.dec[std::size_t(l)];
    ffn_backward<T>(p, g, B.ln3_g, B.ln3_b, B.ff1_k, B.ff1_b, B.ff2_k, B.ff2_b, t, D, cfg_.ffn,
                    S.y2.data(), S.ffn, dy.data(), prec_);
    attn_backward<T>(p, g, B.ln2_g, B.ln2_b, B.cross, t, D, NH, HD, ws.memory.data(), te, false,
                     false, theta, S.y1.data(), S.cross, dy.data(), dmem.data(), prec_);
    attn_backward<T>(p, g, B.ln1_g, B.ln1_b, B.self, t, D, NH, HD, nullptr, 0, true, true, theta,
                     S.y0.data(), S.self, dy.data(), nullptr, prec_);
  }
  for (int i = 0; i < t; ++i)
    add_into(g[L_.embedding] + std::size_t(ws.tokens[std::size_t(i)]) * D,
             dy.data() + std::size_t(i) * D, std::size_t(D));
  // encoder
  std::vector<T> dx(md);
  ly::layer_norm_backward<T>(ws.enc_out.data(), te, D, p[L_.enc_ln_g], ws.enc_mean.data(),
                             ws.enc_rstd.data(), dmem.data(), dx.data(), g[L_.enc_ln_g],
                             g[L_.enc_ln_b]);
  for (int l = cfg_.encoder_layers - 1; l >= 0; --l) {
    const auto& B = L_.enc[std::size_t(l)];
    auto& S = ws.enc[std::size_t(l)];
    ffn_backward<T>(p, g, B.ln2_g, B.ln2_b, B.ff1_k, B.ff1_b, B.ff2_k, B.ff2_b, te, D, cfg_.ffn,
                    S.x1.data(), S.ffn, dx.data(), prec_);
    attn_backward<T>(p, g, B.ln1_g, B.ln1_b, B.att, te, D, NH, HD, nullptr, 0, false, false, T(0),
                     S.x0.data(), S.att, dx.data(), nullptr, prec_);
  }
  // stem
  const int H = kImageHeight, W = ws.width, C1 = cfg_.stem1, C2 = cfg_.stem2, C3 = cfg_.stem3;
  std::vector<T> dcols(std::size_t(te) * 4 * C3), dp3(ws.p3.size()), dr3(ws.r3.size()),
      dp2(ws.p2.size()), dr2(ws.r2.size()), dp1(ws.p1.size()), dr1(ws.r1.size());
  ly::dense_backward<T>(ws.cols.data(), te, 4 * C3, p[L_.proj_k], D, dx.data(), dcols.data(),
                        g[L_.proj_k], g[L_.proj_b], prec_);
  for (int r = 0; r < 4; ++r)
    for (int x = 0; x < te; ++x)
      for (int c = 0; c < C3; ++c)
        dp3[(std::size_t(r) * te + x) * C3 + c] = dcols[(std::size_t(x) * 4 + r) * C3 + c];
  ly::maxpool2_backward<T>(dp3.data(), ws.a3.data(), 1, H / 4, W / 4, C3, dr3.data());
  ly::relu_backward<T>(ws.r3.data(), dr3.data(), dr3.size(), dr3.data());
  ly::conv2d_same_backward<T>(ws.p2.data(), 1, H / 4, W / 4, C2, p[L_.conv3_k], 3, C3, dr3.data(),
                              dp2.data(), g[L_.conv3_k], g[L_.conv3_b], prec_);
  ly::maxpool2_backward<T>(dp2.data(), ws.a2.data(), 1, H / 2, W / 2, C2, dr2.data());
  ly::relu_backward<T>(ws.r2.data(), dr2.data(), dr2.size(), dr2.data());
  ly::conv2d_same_backward<T>(ws.p1.data(), 1, H / 2, W / 2, C1, p[L_.conv2_k], 3, C2, dr2.data(),
                              dp1.data(), g[L_.conv2_k], g[L_.conv2_b], prec_);
  ly::maxpool2_backward<T>(dp1.data(), ws.a1.data(), 1, H, W, C1, dr1.data());
  ly::relu_backward<T>(ws.r1.data(), dr1.data(), dr1.size(), dr1.data());
  ly::conv2d_same_backward<T>(ws.image.data(), 1, H, W, 1, p[L_.conv1_k], 3, C1, dr1.data(),
                              nullptr, g[L_.conv1_k], g[L_.conv1_b], prec_);
}

template <class T>
const T* DigitsGraph<T>::memory(const DigitsWorkspace<T>& ws) {
  return ws.memory.data();
}
template <class T>
int DigitsGraph<T>::encoder_tokens(const DigitsWorkspace<T>& ws) {
  return ws.te;
}
template <class T>
const T* DigitsGraph<T>::logits(const DigitsWorkspace<T>& ws) {
  return ws.logits.data();
}

template <class T>
double sample_loss(const DigitsGraph<T>& g, const std::vector<const T*>& p, const T* image,
                   int width, const std::vector<int>& labels, DigitsWorkspace<T>& ws,
                   const std::vector<T*>* grads, T scale, int* tokens) {
  const int t = int(labels.size()) + 1;
  std::vector<int> in(static_cast<std::size_t>(t)), target(static_cast<std::size_t>(t));
  in[0] = kBos;
  for (int i = 0; i < t - 1; ++i) {
    in[std::size_t(i + 1)] = labels[std::size_t(i)];
    target[std::size_t(i)] = labels[std::size_t(i)];
  }
  target[std::size_t(t - 1)] = kEos;
  g.encode(p, image, width, ws);
  g.decode(p, in.data(), t, ws);
  std::vector<T> dlogits(grads ? std::size_t(t) * kVocab : 0);
  const T mean =
      train::softmax_cross_entropy<T>(DigitsGraph<T>::logits(ws), t, kVocab, target.data(), -1,
                                      grads ? dlogits.data() : nullptr, nullptr);
  if (grads) {
    for (auto& v : dlogits) v *= scale * T(t);
    g.backward(p, ws, dlogits.data(), *grads);
  }
  if (tokens) *tokens = t;
  return double(mean) * t;
}

template double sample_loss<float>(const DigitsGraph<float>&, const std::vector<const float*>&,
                                   const float*, int, const std::vector<int>&,
                                   DigitsWorkspace<float>&, const std::vector<float*>*, float,
                                   int*);
template double sample_loss<double>(const DigitsGraph<double>&, const std::vector<const double*>&,
                                    const double*, int, const std::vector<int>&,
                                    DigitsWorkspace<double>&, const std::vector<double*>*, double,
                                    int*);

template class DigitsGraph<float>;
template class DigitsGraph<double>;

}  // namespace dotakv::digits
