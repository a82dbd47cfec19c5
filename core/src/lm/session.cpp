#include "dotakv/lm/session.hpp"

// GCC 12 reports a false -Wmaybe-uninitialized inside Eigen's AVX-512 transpose intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <Eigen/Core>
#include <algorithm>
#include <string>

#include "dotakv/error.hpp"
#include "dotakv/layers/attention.hpp"
#include "dotakv/layers/rmsnorm.hpp"
#include "dotakv/layers/swiglu.hpp"
#include "dotakv/limits.hpp"

namespace dotakv::lm {

namespace ly = dotakv::layers;
using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using CMap = Eigen::Map<const RowMat>;
using MMap = Eigen::Map<RowMat>;

namespace {
std::size_t kv_bytes_per_element(KvPrecision p) {
  return p == KvPrecision::fp32 ? 4 : p == KvPrecision::fp16 ? 2 : 1;
}
}  // namespace

LmSession::LmSession(std::shared_ptr<const LmModel> model, KvPrecision kv)
    : model_(std::move(model)) {
  if (!model_) throw ValueError("lm session: no model");
  const LmConfig& c = model_->config();
  const int D = c.d_model, HD = c.head_dim(), Q = c.heads * HD, KV = c.kv_heads * HD;
  require_memory(std::vector<std::uint64_t>{std::uint64_t(c.layers), 2, std::uint64_t(c.kv_heads),
                                            std::uint64_t(c.max_context), std::uint64_t(HD)},
                 kv_bytes_per_element(kv), "lm session: KV cache");
  cache_.reserve(c.layers, 1, c.kv_heads, c.max_context, HD, kv);
  rope_ = ly::RopeTable(c.max_context, HD, float(c.rope_theta));
  const Layout& L = model_->layout();
  const int W = Q + 2 * KV;
  for (const auto& b : L.blocks) {
    std::vector<float> w(std::size_t(D) * W);
    for (int r = 0; r < D; ++r) {
      float* row = w.data() + std::size_t(r) * W;
      std::copy_n(model_->data(b.wq) + std::size_t(r) * Q, Q, row);
      std::copy_n(model_->data(b.wk) + std::size_t(r) * KV, KV, row + Q);
      std::copy_n(model_->data(b.wv) + std::size_t(r) * KV, KV, row + Q + KV);
    }
    wqkv_.push_back(std::move(w));
  }
  tokens_.reserve(std::size_t(c.max_context));
  logits_.assign(std::size_t(c.vocab), 0.f);
  ensure_rows(1);
}

void LmSession::ensure_rows(int rows) {
  if (rows <= rows_) return;
  const LmConfig& c = model_->config();
  const std::size_t n = std::size_t(rows), D = std::size_t(c.d_model),
                    Q = std::size_t(c.heads) * c.head_dim(),
                    KV = std::size_t(c.kv_heads) * c.head_dim(), F = std::size_t(c.ffn);
  x_.resize(n * D);
  h_.resize(n * std::max(D, Q));
  qkv_.resize(n * (Q + 2 * KV));
  att_.resize(n * Q);
  gate_.resize(n * F);
  up_.resize(n * F);
  rows_ = rows;
}

void LmSession::reset() {
  cache_.reset();
  tokens_.clear();
}

void LmSession::check(const int* tokens, int n, int base) const {
  const LmConfig& c = model_->config();
  if (n < 1) throw ValueError("lm session: empty input (expected at least one token)");
  for (int i = 0; i < n; ++i)
    if (tokens[i] < 0 || tokens[i] >= c.vocab)
      throw ValueError("lm session: token id " + std::to_string(tokens[i]) + " at position " +
                       std::to_string(base + i) + " outside the vocabulary 0.." +
                       std::to_string(c.vocab - 1));
  if (base + n > c.max_context) {
    if (base == 0)
      throw ValueError("lm session: prompt of " + std::to_string(n) +
                       " tokens exceeds the model's context of " + std::to_string(c.max_context));
    throw ValueError("lm session: context full: " + std::to_string(base) + " + " +
                     std::to_string(n) + " tokens exceed the model's context of " +
                     std::to_string(c.max_context));
  }
}

const float* LmSession::prefill(const std::vector<int>& tokens, float* all_logits) {
  check(tokens.data(), int(tokens.size()), 0);  // before the old sequence is dropped
  reset();
  return append(tokens.data(), int(tokens.size()), all_logits);
}

const float* LmSession::decode(int token) {
  return append(&token, 1, nullptr);
}

const float* LmSession::append(const int* tokens, int n, float* all_logits) {
  check(tokens, n, length());
  const int p0 = length();
  tokens_.insert(tokens_.end(), tokens, tokens + n);
  if (cache_on_) {
    run(tokens, n, p0, 0, all_logits);
  } else {
    // the honest baseline: the whole sequence again from an empty cache
    ensure_rows(model_->config().max_context);
    cache_.reset();
    run(tokens_.data(), length(), 0, p0, all_logits);
  }
  return logits_.data();
}

void LmSession::run(const int* tokens, int n, int p0, int first_out, float* out) {
  const LmConfig& c = model_->config();
  const Layout& L = model_->layout();
  const int D = c.d_model, NH = c.heads, NKV = c.kv_heads, HD = c.head_dim(), F = c.ffn,
            V = c.vocab;
  const int Q = NH * HD, KV = NKV * HD, W = Q + 2 * KV;
  const float eps = float(c.norm_eps);
  ensure_rows(n);
  for (int i = 0; i < n; ++i)
    std::copy_n(model_->data(L.embedding) + std::size_t(tokens[i]) * D, D,
                x_.data() + std::size_t(i) * D);
  MMap X(x_.data(), n, D);
  for (int l = 0; l < c.layers; ++l) {
    const auto& B = L.blocks[std::size_t(l)];
    // attention: x += Wo GQA(RoPE(q), RoPE(k), v), k/v appended to the cache
    ly::rms_norm(x_.data(), n, D, model_->data(B.attn_norm), eps, h_.data());
    MMap(qkv_.data(), n, W).noalias() =
        CMap(h_.data(), n, D) * CMap(wqkv_[std::size_t(l)].data(), D, W);
    ly::rope_apply(rope_, qkv_.data(), W, n, p0, NH);       // queries
    ly::rope_apply(rope_, qkv_.data() + Q, W, n, p0, NKV);  // keys
    cache_.append(l, 0, n, qkv_.data() + Q, qkv_.data() + Q + KV, W);
    ly::attention_rows(qkv_.data(), W, 1, n, p0, cache_, l, true, att_.data(), Q, nullptr,
                       c.group());
    X.noalias() += CMap(att_.data(), n, Q) * CMap(model_->data(B.wo), Q, D);
    // MLP: x += Wdown (silu(Wgate h) * Wup h)
    ly::rms_norm(x_.data(), n, D, model_->data(B.mlp_norm), eps, h_.data());
    CMap H(h_.data(), n, D);
    MMap(gate_.data(), n, F).noalias() = H * CMap(model_->data(B.w_gate), D, F);
    MMap(up_.data(), n, F).noalias() = H * CMap(model_->data(B.w_up), D, F);
    ly::swiglu_forward<float>(gate_.data(), up_.data(), std::size_t(n) * F, gate_.data());
    X.noalias() += CMap(gate_.data(), n, F) * CMap(model_->data(B.w_down), F, D);
  }
  // head: logits of rows [first_out, n) (or of the last row)
  const int r0 = out ? first_out : n - 1, rows = n - r0;
  ly::rms_norm(x_.data() + std::size_t(r0) * D, rows, D, model_->data(L.output_norm), eps,
               h_.data());
  float* dst = out ? out : logits_.data();
  CMap Hn(h_.data(), rows, D);
  if (L.output < 0)
    MMap(dst, rows, V).noalias() = Hn * CMap(model_->data(L.embedding), V, D).transpose();
  else
    MMap(dst, rows, V).noalias() = Hn * CMap(model_->data(L.output), D, V);
  if (out) std::copy_n(out + std::size_t(rows - 1) * V, V, logits_.data());
}

}  // namespace dotakv::lm
