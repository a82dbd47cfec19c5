#include "dotakv/train/graph.hpp"

#include <omp.h>

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "dotakv/error.hpp"
#include "dotakv/layers/activation.hpp"
#include "dotakv/layers/attention.hpp"
#include "dotakv/layers/conv2d.hpp"
#include "dotakv/layers/conv_transpose.hpp"
#include "dotakv/layers/dense.hpp"
#include "dotakv/layers/embedding.hpp"
#include "dotakv/layers/group_norm.hpp"
#include "dotakv/layers/layer_norm.hpp"
#include "dotakv/layers/pooling.hpp"

namespace dotakv::train {

// ---------------------------------------------------------------- ParamSet
template <class T>
ParamSet<T> ParamSet<T>::from_model(const Model& m) {
  ParamSet<T> p;
  m.for_each_tensor(
      [&](const std::string& name, const std::vector<long long>& shape, const Tensor& t) {
        p.names.push_back(name);
        p.shapes.push_back(shape);
        p.values.emplace_back(t.data.begin(), t.data.end());
      });
  return p;
}

template <class T>
ParamSet<T> ParamSet<T>::zeros_like() const {
  ParamSet<T> z;
  z.names = names;
  z.shapes = shapes;
  for (const auto& v : values) z.values.emplace_back(v.size(), T(0));
  return z;
}

template <class T>
void ParamSet<T>::set_zero() {
  for (auto& v : values) std::fill(v.begin(), v.end(), T(0));
}

template <class T>
void ParamSet<T>::to_weights(const ModelConfig& cfg, ModelWeights& w) const {
  std::size_t i = 0;
  Model::for_each_tensor(
      cfg, w, [&](const std::string& name, const std::vector<long long>& shape, Tensor& t) {
        if (i >= names.size() || names[i] != name ||
            values[i].size() != std::size_t(Tensor(shape).numel()))
          throw ShapeError("parameter set: tensor '" + name + "' missing or of the wrong size");
        t.shape = shape;
        t.data.assign(values[i].begin(), values[i].end());
        ++i;
      });
}

template <class T>
std::size_t ParamSet<T>::index(const std::string& name) const {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return i;
  throw ValueError("parameter set: no tensor named '" + name + "'");
}

template <class T>
std::size_t ParamSet<T>::total_size() const {
  std::size_t n = 0;
  for (const auto& v : values) n += v.size();
  return n;
}

template struct ParamSet<float>;
template struct ParamSet<double>;

ParamList param_list(ParamSet<float>& params, ParamSet<float>& grads) {
  ParamList l;
  for (std::size_t i = 0; i < params.names.size(); ++i) {
    const std::string& n = params.names[i];
    const bool decay =
        (n.size() >= 6 && n.compare(n.size() - 6, 6, "kernel") == 0) || n == "position_embedding";
    l.push_back(
        {n, params.values[i].data(), grads.values[i].data(), params.values[i].size(), decay});
  }
  return l;
}

std::shared_ptr<const Model> model_from_params(const Model& like, const ParamSet<float>& params) {
  ModelWeights w;
  params.to_weights(like.config(), w);
  auto m = std::make_shared<Model>(like.config(), std::move(w), like.scaling());
  m->set_description(like.description());
  return m;
}

// ---------------------------------------------------------------- Workspace
template <class T>
struct Workspace {
  struct Block {
    std::vector<T> x_in, h1, ln1_mean, ln1_rstd, q, k, v, probs, att, x_mid, h2, ln2_mean, ln2_rstd,
        f1_pre, f1, f2_pre;
  };
  T e = 0;
  std::vector<T> x0;                              // [S, H, W]
  std::vector<T> a1, g1, r1, a2, g2, r2, a3, r3;  // encoder
  std::vector<int> arg1, arg2;                    // max-pool winners
  std::vector<T> gn_mean[3], gn_rstd[3];          // encoder GN stats
  std::vector<T> tokens;                          // [T, D] after embedding
  std::vector<Block> blocks;                      // per transformer block
  std::vector<T> x_out;                           // [T, D]
  std::vector<T> d1, rd1, d2, rd2;                // decoder
  std::vector<T> dgn_mean[2], dgn_rstd[2];        // decoder GN stats
  // backward scratch
  std::vector<T> gd2, gd2n, gd1, gd1n, ge3, ge2r, ge2, ge2n, ge1r, ge1, ge1n, g_tok, g_x, g_h, g_q,
      g_k, g_v, g_att, g_f1, g_f2;
};

namespace {
template <class T>
void fit(std::vector<T>& v, std::size_t n) {
  if (v.size() != n) v.assign(n, T(0));
}
}  // namespace

template <class T>
Graph<T>::Graph(const ModelConfig& cfg, ComputePrecision prec) : cfg_(cfg), prec_(prec) {
  cfg_.validate();
  if (std::is_same_v<T, double> && prec != ComputePrecision::fp32)
    throw ValueError("Graph<double>: only fp32 compute exists in double (found bf16)");
}
template <class T>
Graph<T>::~Graph() = default;

template <class T>
std::shared_ptr<Workspace<T>> Graph<T>::make_workspace() const {
  return std::make_shared<Workspace<T>>();
}

template <class T>
void Graph<T>::forward(const ParamSet<T>& p, const T* x, T e, Workspace<T>& ws, T* out) const {
  const ModelConfig& c = cfg_;
  const int S = c.num_slices, H = c.rows(), W = c.cols(), C = c.conv_channels,
            P = c.bottleneck_channels(), K = c.kernel_size, D = c.token_dim(), NT = c.num_tokens,
            NH = c.num_heads, KD = c.key_dim, NHKD = NH * KD, G = c.enc_groups(),
            G3 = c.bottleneck_groups();
  const std::size_t HW = std::size_t(H) * W;
  auto P_ = [&](const std::string& n) { return p.values[p.index(n)].data(); };
  const T eps_gn = T(layers::kGroupNormEps), eps_ln = T(layers::kLayerNormEps);

  ws.e = e;
  ws.x0.assign(x, x + std::size_t(S) * HW);
  // encoder
  fit(ws.a1, S * HW * C);
  fit(ws.g1, S * HW * C);
  fit(ws.r1, S * HW * C / 4);
  fit(ws.arg1, S * HW * C / 4);
  fit(ws.a2, S * HW * C / 4);
  fit(ws.g2, S * HW * C / 4);
  fit(ws.r2, S * HW * C / 16);
  fit(ws.arg2, S * HW * C / 16);
  fit(ws.a3, S * HW * P / 16);
  fit(ws.r3, S * HW * P / 16);
  for (int i = 0; i < 2; ++i) fit(ws.gn_mean[i], S * G), fit(ws.gn_rstd[i], S * G);
  fit(ws.gn_mean[2], S * G3);
  fit(ws.gn_rstd[2], S * G3);
  layers::conv2d_same_forward(ws.x0.data(), S, H, W, 1, P_("encoder/conv1/kernel"),
                              static_cast<const T*>(nullptr), K, C, ws.a1.data(), prec_);
  layers::group_norm_forward(ws.a1.data(), S, int(HW), C, G, P_("encoder/gn1/gamma"),
                             P_("encoder/gn1/beta"), eps_gn, ws.g1.data(), ws.gn_mean[0].data(),
                             ws.gn_rstd[0].data());
  layers::maxpool2_forward(ws.g1.data(), S, H, W, C, ws.r1.data(), ws.arg1.data());
  layers::relu_forward(ws.r1.data(), ws.r1.size(), ws.r1.data());
  layers::conv2d_same_forward(ws.r1.data(), S, H / 2, W / 2, C, P_("encoder/conv2/kernel"),
                              static_cast<const T*>(nullptr), K, C, ws.a2.data(), prec_);
  layers::group_norm_forward(ws.a2.data(), S, int(HW / 4), C, G, P_("encoder/gn2/gamma"),
                             P_("encoder/gn2/beta"), eps_gn, ws.g2.data(), ws.gn_mean[1].data(),
                             ws.gn_rstd[1].data());
  layers::maxpool2_forward(ws.g2.data(), S, H / 2, W / 2, C, ws.r2.data(), ws.arg2.data());
  layers::relu_forward(ws.r2.data(), ws.r2.size(), ws.r2.data());
  layers::conv2d_same_forward(ws.r2.data(), S, H / 4, W / 4, C, P_("encoder/conv3/kernel"),
                              static_cast<const T*>(nullptr), K, P, ws.a3.data(), prec_);
  layers::group_norm_forward(ws.a3.data(), S, int(HW / 16), P, G3, P_("encoder/gn3/gamma"),
                             P_("encoder/gn3/beta"), eps_gn, ws.r3.data(), ws.gn_mean[2].data(),
                             ws.gn_rstd[2].data());
  layers::relu_forward(ws.r3.data(), ws.r3.size(), ws.r3.data());
  // tokens
  fit(ws.tokens, std::size_t(NT) * D);
  layers::embed_tokens_forward(ws.r3.data(), e, P_("energy/kernel"), P_("energy/bias"),
                               P_("position_embedding"), NT, D, ws.tokens.data());
  // transformer
  ws.blocks.resize(std::size_t(c.num_transformers));
  const std::vector<T>* xcur = &ws.tokens;
  const std::size_t TD = std::size_t(NT) * D, TQ = std::size_t(NT) * NHKD;
  for (int l = 0; l < c.num_transformers; ++l) {
    auto& b = ws.blocks[std::size_t(l)];
    const std::string pre = "transformer_" + std::to_string(l) + "/";
    b.x_in = *xcur;
    fit(b.h1, TD), fit(b.ln1_mean, NT), fit(b.ln1_rstd, NT);
    layers::layer_norm_forward(b.x_in.data(), NT, D, P_(pre + "ln1/gamma"), P_(pre + "ln1/beta"),
                               eps_ln, b.h1.data(), b.ln1_mean.data(), b.ln1_rstd.data());
    fit(b.q, TQ), fit(b.k, TQ), fit(b.v, TQ), fit(b.att, TQ);
    fit(b.probs, std::size_t(NH) * NT * NT);
    const T* none = nullptr;
    layers::dense_forward(b.h1.data(), NT, D, P_(pre + "attention/query/kernel"), none, NHKD,
                          b.q.data(), prec_);
    layers::dense_forward(b.h1.data(), NT, D, P_(pre + "attention/key/kernel"), none, NHKD,
                          b.k.data(), prec_);
    layers::dense_forward(b.h1.data(), NT, D, P_(pre + "attention/value/kernel"), none, NHKD,
                          b.v.data(), prec_);
    layers::mha_forward(b.q.data(), b.k.data(), b.v.data(), NT, NH, KD, c.causal, b.probs.data(),
                        b.att.data());
    fit(b.x_mid, TD);
    layers::dense_forward(b.att.data(), NT, NHKD, P_(pre + "attention/output/kernel"), none, D,
                          b.x_mid.data(), prec_);
    for (std::size_t i = 0; i < TD; ++i) b.x_mid[i] += b.x_in[i];
    fit(b.h2, TD), fit(b.ln2_mean, NT), fit(b.ln2_rstd, NT);
    layers::layer_norm_forward(b.x_mid.data(), NT, D, P_(pre + "ln2/gamma"), P_(pre + "ln2/beta"),
                               eps_ln, b.h2.data(), b.ln2_mean.data(), b.ln2_rstd.data());
    fit(b.f1_pre, TD), fit(b.f1, TD), fit(b.f2_pre, TD);
    layers::dense_forward(b.h2.data(), NT, D, P_(pre + "ffn1/kernel"), P_(pre + "ffn1/bias"), D,
                          b.f1_pre.data(), prec_);
    layers::gelu_forward(b.f1_pre.data(), TD, b.f1.data());
    layers::dense_forward(b.f1.data(), NT, D, P_(pre + "ffn2/kernel"), P_(pre + "ffn2/bias"), D,
                          b.f2_pre.data(), prec_);
    fit(ws.x_out, TD);
    layers::gelu_forward(b.f2_pre.data(), TD, ws.x_out.data());
    for (std::size_t i = 0; i < TD; ++i) ws.x_out[i] += b.x_mid[i];
    xcur = &ws.x_out;
  }
  if (c.num_transformers == 0) ws.x_out = ws.tokens;
  // decoder over tokens 1..S
  const T* dec_in = ws.x_out.data() + D;
  fit(ws.d1, S * HW * C / 4), fit(ws.rd1, S * HW * C / 4);
  fit(ws.d2, S * HW * C), fit(ws.rd2, S * HW * C);
  for (int i = 0; i < 2; ++i) fit(ws.dgn_mean[i], S * G), fit(ws.dgn_rstd[i], S * G);
  layers::conv_transpose2_forward(dec_in, S, H / 4, W / 4, P, P_("decoder/deconv1/kernel"), K, C,
                                  ws.d1.data(), prec_);
  layers::group_norm_forward(ws.d1.data(), S, int(HW / 4), C, G, P_("decoder/gn1/gamma"),
                             P_("decoder/gn1/beta"), eps_gn, ws.rd1.data(), ws.dgn_mean[0].data(),
                             ws.dgn_rstd[0].data());
  layers::relu_forward(ws.rd1.data(), ws.rd1.size(), ws.rd1.data());
  layers::conv_transpose2_forward(ws.rd1.data(), S, H / 2, W / 2, C, P_("decoder/deconv2/kernel"),
                                  K, C, ws.d2.data(), prec_);
  layers::group_norm_forward(ws.d2.data(), S, int(HW), C, G, P_("decoder/gn2/gamma"),
                             P_("decoder/gn2/beta"), eps_gn, ws.rd2.data(), ws.dgn_mean[1].data(),
                             ws.dgn_rstd[1].data());
  layers::relu_forward(ws.rd2.data(), ws.rd2.size(), ws.rd2.data());
  layers::conv2d_same_forward(ws.rd2.data(), S, H, W, C, P_("decoder/conv/kernel"),
                              P_("decoder/conv/bias"), K, 1, out, prec_);
}

template <class T>
void Graph<T>::backward(const ParamSet<T>& p, Workspace<T>& ws, const T* dout,
                        ParamSet<T>& grads) const {
  const ModelConfig& c = cfg_;
  const int S = c.num_slices, H = c.rows(), W = c.cols(), C = c.conv_channels,
            P = c.bottleneck_channels(), K = c.kernel_size, D = c.token_dim(), NT = c.num_tokens,
            NH = c.num_heads, KD = c.key_dim, NHKD = NH * KD, G = c.enc_groups(),
            G3 = c.bottleneck_groups();
  const std::size_t HW = std::size_t(H) * W, TD = std::size_t(NT) * D, TQ = std::size_t(NT) * NHKD;
  auto P_ = [&](const std::string& n) { return p.values[p.index(n)].data(); };
  auto G_ = [&](const std::string& n) { return grads.values[grads.index(n)].data(); };
  T* const none = nullptr;

  // decoder (every gradient buffer has a fixed size, so fit() allocates only once)
  fit(ws.gd2, S * HW * C);
  fit(ws.gd2n, S * HW * C);
  layers::conv2d_same_backward(ws.rd2.data(), S, H, W, C, P_("decoder/conv/kernel"), K, 1, dout,
                               ws.gd2.data(), G_("decoder/conv/kernel"), G_("decoder/conv/bias"),
                               prec_);
  layers::relu_backward(ws.rd2.data(), ws.gd2.data(), ws.gd2.size(), ws.gd2.data());
  layers::group_norm_backward(ws.d2.data(), S, int(HW), C, G, P_("decoder/gn2/gamma"),
                              ws.dgn_mean[1].data(), ws.dgn_rstd[1].data(), ws.gd2.data(),
                              ws.gd2n.data(), G_("decoder/gn2/gamma"), G_("decoder/gn2/beta"));
  fit(ws.gd1, S * HW * C / 4);
  fit(ws.gd1n, S * HW * C / 4);
  layers::conv_transpose2_backward(ws.rd1.data(), S, H / 2, W / 2, C, P_("decoder/deconv2/kernel"),
                                   K, C, ws.gd2n.data(), ws.gd1.data(),
                                   G_("decoder/deconv2/kernel"), prec_);
  layers::relu_backward(ws.rd1.data(), ws.gd1.data(), ws.gd1.size(), ws.gd1.data());
  layers::group_norm_backward(ws.d1.data(), S, int(HW / 4), C, G, P_("decoder/gn1/gamma"),
                              ws.dgn_mean[0].data(), ws.dgn_rstd[0].data(), ws.gd1.data(),
                              ws.gd1n.data(), G_("decoder/gn1/gamma"), G_("decoder/gn1/beta"));
  fit(ws.g_x, TD);
  std::fill(ws.g_x.begin(), ws.g_x.begin() + D, T(0));
  layers::conv_transpose2_backward(ws.x_out.data() + D, S, H / 4, W / 4, P,
                                   P_("decoder/deconv1/kernel"), K, C, ws.gd1n.data(),
                                   ws.g_x.data() + D, G_("decoder/deconv1/kernel"), prec_);
  // transformer, last block first; g_x holds dL/d(block output)
  fit(ws.g_h, TD), fit(ws.g_f1, TD), fit(ws.g_f2, TD);
  fit(ws.g_q, TQ), fit(ws.g_k, TQ), fit(ws.g_v, TQ), fit(ws.g_att, TQ);
  for (int l = c.num_transformers - 1; l >= 0; --l) {
    auto& b = ws.blocks[std::size_t(l)];
    const std::string pre = "transformer_" + std::to_string(l) + "/";
    // FFN branch: x_out = x_mid + gelu(f2_pre)
    layers::gelu_backward(b.f2_pre.data(), ws.g_x.data(), TD, ws.g_f2.data());
    layers::dense_backward(b.f1.data(), NT, D, P_(pre + "ffn2/kernel"), D, ws.g_f2.data(),
                           ws.g_f1.data(), G_(pre + "ffn2/kernel"), G_(pre + "ffn2/bias"), prec_);
    layers::gelu_backward(b.f1_pre.data(), ws.g_f1.data(), TD, ws.g_f1.data());
    layers::dense_backward(b.h2.data(), NT, D, P_(pre + "ffn1/kernel"), D, ws.g_f1.data(),
                           ws.g_h.data(), G_(pre + "ffn1/kernel"), G_(pre + "ffn1/bias"), prec_);
    layers::layer_norm_backward(b.x_mid.data(), NT, D, P_(pre + "ln2/gamma"), b.ln2_mean.data(),
                                b.ln2_rstd.data(), ws.g_h.data(), ws.g_f2.data(),
                                G_(pre + "ln2/gamma"), G_(pre + "ln2/beta"));
    for (std::size_t i = 0; i < TD; ++i) ws.g_x[i] += ws.g_f2[i];  // dL/dx_mid
    // attention branch: x_mid = x_in + att Wo
    layers::dense_backward(b.att.data(), NT, NHKD, P_(pre + "attention/output/kernel"), D,
                           ws.g_x.data(), ws.g_att.data(), G_(pre + "attention/output/kernel"),
                           none, prec_);
    layers::mha_backward(b.q.data(), b.k.data(), b.v.data(), b.probs.data(), ws.g_att.data(), NT,
                         NH, KD, c.causal, ws.g_q.data(), ws.g_k.data(), ws.g_v.data());
    layers::dense_backward(b.h1.data(), NT, D, P_(pre + "attention/query/kernel"), NHKD,
                           ws.g_q.data(), ws.g_h.data(), G_(pre + "attention/query/kernel"), none,
                           prec_);
    layers::dense_backward(b.h1.data(), NT, D, P_(pre + "attention/key/kernel"), NHKD,
                           ws.g_k.data(), ws.g_f1.data(), G_(pre + "attention/key/kernel"), none,
                           prec_);
    for (std::size_t i = 0; i < TD; ++i) ws.g_h[i] += ws.g_f1[i];
    layers::dense_backward(b.h1.data(), NT, D, P_(pre + "attention/value/kernel"), NHKD,
                           ws.g_v.data(), ws.g_f1.data(), G_(pre + "attention/value/kernel"), none,
                           prec_);
    for (std::size_t i = 0; i < TD; ++i) ws.g_h[i] += ws.g_f1[i];
    layers::layer_norm_backward(b.x_in.data(), NT, D, P_(pre + "ln1/gamma"), b.ln1_mean.data(),
                                b.ln1_rstd.data(), ws.g_h.data(), ws.g_f2.data(),
                                G_(pre + "ln1/gamma"), G_(pre + "ln1/beta"));
    for (std::size_t i = 0; i < TD; ++i) ws.g_x[i] += ws.g_f2[i];  // dL/dx_in
  }
  // embedding
  fit(ws.g_tok, std::size_t(S) * D);
  layers::embed_tokens_backward(ws.g_x.data(), ws.e, NT, D, ws.g_tok.data(), G_("energy/kernel"),
                                G_("energy/bias"), G_("position_embedding"));
  // encoder
  layers::relu_backward(ws.r3.data(), ws.g_tok.data(), ws.g_tok.size(), ws.g_tok.data());
  fit(ws.ge3, S * HW * P / 16);
  layers::group_norm_backward(ws.a3.data(), S, int(HW / 16), P, G3, P_("encoder/gn3/gamma"),
                              ws.gn_mean[2].data(), ws.gn_rstd[2].data(), ws.g_tok.data(),
                              ws.ge3.data(), G_("encoder/gn3/gamma"), G_("encoder/gn3/beta"));
  fit(ws.ge2r, S * HW * C / 16);
  layers::conv2d_same_backward(ws.r2.data(), S, H / 4, W / 4, C, P_("encoder/conv3/kernel"), K, P,
                               ws.ge3.data(), ws.ge2r.data(), G_("encoder/conv3/kernel"), none,
                               prec_);
  layers::relu_backward(ws.r2.data(), ws.ge2r.data(), ws.ge2r.size(), ws.ge2r.data());
  fit(ws.ge2, S * HW * C / 4);
  fit(ws.ge2n, S * HW * C / 4);
  layers::maxpool2_backward(ws.ge2r.data(), ws.arg2.data(), S, H / 2, W / 2, C, ws.ge2.data());
  layers::group_norm_backward(ws.a2.data(), S, int(HW / 4), C, G, P_("encoder/gn2/gamma"),
                              ws.gn_mean[1].data(), ws.gn_rstd[1].data(), ws.ge2.data(),
                              ws.ge2n.data(), G_("encoder/gn2/gamma"), G_("encoder/gn2/beta"));
  fit(ws.ge1r, S * HW * C / 4);
  layers::conv2d_same_backward(ws.r1.data(), S, H / 2, W / 2, C, P_("encoder/conv2/kernel"), K, C,
                               ws.ge2n.data(), ws.ge1r.data(), G_("encoder/conv2/kernel"), none,
                               prec_);
  layers::relu_backward(ws.r1.data(), ws.ge1r.data(), ws.ge1r.size(), ws.ge1r.data());
  fit(ws.ge1, S * HW * C);
  fit(ws.ge1n, S * HW * C);
  layers::maxpool2_backward(ws.ge1r.data(), ws.arg1.data(), S, H, W, C, ws.ge1.data());
  layers::group_norm_backward(ws.a1.data(), S, int(HW), C, G, P_("encoder/gn1/gamma"),
                              ws.gn_mean[0].data(), ws.gn_rstd[0].data(), ws.ge1.data(),
                              ws.ge1n.data(), G_("encoder/gn1/gamma"), G_("encoder/gn1/beta"));
  layers::conv2d_same_backward(ws.x0.data(), S, H, W, 1, P_("encoder/conv1/kernel"), K, C,
                               ws.ge1n.data(), none, G_("encoder/conv1/kernel"), none, prec_);
}

template class Graph<float>;
template class Graph<double>;

// ---------------------------------------------------------------- batches
BatchScratch::BatchScratch() = default;
BatchScratch::~BatchScratch() = default;

double loss_and_gradients(const Graph<float>& g, const ParamSet<float>& p,
                          const std::vector<ScaledSample>& batch, LossKind kind, float alpha,
                          ParamSet<float>& grads, BatchScratch& sc) {
  const int B = int(batch.size());
  if (B < 1) throw ValueError("loss_and_gradients: empty batch");
  const ModelConfig& c = g.config();
  const std::size_t n = std::size_t(c.num_slices) * c.rows() * c.cols();
  const int nt = std::max(1, std::min(omp_get_max_threads(), B));
  while (int(sc.ws.size()) < nt) {
    sc.ws.push_back(g.make_workspace());
    sc.grads.push_back(p.zeros_like());
    sc.out.emplace_back(n);
    sc.dout.emplace_back(n);
  }
  std::vector<double> losses(std::size_t(B), 0.0);
#pragma omp parallel num_threads(nt)
  {
    const int t = omp_get_thread_num();
    // kernels called from here run on this thread only (oneDNN would otherwise plan for more
    // threads than a nested region gets, and its multi-threaded reductions would wait forever)
    omp_set_num_threads(1);
    auto& gt = sc.grads[std::size_t(t)];
    gt.set_zero();
    // static contiguous assignment of samples to threads: deterministic per thread count
    const int b0 = B * t / nt, b1 = B * (t + 1) / nt;
    for (int b = b0; b < b1; ++b) {
      const auto& s = batch[std::size_t(b)];
      float* out = sc.out[std::size_t(t)].data();
      float* dout = sc.dout[std::size_t(t)].data();
      g.forward(p, s.x, s.e, *sc.ws[std::size_t(t)], out);
      losses[std::size_t(b)] = kind == LossKind::mse
                                   ? mse_loss(out, s.y, n, dout)
                                   : dose_weighted_mse_loss(out, s.y, n, alpha, dout);
      const float inv_b = 1.f / float(B);
      for (std::size_t i = 0; i < n; ++i) dout[i] *= inv_b;
      g.backward(p, *sc.ws[std::size_t(t)], dout, gt);
    }
  }
  for (std::size_t i = 0; i < grads.values.size(); ++i) {
    auto& dst = grads.values[i];
    std::copy(sc.grads[0].values[i].begin(), sc.grads[0].values[i].end(), dst.begin());
    for (int t = 1; t < nt; ++t) {
      const auto& src = sc.grads[std::size_t(t)].values[i];
      for (std::size_t j = 0; j < dst.size(); ++j) dst[j] += src[j];
    }
  }
  double loss = 0.0;
  for (double l : losses) loss += l;
  return loss / B;
}

}  // namespace dotakv::train
