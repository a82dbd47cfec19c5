#include "dotakv/lm/graph.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "../train/graph_buffers.hpp"
#include "dotakv/error.hpp"
#include "dotakv/layers/attention.hpp"
#include "dotakv/layers/dense.hpp"
#include "dotakv/layers/embedding.hpp"
#include "dotakv/layers/rmsnorm.hpp"
#include "dotakv/layers/rope.hpp"
#include "dotakv/layers/swiglu.hpp"
#include "dotakv/train/loss.hpp"

namespace dotakv::lm {

namespace ly = dotakv::layers;

template <class T>
struct BlockSaved {
  std::vector<T> x0, h1, r1;   // block input [t, D], RMSNorm(x0) * gamma, rstd [t]
  std::vector<T> q, k, v;      // [t, NH*HD] / [t, NKV*HD], q and k after RoPE
  std::vector<T> probs, a;     // [NH, t, t], attention output [t, NH*HD]
  std::vector<T> x1, h2, r2;   // after the attention residual, its norm, rstd
  std::vector<T> gate, up, s;  // [t, F]: h2 Wgate, h2 Wup, silu(gate) * up
};

template <class T>
struct LmWorkspace {
  int t = 0;
  std::vector<int> tokens;
  std::vector<BlockSaved<T>> blocks;
  std::vector<T> x_out, rn, hn, logits;  // final residual [t, D], rstd, normed, logits [t, V]
  std::vector<T> wout_t;                 // tied head: token_embedding^T [D, V]
  // scratch
  std::vector<T> tmp, dx, dh, da, dq, dk, dv, ds, dgate, dup, dwt, dlogits;
};

namespace {

using train::add_into;

}  // namespace

template <class T>
LmGraph<T>::LmGraph(const LmConfig& cfg, ComputePrecision prec) : cfg_(cfg), L_(cfg), prec_(prec) {
  cfg_.validate();
}

template <class T>
std::shared_ptr<LmWorkspace<T>> LmGraph<T>::make_workspace() const {
  auto ws = std::make_shared<LmWorkspace<T>>();
  ws->blocks.resize(std::size_t(cfg_.layers));
  return ws;
}

template <class T>
void LmGraph<T>::forward(const std::vector<const T*>& p, const int* tokens, int t,
                         LmWorkspace<T>& ws) const {
  if (t < 1 || t > cfg_.max_context)
    throw ShapeError("lm graph: " + std::to_string(t) + " tokens: expected 1.." +
                     std::to_string(cfg_.max_context) + " (the model's context)");
  const int D = cfg_.d_model, NH = cfg_.heads, NKV = cfg_.kv_heads, HD = cfg_.head_dim(),
            F = cfg_.ffn, V = cfg_.vocab;
  const int Q = NH * HD, KV = NKV * HD;
  const std::size_t n = std::size_t(t);
  const T eps = T(cfg_.norm_eps), theta = T(cfg_.rope_theta);
  std::vector<T> x(n * D);
  ly::embedding_lookup_forward<T>(p[L_.embedding], V, D, tokens, t, x.data());
  ws.t = t;
  ws.tokens.assign(tokens, tokens + t);
  train::resize_buffer(ws.tmp, n * std::max(D, Q));
  for (int l = 0; l < cfg_.layers; ++l) {
    const auto& B = L_.blocks[std::size_t(l)];
    auto& S = ws.blocks[std::size_t(l)];
    S.x0 = x;
    train::resize_buffer(S.h1, n * D);
    train::resize_buffer(S.r1, n);
    train::resize_buffer(S.q, n * Q);
    train::resize_buffer(S.k, n * KV);
    train::resize_buffer(S.v, n * KV);
    train::resize_buffer(S.probs, std::size_t(NH) * n * n);
    train::resize_buffer(S.a, n * Q);
    ly::rms_norm_forward<T>(x.data(), t, D, p[B.attn_norm], eps, S.h1.data(), S.r1.data());
    ly::dense_forward<T>(S.h1.data(), t, D, p[B.wq], nullptr, Q, S.q.data(), prec_);
    ly::rope_forward<T>(S.q.data(), t, NH, HD, 0, theta, S.q.data());
    ly::dense_forward<T>(S.h1.data(), t, D, p[B.wk], nullptr, KV, S.k.data(), prec_);
    ly::rope_forward<T>(S.k.data(), t, NKV, HD, 0, theta, S.k.data());
    ly::dense_forward<T>(S.h1.data(), t, D, p[B.wv], nullptr, KV, S.v.data(), prec_);
    ly::gqa_forward<T>(S.q.data(), t, S.k.data(), S.v.data(), t, NH, NKV, HD, true, S.probs.data(),
                       S.a.data());
    ly::dense_forward<T>(S.a.data(), t, Q, p[B.wo], nullptr, D, ws.tmp.data(), prec_);
    add_into(x.data(), ws.tmp.data(), n * D);
    S.x1 = x;
    train::resize_buffer(S.h2, n * D);
    train::resize_buffer(S.r2, n);
    train::resize_buffer(S.gate, n * F);
    train::resize_buffer(S.up, n * F);
    train::resize_buffer(S.s, n * F);
    ly::rms_norm_forward<T>(x.data(), t, D, p[B.mlp_norm], eps, S.h2.data(), S.r2.data());
    ly::dense_forward<T>(S.h2.data(), t, D, p[B.w_gate], nullptr, F, S.gate.data(), prec_);
    ly::dense_forward<T>(S.h2.data(), t, D, p[B.w_up], nullptr, F, S.up.data(), prec_);
    ly::swiglu_forward<T>(S.gate.data(), S.up.data(), n * F, S.s.data());
    ly::dense_forward<T>(S.s.data(), t, F, p[B.w_down], nullptr, D, ws.tmp.data(), prec_);
    add_into(x.data(), ws.tmp.data(), n * D);
  }
  ws.x_out = x;
  train::resize_buffer(ws.hn, n * D);
  train::resize_buffer(ws.rn, n);
  train::resize_buffer(ws.logits, n * V);
  ly::rms_norm_forward<T>(x.data(), t, D, p[L_.output_norm], eps, ws.hn.data(), ws.rn.data());
  const T* wout = nullptr;
  if (L_.output < 0) {  // tied: token_embedding [V, D] -> its transpose [D, V]
    train::resize_buffer(ws.wout_t, std::size_t(D) * V);
    const T* e = p[L_.embedding];
    for (int v = 0; v < V; ++v)
      for (int d = 0; d < D; ++d) ws.wout_t[std::size_t(d) * V + v] = e[std::size_t(v) * D + d];
    wout = ws.wout_t.data();
  } else {
    wout = p[L_.output];
  }
  ly::dense_forward<T>(ws.hn.data(), t, D, wout, nullptr, V, ws.logits.data(), prec_);
}

template <class T>
void LmGraph<T>::backward(const std::vector<const T*>& p, LmWorkspace<T>& ws, const T* dlogits,
                          const std::vector<T*>& g) const {
  const int D = cfg_.d_model, NH = cfg_.heads, NKV = cfg_.kv_heads, HD = cfg_.head_dim(),
            F = cfg_.ffn, V = cfg_.vocab, t = ws.t;
  const int Q = NH * HD, KV = NKV * HD;
  const std::size_t n = std::size_t(t);
  const T theta = T(cfg_.rope_theta);
  train::resize_buffer(ws.dx, n * D);
  train::resize_buffer(ws.dh, n * D);
  train::resize_buffer(ws.tmp, n * std::max(D, Q));
  train::resize_buffer(ws.da, n * Q);
  train::resize_buffer(ws.dq, n * Q);
  train::resize_buffer(ws.dk, n * KV);
  train::resize_buffer(ws.dv, n * KV);
  train::resize_buffer(ws.ds, n * F);
  train::resize_buffer(ws.dgate, n * F);
  train::resize_buffer(ws.dup, n * F);
  // head
  if (L_.output < 0) {
    train::resize_buffer(ws.dwt, std::size_t(D) * V);
    std::fill(ws.dwt.begin(), ws.dwt.end(), T(0));
    ly::dense_backward<T>(ws.hn.data(), t, D, ws.wout_t.data(), V, dlogits, ws.dh.data(),
                          ws.dwt.data(), nullptr, prec_);
    T* ge = g[L_.embedding];
    for (int v = 0; v < V; ++v)
      for (int d = 0; d < D; ++d) ge[std::size_t(v) * D + d] += ws.dwt[std::size_t(d) * V + v];
  } else {
    ly::dense_backward<T>(ws.hn.data(), t, D, p[L_.output], V, dlogits, ws.dh.data(), g[L_.output],
                          nullptr, prec_);
  }
  ly::rms_norm_backward<T>(ws.x_out.data(), t, D, p[L_.output_norm], ws.rn.data(), ws.dh.data(),
                           ws.dx.data(), g[L_.output_norm]);
  T* dx = ws.dx.data();
  T* dh = ws.dh.data();
  T* tmp = ws.tmp.data();
  for (int l = cfg_.layers - 1; l >= 0; --l) {
    const auto& B = L_.blocks[std::size_t(l)];
    auto& S = ws.blocks[std::size_t(l)];
    // MLP: x = x1 + Wdown(silu(Wgate h2) * Wup h2)
    ly::dense_backward<T>(S.s.data(), t, F, p[B.w_down], D, dx, ws.ds.data(), g[B.w_down], nullptr,
                          prec_);
    ly::swiglu_backward<T>(S.gate.data(), S.up.data(), ws.ds.data(), n * F, ws.dgate.data(),
                           ws.dup.data());
    ly::dense_backward<T>(S.h2.data(), t, D, p[B.w_gate], F, ws.dgate.data(), dh, g[B.w_gate],
                          nullptr, prec_);
    ly::dense_backward<T>(S.h2.data(), t, D, p[B.w_up], F, ws.dup.data(), tmp, g[B.w_up], nullptr,
                          prec_);
    add_into(dh, tmp, n * D);
    ly::rms_norm_backward<T>(S.x1.data(), t, D, p[B.mlp_norm], S.r2.data(), dh, tmp, g[B.mlp_norm]);
    add_into(dx, tmp, n * D);
    // attention: x1 = x0 + Wo GQA(RoPE(Wq h1), RoPE(Wk h1), Wv h1)
    ly::dense_backward<T>(S.a.data(), t, Q, p[B.wo], D, dx, ws.da.data(), g[B.wo], nullptr, prec_);
    ly::gqa_backward<T>(S.q.data(), t, S.k.data(), S.v.data(), t, S.probs.data(), ws.da.data(), NH,
                        NKV, HD, true, ws.dq.data(), ws.dk.data(), ws.dv.data());
    ly::rope_backward<T>(ws.dq.data(), t, NH, HD, 0, theta, ws.dq.data());
    ly::rope_backward<T>(ws.dk.data(), t, NKV, HD, 0, theta, ws.dk.data());
    ly::dense_backward<T>(S.h1.data(), t, D, p[B.wq], Q, ws.dq.data(), dh, g[B.wq], nullptr, prec_);
    ly::dense_backward<T>(S.h1.data(), t, D, p[B.wk], KV, ws.dk.data(), tmp, g[B.wk], nullptr,
                          prec_);
    add_into(dh, tmp, n * D);
    ly::dense_backward<T>(S.h1.data(), t, D, p[B.wv], KV, ws.dv.data(), tmp, g[B.wv], nullptr,
                          prec_);
    add_into(dh, tmp, n * D);
    ly::rms_norm_backward<T>(S.x0.data(), t, D, p[B.attn_norm], S.r1.data(), dh, tmp,
                             g[B.attn_norm]);
    add_into(dx, tmp, n * D);
  }
  ly::embedding_lookup_backward<T>(dx, ws.tokens.data(), t, D, g[L_.embedding]);
}

template <class T>
const T* LmGraph<T>::logits(const LmWorkspace<T>& ws) {
  return ws.logits.data();
}
template <class T>
int LmGraph<T>::length(const LmWorkspace<T>& ws) {
  return ws.t;
}

template <class T>
double sequence_loss(const LmGraph<T>& g, const std::vector<const T*>& p, const int* inputs,
                     const int* targets, int t, LmWorkspace<T>& ws, const std::vector<T*>* grads,
                     T scale) {
  g.forward(p, inputs, t, ws);
  const int V = g.config().vocab;
  if (grads) train::resize_buffer(ws.dlogits, std::size_t(t) * V);
  const T mean = train::softmax_cross_entropy<T>(LmGraph<T>::logits(ws), t, V, targets, -1,
                                                 grads ? ws.dlogits.data() : nullptr, nullptr);
  if (grads) {
    for (auto& v : ws.dlogits) v *= scale * T(t);
    g.backward(p, ws, ws.dlogits.data(), *grads);
  }
  return double(mean) * t;
}

template double sequence_loss<float>(const LmGraph<float>&, const std::vector<const float*>&,
                                     const int*, const int*, int, LmWorkspace<float>&,
                                     const std::vector<float*>*, float);
template double sequence_loss<double>(const LmGraph<double>&, const std::vector<const double*>&,
                                      const int*, const int*, int, LmWorkspace<double>&,
                                      const std::vector<double*>*, double);

template class LmGraph<float>;
template class LmGraph<double>;

}  // namespace dotakv::lm
