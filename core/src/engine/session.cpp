#include "dotakv/session.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "dotakv/error.hpp"
#include "dotakv/kernels.hpp"
#include "dotakv/layers/attention.hpp"
#include "dotakv/layers/embedding.hpp"
#include "dotakv/layers/group_norm.hpp"
#include "dotakv/layers/layer_norm.hpp"
#include "dotakv/layers/pooling.hpp"
#include "dotakv/sysinfo.hpp"

namespace dotakv {

std::string to_string(Mode m) {
  return m == Mode::full ? "full" : "stream";
}
Mode parse_mode(const std::string& s) {
  if (s == "full") return Mode::full;
  if (s == "stream") return Mode::stream;
  throw ConfigError("mode: expected full|stream, found '" + s + "'");
}

nlohmann::json SessionOptions::to_json() const {
  return {{"mode", to_string(mode)},
          {"cache", cache},
          {"chunk", chunk},
          {"kv_precision", to_string(kv_precision)},
          {"precision", to_string(precision)},
          {"threads", threads},
          {"max_batch", max_batch}};
}

nlohmann::json RunStats::to_json() const {
  return {{"mode", mode},
          {"cache", cache},
          {"batch", batch},
          {"chunk", chunk},
          {"steps", steps},
          {"latency_s", latency_s},
          {"tokens_computed", tokens_computed},
          {"tokens_reused", tokens_reused},
          {"cache_bytes_in_use", cache_bytes_in_use},
          {"cache_bytes_reserved", cache_bytes_reserved},
          {"flops", flops},
          {"kv_precision", kv_precision},
          {"precision", precision}};
}

namespace {
// Keras HWIO [K,K,I,O] -> OIHW
std::vector<float> hwio_to_oihw(const Tensor& t) {
  const auto K = int(t.shape[0]), I = int(t.shape[2]), O = int(t.shape[3]);
  std::vector<float> r(t.data.size());
  for (int kh = 0; kh < K; ++kh)
    for (int kw = 0; kw < K; ++kw)
      for (int i = 0; i < I; ++i)
        for (int o = 0; o < O; ++o)
          r[((std::size_t(o) * I + i) * K + kh) * K + kw] =
              t.data[((std::size_t(kh) * K + kw) * I + i) * O + o];
  return r;
}
// Keras Conv2DTranspose [K,K,O,I] -> OIHW
std::vector<float> hwoi_to_oihw(const Tensor& t) {
  const auto K = int(t.shape[0]), O = int(t.shape[2]), I = int(t.shape[3]);
  std::vector<float> r(t.data.size());
  for (int kh = 0; kh < K; ++kh)
    for (int kw = 0; kw < K; ++kw)
      for (int o = 0; o < O; ++o)
        for (int i = 0; i < I; ++i)
          r[((std::size_t(o) * I + i) * K + kh) * K + kw] =
              t.data[((std::size_t(kh) * K + kw) * O + o) * I + i];
  return r;
}
constexpr int kMaxConvImages = 64;  // conv sub-batch: bounds scratch memory for large batches
}  // namespace

struct Session::Impl {
  const Model& m;
  const ModelConfig& c;
  ComputePrecision prec;
  kernels::Engine eng;
  std::unique_ptr<kernels::Conv> enc1, enc2, enc3, dec1, dec2;
  std::unique_ptr<kernels::ConvToOne> dec3;
  struct Block {
    std::unique_ptr<kernels::Matmul> qkv, wo, ff1, ff2;
  };
  std::vector<Block> blocks;
  KVCache scratch_kv;  // fp32 K/V for full mode and stream without cache
  // scratch
  std::vector<float> conv_in, a1, p1, a2, p2, scale, shift, enc_tokens, X, Hn, QKV, A, F, dec_in,
      d1, d2, dec_out;
  // previous run (prefix reuse)
  bool prev_valid = false;
  std::vector<Volume> prev_x;
  std::vector<float> prev_e;
  std::vector<Volume> prev_raw;

  // bf16 falls back to fp32 where oneDNN has no bf16 kernels (RunStats reports what ran)
  Impl(const Model& model, ComputePrecision p)
      : m(model),
        c(model.config()),
        prec(p == ComputePrecision::bf16 && !kernels::bf16_supported() ? ComputePrecision::fp32
                                                                       : p) {
    build();
  }

  void build() {
    const auto& w = m.weights();
    const int H = c.rows(), W = c.cols(), C = c.conv_channels, P = c.bottleneck_channels(),
              K = c.kernel_size;
    const int D = c.token_dim(), NHKD = c.num_heads * c.key_dim;
    enc1 = std::make_unique<kernels::Conv>(eng, H, W, 1, C, K, false,
                                           hwio_to_oihw(w.enc_conv1).data(), nullptr, prec);
    enc2 = std::make_unique<kernels::Conv>(eng, H / 2, W / 2, C, C, K, false,
                                           hwio_to_oihw(w.enc_conv2).data(), nullptr, prec);
    enc3 = std::make_unique<kernels::Conv>(eng, H / 4, W / 4, C, P, K, false,
                                           hwio_to_oihw(w.enc_conv3).data(), nullptr, prec);
    dec1 = std::make_unique<kernels::Conv>(eng, H / 4, W / 4, P, C, K, true,
                                           hwoi_to_oihw(w.dec_deconv1).data(), nullptr, prec);
    dec2 = std::make_unique<kernels::Conv>(eng, H / 2, W / 2, C, C, K, true,
                                           hwoi_to_oihw(w.dec_deconv2).data(), nullptr, prec);
    dec3 = std::make_unique<kernels::ConvToOne>(eng, H, W, C, K, w.dec_conv.data.data(),
                                                w.dec_conv_bias.data[0], prec);
    blocks.clear();
    for (const auto& bw : w.blocks) {
      Block b;
      // fused QKV weights [D, 3*NH*KD]: row d = [wq[d,:], wk[d,:], wv[d,:]]
      std::vector<float> qkv(std::size_t(D) * 3 * NHKD);
      for (int d = 0; d < D; ++d) {
        std::memcpy(&qkv[std::size_t(d) * 3 * NHKD], &bw.wq.data[std::size_t(d) * NHKD],
                    sizeof(float) * NHKD);
        std::memcpy(&qkv[std::size_t(d) * 3 * NHKD + NHKD], &bw.wk.data[std::size_t(d) * NHKD],
                    sizeof(float) * NHKD);
        std::memcpy(&qkv[std::size_t(d) * 3 * NHKD + 2 * NHKD], &bw.wv.data[std::size_t(d) * NHKD],
                    sizeof(float) * NHKD);
      }
      using MM = kernels::Matmul;
      b.qkv =
          std::make_unique<MM>(eng, D, 3 * NHKD, qkv.data(), nullptr, MM::Post::none, false, prec);
      b.wo = std::make_unique<MM>(eng, NHKD, D, bw.wo.data.data(), nullptr, MM::Post::none, true,
                                  prec);
      b.ff1 = std::make_unique<MM>(eng, D, D, bw.ff1_kernel.data.data(), bw.ff1_bias.data.data(),
                                   MM::Post::gelu, false, prec);
      b.ff2 = std::make_unique<MM>(eng, D, D, bw.ff2_kernel.data.data(), bw.ff2_bias.data.data(),
                                   MM::Post::gelu, true, prec);
      blocks.push_back(std::move(b));
    }
  }

  static void grow(std::vector<float>& v, std::size_t n) {
    if (v.size() < n) v.resize(n);
  }

  // slices [N, H, W] (scaled) -> tokens [N, D] (before the position embedding)
  void encode(const float* x, int N, float* tokens) {
    const int H = c.rows(), W = c.cols(), C = c.conv_channels, P = c.bottleneck_channels(),
              D = c.token_dim();
    for (int i0 = 0; i0 < N; i0 += kMaxConvImages) {
      const int nb = std::min(kMaxConvImages, N - i0);
      grow(a1, std::size_t(nb) * H * W * C);
      grow(p1, std::size_t(nb) * H * W * C / 4);
      grow(a2, std::size_t(nb) * H * W * C / 4);
      grow(p2, std::size_t(nb) * H * W * C / 16);
      grow(scale, std::size_t(nb) * C);
      grow(shift, std::size_t(nb) * C);
      enc1->run(nb, x + std::size_t(i0) * H * W, a1.data());
      layers::group_norm_affine(
          a1.data(), nb, H * W, C, c.enc_groups(), m.weights().enc_gn1_gamma.data.data(),
          m.weights().enc_gn1_beta.data.data(), layers::kGroupNormEps, scale.data(), shift.data());
      layers::affine_maxpool2_relu(a1.data(), nb, H, W, C, scale.data(), shift.data(), p1.data());
      enc2->run(nb, p1.data(), a2.data());
      layers::group_norm_affine(
          a2.data(), nb, H * W / 4, C, c.enc_groups(), m.weights().enc_gn2_gamma.data.data(),
          m.weights().enc_gn2_beta.data.data(), layers::kGroupNormEps, scale.data(), shift.data());
      layers::affine_maxpool2_relu(a2.data(), nb, H / 2, W / 2, C, scale.data(), shift.data(),
                                   p2.data());
      float* t = tokens + std::size_t(i0) * D;
      enc3->run(nb, p2.data(), t);
      layers::group_norm_affine(
          t, nb, H * W / 16, P, c.bottleneck_groups(), m.weights().enc_gn3_gamma.data.data(),
          m.weights().enc_gn3_beta.data.data(), layers::kGroupNormEps, scale.data(), shift.data());
      layers::apply_affine(t, nb, H * W / 16, P, scale.data(), shift.data(), true);
    }
  }

  // tokens [N, D] -> raw dose slices [N, H, W]
  void decode(const float* tokens, int N, float* out) {
    const int H = c.rows(), W = c.cols(), C = c.conv_channels, D = c.token_dim();
    for (int i0 = 0; i0 < N; i0 += kMaxConvImages) {
      const int nb = std::min(kMaxConvImages, N - i0);
      grow(d1, std::size_t(nb) * H * W * C / 4);
      grow(d2, std::size_t(nb) * H * W * C);
      grow(scale, std::size_t(nb) * C);
      grow(shift, std::size_t(nb) * C);
      dec1->run(nb, tokens + std::size_t(i0) * D, d1.data());
      layers::group_norm_affine(
          d1.data(), nb, H * W / 4, C, c.enc_groups(), m.weights().dec_gn1_gamma.data.data(),
          m.weights().dec_gn1_beta.data.data(), layers::kGroupNormEps, scale.data(), shift.data());
      layers::apply_affine(d1.data(), nb, H * W / 4, C, scale.data(), shift.data(), true);
      dec2->run(nb, d1.data(), d2.data());
      layers::group_norm_affine(
          d2.data(), nb, H * W, C, c.enc_groups(), m.weights().dec_gn2_gamma.data.data(),
          m.weights().dec_gn2_beta.data.data(), layers::kGroupNormEps, scale.data(), shift.data());
      layers::apply_affine(d2.data(), nb, H * W, C, scale.data(), shift.data(), true);
      dec3->run(nb, d2.data(), out + std::size_t(i0) * H * W);
    }
  }

  // Computes tokens [pc0, p1) of every sample (K/V appended to `kv`, and to `also` if given;
  // kv lengths must be pc0), then decodes slices [dec_s0, p1-1) into raw[b].
  // Returns the number of token rows pushed through the transformer (per sample).
  int step(const std::vector<Volume>& x, const std::vector<float>& e, int pc0, int p1, int dec_s0,
           KVCache& kv, KVCache* also, std::vector<Volume>& raw) {
    const int B = int(x.size()), n = p1 - pc0, M = B * n, D = c.token_dim(),
              HW = c.rows() * c.cols();
    const int NHKD = c.num_heads * c.key_dim, QW = 3 * NHKD;
    const int s0 = std::max(pc0 - 1, 0), s1 = p1 - 1, ns = s1 - s0;
    // encoder for the slices of the new tokens
    grow(conv_in, std::size_t(B) * std::max(ns, 1) * HW);
    grow(enc_tokens, std::size_t(B) * std::max(ns, 1) * D);
    for (int b = 0; b < B; ++b)
      std::memcpy(&conv_in[std::size_t(b) * ns * HW], x[std::size_t(b)].slice(s0),
                  sizeof(float) * ns * HW);
    if (ns > 0) encode(conv_in.data(), B * ns, enc_tokens.data());
    // assemble tokens + position embedding
    grow(X, std::size_t(M) * D);
    const auto& w = m.weights();
    for (int b = 0; b < B; ++b)
      for (int i = 0; i < n; ++i) {
        const int p = pc0 + i;
        float* row = &X[(std::size_t(b) * n + i) * D];
        const float* pos = &w.pos_embedding.data[std::size_t(p) * D];
        if (p == 0)
          layers::energy_token(e[std::size_t(b)], w.energy_kernel.data.data(),
                               w.energy_bias.data.data(), pos, D, row);
        else
          layers::add_position(&enc_tokens[(std::size_t(b) * ns + (p - 1 - s0)) * D], pos, D, row);
      }
    // transformer blocks
    grow(Hn, std::size_t(M) * D);
    grow(QKV, std::size_t(M) * QW);
    grow(A, std::size_t(M) * NHKD);
    grow(F, std::size_t(M) * D);
    for (int l = 0; l < c.num_transformers; ++l) {
      const auto& bw = w.blocks[std::size_t(l)];
      auto& bk = blocks[std::size_t(l)];
      layers::layer_norm(X.data(), M, D, bw.ln1_gamma.data.data(), bw.ln1_beta.data.data(),
                         layers::kLayerNormEps, Hn.data());
      bk.qkv->run(M, Hn.data(), QKV.data());  // [M, 3*NH*KD]
      for (int b = 0; b < B; ++b) {
        const float* base = &QKV[std::size_t(b) * n * QW];
        kv.append(l, b, n, base + NHKD, base + 2 * NHKD, QW);
        if (also) also->append(l, b, n, base + NHKD, base + 2 * NHKD, QW);
      }
      layers::attention_all_heads(QKV.data(), B, n, pc0, kv, l, c.causal, A.data());  // [M, NH*KD]
      bk.wo->run(M, A.data(), X.data());                                              // X += A Wo
      layers::layer_norm(X.data(), M, D, bw.ln2_gamma.data.data(), bw.ln2_beta.data.data(),
                         layers::kLayerNormEps, Hn.data());
      bk.ff1->run(M, Hn.data(), F.data());  // F = gelu(Hn W1 + b1)
      bk.ff2->run(M, F.data(), X.data());   // X += gelu(F W2 + b2)
    }
    // decoder for slices [dec_s0, s1)
    const int nd = s1 - dec_s0;
    if (nd > 0) {
      grow(dec_in, std::size_t(B) * nd * D);
      grow(dec_out, std::size_t(B) * nd * HW);
      for (int b = 0; b < B; ++b)
        std::memcpy(&dec_in[std::size_t(b) * nd * D],
                    &X[(std::size_t(b) * n + (dec_s0 + 1 - pc0)) * D], sizeof(float) * nd * D);
      decode(dec_in.data(), B * nd, dec_out.data());
      for (int b = 0; b < B; ++b)
        std::memcpy(raw[std::size_t(b)].slice(dec_s0), &dec_out[std::size_t(b) * nd * HW],
                    sizeof(float) * nd * HW);
    }
    return n;
  }
};

Session::Session(std::shared_ptr<const Model> model, SessionOptions options)
    : model_(std::move(model)), options_(options) {
  if (!model_) throw ValueError("Session: model is null");
  set_options(options);
}
Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

void Session::set_options(const SessionOptions& o) {
  if (o.chunk < 1)
    throw ValueError("session option chunk: expected >= 1, found " + std::to_string(o.chunk));
  if (o.max_batch < 1)
    throw ValueError("session option max_batch: expected >= 1, found " +
                     std::to_string(o.max_batch));
  if (o.mode == Mode::stream && !model_->config().causal)
    throw ConfigError("stream mode needs a causal model (config 'causal': false)");
  const bool rebuild = !impl_ || o.precision != options_.precision;
  if (cache_.reserved() && o.kv_precision != cache_.precision()) {
    cache_ = KVCache();
    if (impl_) impl_->prev_valid = false;
  }
  options_ = o;
  if (rebuild) {
    const bool had_prev = impl_ && impl_->prev_valid;
    auto fresh = std::make_unique<Impl>(*model_, o.precision);
    if (impl_ && had_prev) {
      // a precision change invalidates the cached K/V (computed with the old kernels)
      cache_.reset();
    }
    impl_ = std::move(fresh);
  }
}

void Session::reset() {
  cache_.reset();
  if (impl_) {
    impl_->scratch_kv.reset();
    impl_->prev_valid = false;
  }
}

namespace {
void check_input(const ModelConfig& c, const Volume& v, std::size_t b, const char* what) {
  if (v.slices != c.num_slices || v.rows != c.rows() || v.cols != c.cols())
    throw ShapeError(std::string(what) + " " + std::to_string(b) + ": expected grid " +
                     shape_string({c.num_slices, c.rows(), c.cols()}) + ", found " +
                     shape_string({v.slices, v.rows, v.cols}));
  if (v.data.size() != v.size() || v.data.size() != std::size_t(c.num_slices) * c.rows() * c.cols())
    throw ShapeError(std::string(what) + " " + std::to_string(b) +
                     ": data size does not match its grid");
  for (std::size_t i = 0; i < v.data.size(); ++i)
    if (!std::isfinite(v.data[i])) {
      const std::size_t z = i / (std::size_t(v.rows) * v.cols), r = (i / v.cols) % v.rows,
                        col = i % v.cols;
      throw ValueError(std::string(what) + " " + std::to_string(b) + ": non-finite value at [" +
                       std::to_string(z) + "," + std::to_string(r) + "," + std::to_string(col) +
                       "]");
    }
}
}  // namespace

std::vector<Volume> Session::infer(const std::vector<Volume>& cts,
                                   const std::vector<double>& energies, const StepCallback& on_step,
                                   Progress* progress) {
  if (cts.size() != energies.size())
    throw ShapeError("infer: " + std::to_string(cts.size()) + " CTs but " +
                     std::to_string(energies.size()) + " energies");
  const auto& s = model_->scaling();
  std::vector<Volume> x(cts.size());
  std::vector<float> e(cts.size());
  for (std::size_t b = 0; b < cts.size(); ++b) {
    check_input(model_->config(), cts[b], b, "CT");
    if (!std::isfinite(energies[b]) || energies[b] < s.energy_min_mev ||
        energies[b] > s.energy_max_mev)
      throw ValueError("energy of beamlet " + std::to_string(b) + ": expected " +
                       std::to_string(int(s.energy_min_mev)) + "-" +
                       std::to_string(int(s.energy_max_mev)) + " MeV, found " +
                       std::to_string(energies[b]));
    x[b] = cts[b];
    for (auto& v : x[b].data) v = model_->scale_ct(v);
    e[b] = model_->scale_energy(energies[b]);
  }
  // wrap the callback to convert raw -> Gy
  std::vector<Volume> gy;
  StepCallback cb;
  if (on_step) {
    cb = [&](const StepInfo& st) {
      if (gy.size() != x.size()) {
        gy.resize(x.size());
        for (std::size_t b = 0; b < x.size(); ++b) {
          gy[b] = Volume(x[b].slices, x[b].rows, x[b].cols, 0.f);
          gy[b].spacing_mm = cts[b].spacing_mm;
        }
      }
      const std::size_t HW = std::size_t(x[0].rows) * x[0].cols;
      for (std::size_t b = 0; b < x.size(); ++b)
        for (std::size_t i = st.slice_begin * HW; i < st.slice_end * HW; ++i)
          gy[b].data[i] = model_->output_to_dose((*st.doses)[b].data[i]);
      StepInfo out = st;
      out.doses = &gy;
      on_step(out);
    };
  }
  auto raw = infer_scaled(x, e, cb, progress);
  for (std::size_t b = 0; b < raw.size(); ++b) {
    for (auto& v : raw[b].data) v = model_->output_to_dose(v);
    raw[b].spacing_mm = cts[b].spacing_mm;
  }
  return raw;
}

Volume Session::infer(const Volume& ct, double energy_mev, const StepCallback& on_step,
                      Progress* progress) {
  return std::move(
      infer(std::vector<Volume>{ct}, std::vector<double>{energy_mev}, on_step, progress)[0]);
}

std::vector<Volume> Session::infer_scaled(const std::vector<Volume>& x, const std::vector<float>& e,
                                          const StepCallback& on_step, Progress* progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const ModelConfig& c = model_->config();
  const int B = int(x.size());
  if (B < 1 || B > options_.max_batch)
    throw ShapeError("infer: batch of " + std::to_string(B) + " beamlets, expected 1-" +
                     std::to_string(options_.max_batch));
  if (int(e.size()) != B)
    throw ShapeError("infer: " + std::to_string(B) + " inputs but " + std::to_string(e.size()) +
                     " energies");
  for (int b = 0; b < B; ++b) {
    check_input(c, x[std::size_t(b)], std::size_t(b), "input");
    if (!std::isfinite(e[std::size_t(b)]))
      throw ValueError("scaled energy " + std::to_string(b) + " is not finite");
  }
  if (options_.threads > 0) set_num_threads(options_.threads);
  Impl& im = *impl_;
  const int T = c.num_tokens, S = c.num_slices, L = c.num_transformers;
  std::vector<Volume> raw(static_cast<std::size_t>(B));
  for (int b = 0; b < B; ++b) {
    raw[std::size_t(b)] = Volume(S, c.rows(), c.cols(), 0.f);
    raw[std::size_t(b)].spacing_mm = x[std::size_t(b)].spacing_mm;
  }
  // reserve caches for this batch (allocation only when it grows / precision changes)
  auto ensure = [&](KVCache& kv, KvPrecision p) {
    if (!kv.reserved() || kv.batch() != B || kv.precision() != p || kv.max_tokens() != T)
      kv.reserve(L, B, c.num_heads, T, c.key_dim, p);
    kv.reset();
  };
  im.prev_valid = false;
  stats_ = RunStats{};
  stats_.batch = B;
  stats_.cache = options_.cache;
  stats_.kv_precision = to_string(options_.kv_precision);
  stats_.precision = to_string(impl_->prec);
  stats_.chunk = options_.mode == Mode::stream ? options_.chunk : 0;
  stats_.mode = to_string(options_.mode);
  std::int64_t tokens = 0;
  if (options_.mode == Mode::full) {
    KVCache* main = nullptr;
    if (options_.cache) {
      ensure(cache_, options_.kv_precision);
      main = &cache_;
    }
    KVCache* attend = (main && options_.kv_precision == KvPrecision::fp32) ? main : &im.scratch_kv;
    if (attend == &im.scratch_kv) ensure(im.scratch_kv, KvPrecision::fp32);
    check_cancel(progress);
    tokens += im.step(x, e, 0, T, 0, *attend, attend == main ? nullptr : main, raw);
    stats_.steps = 1;
    stats_.flops = c.flops_full(B);
    if (on_step) {
      StepInfo st{0, 1, 0, S, &raw};
      on_step(st);
    }
    report(progress, 1, 1, "done");
  } else {
    const int chunk = options_.chunk;
    const int steps = (S + chunk - 1) / chunk;
    if (options_.cache)
      ensure(cache_, options_.kv_precision);
    else
      ensure(im.scratch_kv, KvPrecision::fp32);
    int p = 0;  // tokens done
    for (int st = 0; st < steps; ++st) {
      check_cancel(progress);
      const int p1 = std::min(T, (st + 1) * chunk + 1);
      const int dec_s0 = std::max(p - 1, 0);
      if (options_.cache) {
        stats_.flops += c.flops_stream_step(p, p1 - p, true, B);
        tokens += im.step(x, e, p, p1, dec_s0, cache_, nullptr, raw);
      } else {
        stats_.flops += c.flops_stream_step(p, p1 - p, false, B);
        im.scratch_kv.reset();
        tokens += im.step(x, e, 0, p1, dec_s0, im.scratch_kv, nullptr, raw);
      }
      p = p1;
      if (on_step) {
        StepInfo info{st, steps, dec_s0, p1 - 1, &raw};
        on_step(info);
      }
      report(progress, st + 1, steps, "slice " + std::to_string(p1 - 1));
    }
    stats_.steps = steps;
  }
  stats_.tokens_computed = tokens * B;
  stats_.cache_bytes_in_use = options_.cache ? cache_.bytes_in_use() : im.scratch_kv.bytes_in_use();
  stats_.cache_bytes_reserved =
      options_.cache ? cache_.bytes_reserved() : im.scratch_kv.bytes_reserved();
  if (options_.cache && cache_.reserved() && cache_.length(0) == T) {
    im.prev_valid = true;
    im.prev_x = x;
    im.prev_e = e;
    im.prev_raw = raw;
  }
  stats_.latency_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return raw;
}

Volume Session::infer_reusing_prefix(const Volume& ct, double energy_mev, int first_changed_slice,
                                     const StepCallback& on_step, Progress* progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const ModelConfig& c = model_->config();
  const auto& s = model_->scaling();
  check_input(c, ct, 0, "CT");
  if (!std::isfinite(energy_mev) || energy_mev < s.energy_min_mev || energy_mev > s.energy_max_mev)
    throw ValueError("energy: expected " + std::to_string(int(s.energy_min_mev)) + "-" +
                     std::to_string(int(s.energy_max_mev)) + " MeV, found " +
                     std::to_string(energy_mev));
  if (!c.causal) throw ConfigError("prefix reuse needs a causal model (config 'causal': false)");
  Impl& im = *impl_;
  std::vector<Volume> x{ct};
  for (auto& v : x[0].data) v = model_->scale_ct(v);
  std::vector<float> e{model_->scale_energy(energy_mev)};
  const bool reusable = options_.cache && im.prev_valid && im.prev_x.size() == 1 &&
                        im.prev_e[0] == e[0] && cache_.reserved() && cache_.batch() == 1 &&
                        cache_.length(0) == c.num_tokens;
  if (!reusable) {
    // nothing to reuse: a full pass (which leaves the cache for the next call)
    SessionOptions o = options_;
    SessionOptions full = o;
    full.mode = Mode::full;
    full.cache = true;
    options_ = full;
    Volume out;
    try {
      out = infer(ct, energy_mev, on_step, progress);
    } catch (...) {
      options_ = o;
      throw;
    }
    options_ = o;
    stats_.mode = "prefix";
    stats_.tokens_reused = 0;
    return out;
  }
  const int S = c.num_slices, T = c.num_tokens, HW = c.rows() * c.cols();
  // first slice whose scaled input differs from the previous run
  int diff = S;
  for (int z = 0; z < S && diff == S; ++z)
    if (std::memcmp(x[0].slice(z), im.prev_x[0].slice(z), sizeof(float) * HW) != 0) diff = z;
  int k = first_changed_slice < 0 ? diff : std::min(first_changed_slice, S);
  if (k > diff)
    throw ValueError("prefix reuse: first_changed_slice " + std::to_string(first_changed_slice) +
                     " but the CT already differs from the previous run at slice " +
                     std::to_string(diff));
  stats_ = RunStats{};
  stats_.mode = "prefix";
  stats_.cache = true;
  stats_.batch = 1;
  stats_.kv_precision = to_string(options_.kv_precision);
  stats_.precision = to_string(impl_->prec);
  std::vector<Volume> raw = im.prev_raw;  // slices < k are final already
  im.prev_valid = false;
  check_cancel(progress);
  cache_.truncate(k + 1);  // keep token 0 (energy) and slices 0..k-1
  if (options_.threads > 0) set_num_threads(options_.threads);
  std::int64_t tokens = 0;
  if (k < S) {
    tokens = im.step(x, e, k + 1, T, k, cache_, nullptr, raw);
    stats_.flops = c.flops_stream_step(k + 1, T - k - 1, true, 1);
  }
  stats_.steps = 1;
  stats_.tokens_computed = tokens;
  stats_.tokens_reused = k + 1;
  stats_.cache_bytes_in_use = cache_.bytes_in_use();
  stats_.cache_bytes_reserved = cache_.bytes_reserved();
  im.prev_valid = true;
  im.prev_x = x;
  im.prev_raw = raw;
  Volume out = raw[0];
  for (auto& v : out.data) v = model_->output_to_dose(v);
  out.spacing_mm = ct.spacing_mm;
  if (on_step) {
    std::vector<Volume> d{out};
    StepInfo st{0, 1, k, S, &d};
    on_step(st);
  }
  report(progress, 1, 1, "done");
  stats_.latency_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace dotakv
