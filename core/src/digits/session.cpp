#include "dotakv/digits/session.hpp"

#include <omp.h>

// GCC 12 reports a false -Wmaybe-uninitialized inside Eigen's AVX-512 transpose intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <numeric>

#include "dotakv/atomic_file.hpp"

#include "dotakv/digits/data.hpp"
#include "dotakv/digits/graph.hpp"
#include "dotakv/error.hpp"
#include "dotakv/json_file.hpp"
#include "dotakv/layers/activation.hpp"
#include "dotakv/layers/attention.hpp"
#include "dotakv/layers/layer_norm.hpp"
#include "dotakv/layers/rope.hpp"

namespace dotakv::digits {

namespace ly = dotakv::layers;
using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using CMap = Eigen::Map<const RowMat>;
using MMap = Eigen::Map<RowMat>;

std::string to_string(CacheMode m) {
  switch (m) {
    case CacheMode::off:
      return "off";
    case CacheMode::self:
      return "self";
    case CacheMode::full:
      return "full";
    case CacheMode::automatic:
      return "auto";
  }
  return "?";
}

CacheMode parse_cache_mode(const std::string& s) {
  if (s == "off") return CacheMode::off;
  if (s == "self") return CacheMode::self;
  if (s == "full") return CacheMode::full;
  if (s == "auto") return CacheMode::automatic;
  throw ConfigError("cache mode '" + s + "': expected off, self, full or auto");
}

nlohmann::json AutoCalibration::to_json() const {
  return {{"valid", valid},
          {"cpu", cpu},
          {"step_overhead_s", step_overhead_s},
          {"row_token_s", row_token_s},
          {"cross_token_s", cross_token_s},
          {"attn_s", attn_s}};
}

AutoCalibration AutoCalibration::from_json(const nlohmann::json& j) {
  AutoCalibration c;
  try {
    c.valid = j.at("valid").get<bool>();
    c.cpu = j.value("cpu", "");
    c.step_overhead_s = j.at("step_overhead_s").get<double>();
    c.row_token_s = j.at("row_token_s").get<double>();
    c.cross_token_s = j.at("cross_token_s").get<double>();
    c.attn_s = j.at("attn_s").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(std::string("digits calibration: ") + e.what());
  }
  for (double v : {c.step_overhead_s, c.row_token_s, c.cross_token_s, c.attn_s})
    if (!std::isfinite(v) || v < 0)
      throw ValueError("digits calibration: per-unit costs must be finite and >= 0");
  return c;
}

std::string default_calibration_path() {
  if (const char* e = std::getenv("DOTAKV_DIGITS_POLICY"); e && *e) return e;
  const char* home = std::getenv("HOME");
  return std::string(home ? home : ".") + "/.cache/dotakv/digits_policy.json";
}

AutoCalibration load_calibration(const std::string& path) {
  nlohmann::json j = read_json_file(path, "digits calibration");
  if (!j.is_object() || !j.contains("digits"))
    throw FormatError(path + ": missing object 'digits' (not a digits calibration)");
  try {
    return AutoCalibration::from_json(j["digits"]);
  } catch (const Error& e) {
    throw FormatError(path + ": " + e.what());
  }
}

void save_calibration(const std::string& path, const AutoCalibration& c) {
  const nlohmann::json j = {{"schema", "dotakv.digits_policy/1"}, {"digits", c.to_json()}};
  write_text_atomically(path, j.dump(2) + "\n");
}

nlohmann::json ReadStats::to_json() const {
  return {{"mode", mode},
          {"requested_mode", requested_mode},
          {"kv_precision", kv_precision},
          {"batch", batch},
          {"beam", beam},
          {"steps", steps},
          {"encode_s", encode_s},
          {"first_token_s", first_token_s},
          {"total_s", total_s},
          {"per_token_median_s", per_token_median_s},
          {"self_rows_written", self_rows_written},
          {"cross_rows_written", cross_rows_written},
          {"self_cache_bytes", self_cache_bytes},
          {"cross_cache_bytes", cross_cache_bytes},
          {"cache_bytes_reserved", cache_bytes_reserved}};
}

GrayImage prepare_image(const GrayImage& im, const DigitsConfig& cfg, const std::string& what) {
  if (im.width < 1 ||
      std::size_t(im.width) * std::size_t(std::max(im.height, 0)) != im.pixels.size())
    throw ShapeError(what + ": " + std::to_string(im.pixels.size()) + " pixels, expected " +
                     std::to_string(im.height) + " x " + std::to_string(im.width));
  check_image(im.pixels.data(), im.height, im.width, what);
  GrayImage out = im;
  out.width = pad_to_multiple_of_8(out.pixels, im.height, im.width);
  if (out.width > cfg.max_width)
    throw ShapeError(what + ": width " + std::to_string(im.width) + " px exceeds the model's " +
                     std::to_string(cfg.max_width) + " px");
  return out;
}

namespace {
// Softmax of q . k_j / sqrt(hd) over j < n (the probabilities attention_rows weights V with),
// for the studio's cross-attention map.
void attention_probs(const float* q, const float* keys, int n, int hd, float* p) {
  const float scale = 1.f / std::sqrt(float(hd));
  float mx = -INFINITY;
  for (int j = 0; j < n; ++j) {
    float s = 0.f;
    for (int d = 0; d < hd; ++d) s += q[d] * keys[std::size_t(j) * hd + d];
    p[j] = s * scale;
    mx = std::max(mx, p[j]);
  }
  float sum = 0.f;
  for (int j = 0; j < n; ++j) sum += (p[j] = std::exp(p[j] - mx));
  for (int j = 0; j < n; ++j) p[j] /= sum;
}
}  // namespace

struct DigitsSession::Impl {
  DigitsGraph<float> graph;
  std::vector<const float*> params;
  ly::RopeTable rope;
  // per decoder layer: fused [D, 3D] self q|k|v
  std::vector<std::vector<float>> wqkv;
  // scratch sized per request
  std::vector<float> y, h, qkv, att, tmp, q, f, last, logits, kc, vc;
  std::vector<int> tok;
  explicit Impl(const DigitsModel& m)
      : graph(m.config()),
        rope(m.config().max_tokens() + 1, m.config().head_dim(), float(m.config().rope_theta)) {
    for (std::size_t i = 0; i < m.tensors().size(); ++i) params.push_back(m.data(int(i)));
    const int D = m.config().d_model;
    for (const auto& b : m.layout().dec) {
      std::vector<float> w(std::size_t(D) * 3 * D);
      for (int r = 0; r < D; ++r)
        for (int j = 0; j < 3; ++j)
          std::copy_n(m.data(j == 0   ? b.self.q
                             : j == 1 ? b.self.k
                                      : b.self.v) +
                          std::size_t(r) * D,
                      D, w.data() + std::size_t(r) * 3 * D + std::size_t(j) * D);
      wqkv.push_back(std::move(w));
    }
  }
};

DigitsSession::DigitsSession(std::shared_ptr<const DigitsModel> model)
    : model_(std::move(model)), impl_(std::make_unique<Impl>(*model_)) {}
DigitsSession::~DigitsSession() = default;
DigitsSession::DigitsSession(DigitsSession&&) noexcept = default;
DigitsSession& DigitsSession::operator=(DigitsSession&&) noexcept = default;

std::array<double, 4> decode_work(const DigitsConfig& c, CacheMode m,
                                  const std::vector<int>& encoder_tokens, int steps, int beam) {
  if (m == CacheMode::automatic) throw ValueError("decode_work: mode must be off, self or full");
  if (steps < 1 || beam < 1 || encoder_tokens.empty())
    throw ValueError("decode_work: steps, beam and images must be >= 1");
  const double Ld = c.decoder_layers, R = double(encoder_tokens.size()) * beam;
  double sum_te = 0;
  for (int t : encoder_tokens) sum_te += t;
  double rows = 0, cross = 0, attn = 0;
  for (int st = 0; st < steps; ++st) {
    const double n = m == CacheMode::off ? st + 1 : 1;
    rows += R * n;
    if (m != CacheMode::full || st == 0) cross += sum_te;
    attn += n * ((st + 1) * R + sum_te * beam);
  }
  return {double(steps), Ld * rows, Ld * cross, Ld * attn};
}

double DigitsSession::predict_seconds(CacheMode m, const std::vector<int>& te, int steps,
                                      int beam) const {
  const auto f = decode_work(model_->config(), m, te, steps, beam);
  return f[0] * calib_.step_overhead_s + f[1] * calib_.row_token_s + f[2] * calib_.cross_token_s +
         f[3] * calib_.attn_s;
}

CacheMode DigitsSession::resolve(CacheMode m, const std::vector<int>& te, int steps,
                                 int beam) const {
  if (m != CacheMode::automatic) return m;
  if (!calib_.valid) return CacheMode::full;
  CacheMode best = CacheMode::full;
  double best_t = predict_seconds(best, te, steps, beam);
  for (CacheMode c : {CacheMode::self, CacheMode::off}) {
    const double t = predict_seconds(c, te, steps, beam);
    if (t < best_t) best = c, best_t = t;
  }
  return best;
}

ReadResult DigitsSession::read(const GrayImage& image, const ReadOptions& o, Progress* progress,
                               const DigitsStepCallback& on_step) {
  return read(std::vector<GrayImage>{image}, o, progress, on_step).front();
}

std::vector<ReadResult> DigitsSession::read(const std::vector<GrayImage>& images_in,
                                            const ReadOptions& o, Progress* progress,
                                            const DigitsStepCallback& on_step) {
  using clock = std::chrono::steady_clock;
  const auto t_start = clock::now();
  const DigitsConfig& c = model_->config();
  const Layout& L = model_->layout();
  const int D = c.d_model, NH = c.heads, HD = c.head_dim(), F = c.ffn, V = kVocab;
  const int B = int(images_in.size());
  if (B < 1 || B > 1024)
    throw ValueError("digits read: batch of " + std::to_string(B) + " images: expected 1..1024");
  if (o.beam < 1 || o.beam > 16)
    throw ValueError("digits read: beam width " + std::to_string(o.beam) + ": expected 1..16");
  const int max_digits = o.max_digits > 0 ? o.max_digits : c.max_digits;
  if (max_digits > c.max_digits || o.force_digits > c.max_digits || o.force_digits < 0)
    throw ValueError("digits read: length " + std::to_string(std::max(max_digits, o.force_digits)) +
                     " digits exceeds the model's maximum of " + std::to_string(c.max_digits));
  const int Wb = o.beam, R = B * Wb;
  const int limit = o.force_digits > 0 ? o.force_digits : max_digits;
  const int steps_max = o.force_digits > 0 ? o.force_digits : limit + 1;  // +1: the EOS step
  int prev_threads = 0;
  if (o.threads > 0) {
    prev_threads = omp_get_max_threads();
    omp_set_num_threads(o.threads);
  }
  struct ThreadsGuard {
    int prev;
    ~ThreadsGuard() {
      if (prev > 0) omp_set_num_threads(prev);
    }
  } guard{prev_threads};

  // 1. encoder, once per image (OpenMP over images)
  std::vector<GrayImage> images(static_cast<std::size_t>(B));
  for (int b = 0; b < B; ++b)
    images[std::size_t(b)] =
        prepare_image(images_in[std::size_t(b)], c, "image " + std::to_string(b));
  std::vector<std::vector<float>> memory(static_cast<std::size_t>(B));
  std::vector<int> te(static_cast<std::size_t>(B));
  int te_max = 0;
  for (int b = 0; b < B; ++b) te_max = std::max(te_max, images[std::size_t(b)].width / 8);
  {
    std::vector<std::shared_ptr<DigitsWorkspace<float>>> ws(static_cast<std::size_t>(B));
#pragma omp parallel for schedule(dynamic, 1) if (B > 1)
    for (int b = 0; b < B; ++b) {
      ws[std::size_t(b)] = impl_->graph.make_workspace();
      auto& w = *ws[std::size_t(b)];
      impl_->graph.encode(impl_->params, images[std::size_t(b)].pixels.data(),
                          images[std::size_t(b)].width, w);
      te[std::size_t(b)] = DigitsGraph<float>::encoder_tokens(w);
      const float* m = DigitsGraph<float>::memory(w);
      memory[std::size_t(b)].assign(m, m + std::size_t(te[std::size_t(b)]) * D);
    }
  }
  const auto t_enc = clock::now();
  stats_ = ReadStats{};
  stats_.requested_mode = to_string(o.cache);
  const CacheMode mode = resolve(o.cache, te, steps_max, Wb);
  stats_.mode = to_string(mode);
  stats_.kv_precision = to_string(o.kv_precision);
  stats_.batch = B;
  stats_.beam = Wb;
  stats_.encode_s = std::chrono::duration<double>(t_enc - t_start).count();

  // 2. caches and scratch, sized once for this request
  const int nmax = mode == CacheMode::off ? steps_max : 1;  // tokens per row per decoder pass
  self_.reserve(c.decoder_layers, R, NH, c.max_tokens(), HD, o.kv_precision);
  cross_.reserve(c.decoder_layers, B, NH, std::max(te_max, 1), HD, o.kv_precision);
  const std::uint64_t self_rows0 = self_.rows_written(), cross_rows0 = cross_.rows_written();
  Impl& I = *impl_;
  const std::size_t rows_max = std::size_t(R) * nmax;
  I.y.resize(rows_max * D);
  I.h.resize(rows_max * D);
  I.qkv.resize(rows_max * 3 * D);
  I.att.resize(rows_max * D);
  I.tmp.resize(rows_max * D);
  I.q.resize(rows_max * D);
  I.f.resize(rows_max * F);
  I.last.resize(std::size_t(R) * D);
  I.logits.resize(std::size_t(R) * V);
  I.kc.resize(std::size_t(te_max) * D);
  I.vc.resize(std::size_t(te_max) * D);
  I.tok.resize(rows_max);
  std::vector<int> cross_sample(static_cast<std::size_t>(R));
  for (int r = 0; r < R; ++r) cross_sample[std::size_t(r)] = r / Wb;

  auto fill_cross = [&] {
    cross_.reset();
    for (int l = 0; l < c.decoder_layers; ++l) {
      const auto& blk = L.dec[std::size_t(l)];
      for (int b = 0; b < B; ++b) {
        const int n = te[std::size_t(b)];
        CMap M(memory[std::size_t(b)].data(), n, D);
        MMap(I.kc.data(), n, D).noalias() = M * CMap(I.params[std::size_t(blk.cross.k)], D, D);
        MMap(I.vc.data(), n, D).noalias() = M * CMap(I.params[std::size_t(blk.cross.v)], D, D);
        cross_.append(l, b, n, I.kc.data(), I.vc.data(), D);
      }
    }
  };
  auto dense = [&](const float* x, int rows, int in, const float* w, const float* bias, int out,
                   float* y, bool accumulate) {
    CMap X(x, rows, in), Wt(w, in, out);
    MMap Y(y, rows, out);
    if (accumulate)
      Y.noalias() += X * Wt;
    else
      Y.noalias() = X * Wt;
    if (bias)
      for (int r = 0; r < rows; ++r)
        for (int j = 0; j < out; ++j) y[std::size_t(r) * out + j] += bias[j];
  };
  // One decoder pass: rows r = 0..R-1 with n tokens each (I.tok [R, n]) at positions p0..p0+n-1;
  // self K/V appended; logits of each row's last token -> I.logits [R, V].
  auto decoder_pass = [&](int n, int p0) {
    const int rows = R * n;
    for (int i = 0; i < rows; ++i)
      std::copy_n(I.params[std::size_t(L.embedding)] + std::size_t(I.tok[std::size_t(i)]) * D, D,
                  I.y.data() + std::size_t(i) * D);
    for (int l = 0; l < c.decoder_layers; ++l) {
      const auto& blk = L.dec[std::size_t(l)];
      auto P = [&](int idx) { return I.params[std::size_t(idx)]; };
      ly::layer_norm(I.y.data(), rows, D, P(blk.ln1_g), P(blk.ln1_b), ly::kLayerNormEps,
                     I.h.data());
      dense(I.h.data(), rows, D, I.wqkv[std::size_t(l)].data(), nullptr, 3 * D, I.qkv.data(),
            false);
      for (int r = 0; r < R; ++r) {
        float* base = I.qkv.data() + std::size_t(r) * n * 3 * D;
        ly::rope_apply(I.rope, base, 3L * D, n, p0, NH);      // queries
        ly::rope_apply(I.rope, base + D, 3L * D, n, p0, NH);  // keys
        self_.append(l, r, n, base + D, base + 2 * D, 3L * D);
      }
      ly::attention_rows(I.qkv.data(), 3L * D, R, n, p0, self_, l, true, I.att.data(), D);
      dense(I.att.data(), rows, D, P(blk.self.o), nullptr, D, I.y.data(), true);
      ly::layer_norm(I.y.data(), rows, D, P(blk.ln2_g), P(blk.ln2_b), ly::kLayerNormEps,
                     I.h.data());
      dense(I.h.data(), rows, D, P(blk.cross.q), nullptr, D, I.q.data(), false);
      ly::attention_rows(I.q.data(), D, R, n, 0, cross_, l, false, I.att.data(), D,
                         cross_sample.data());
      dense(I.att.data(), rows, D, P(blk.cross.o), nullptr, D, I.y.data(), true);
      ly::layer_norm(I.y.data(), rows, D, P(blk.ln3_g), P(blk.ln3_b), ly::kLayerNormEps,
                     I.h.data());
      dense(I.h.data(), rows, D, P(blk.ff1_k), P(blk.ff1_b), F, I.f.data(), false);
      ly::gelu_forward<float>(I.f.data(), std::size_t(rows) * F, I.f.data());
      dense(I.f.data(), rows, F, P(blk.ff2_k), P(blk.ff2_b), D, I.y.data(), true);
    }
    for (int r = 0; r < R; ++r)
      std::copy_n(I.y.data() + (std::size_t(r) * n + n - 1) * D, D,
                  I.last.data() + std::size_t(r) * D);
    ly::layer_norm(I.last.data(), R, D, I.params[std::size_t(L.dec_ln_g)],
                   I.params[std::size_t(L.dec_ln_b)], ly::kLayerNormEps, I.last.data());
    dense(I.last.data(), R, D, I.params[std::size_t(L.logits_k)], I.params[std::size_t(L.logits_b)],
          V, I.logits.data(), false);
  };

  // 3. decoding
  std::vector<std::vector<int>> hist(static_cast<std::size_t>(R));  // tokens after BOS, per row
  std::vector<double> score(std::size_t(R), 0.0);
  std::vector<char> done(std::size_t(R), 0);
  for (int b = 0; b < B; ++b)
    for (int w = 1; w < Wb; ++w) score[std::size_t(b * Wb + w)] = -INFINITY;  // one live beam
  std::vector<std::vector<std::vector<float>>> rec_logits(static_cast<std::size_t>(R)),
      rec_att(static_cast<std::size_t>(R));
  std::vector<int> src_of_dst(static_cast<std::size_t>(R));
  std::vector<std::vector<int>> new_hist(static_cast<std::size_t>(R));
  for (int r = 0; r < R; ++r) {
    hist[std::size_t(r)].reserve(std::size_t(steps_max) + 1);
    new_hist[std::size_t(r)].reserve(std::size_t(steps_max) + 1);
  }
  std::vector<double> new_score(static_cast<std::size_t>(R));
  std::vector<char> new_done(static_cast<std::size_t>(R));
  std::vector<float> logp(static_cast<std::size_t>(V));
  struct Cand {
    double s;
    int src, tok;
  };
  std::vector<Cand> cands;
  cands.reserve(std::size_t(Wb) * V);
  if (mode == CacheMode::full) fill_cross();
  stats_.step_s.reserve(static_cast<std::size_t>(steps_max));
  int step = 0;
  for (; step < steps_max; ++step) {
    check_cancel(progress);
    const auto ts = clock::now();
    if (mode == CacheMode::off) {
      self_.reset();
      fill_cross();
      const int n = step + 1;
      for (int r = 0; r < R; ++r) {
        int* t = I.tok.data() + std::size_t(r) * n;
        t[0] = kBos;
        const auto& hr = hist[std::size_t(r)];
        for (int i = 0; i < step; ++i)
          t[i + 1] = std::size_t(i) < hr.size() ? hr[std::size_t(i)] : kEos;
      }
      decoder_pass(n, 0);
    } else {
      if (mode == CacheMode::self) fill_cross();
      for (int r = 0; r < R; ++r)
        I.tok[std::size_t(r)] = step == 0                      ? kBos
                                : hist[std::size_t(r)].empty() ? kEos
                                                               : hist[std::size_t(r)].back();
      decoder_pass(1, step);
    }
    // choose tokens
    const bool must_continue = o.force_digits > 0;
    const bool must_stop = o.force_digits == 0 && step == limit;  // only EOS allowed
    for (int b = 0; b < B; ++b) {
      cands.clear();
      for (int w = 0; w < Wb; ++w) {
        const int r = b * Wb + w;
        if (!std::isfinite(score[std::size_t(r)])) continue;
        if (done[std::size_t(r)]) {
          cands.push_back({score[std::size_t(r)], r, -1});
          continue;
        }
        const float* lg = I.logits.data() + std::size_t(r) * V;
        float mx = -INFINITY;
        for (int v = 0; v <= kEos; ++v) mx = std::max(mx, lg[v]);
        double sum = 0;
        for (int v = 0; v <= kEos; ++v) sum += std::exp(double(lg[v]) - mx);
        const double lse = mx + std::log(sum);
        for (int v = 0; v <= kEos; ++v) {
          if (must_continue && v == kEos) continue;
          if (must_stop && v != kEos) continue;
          cands.push_back({score[std::size_t(r)] + double(lg[v]) - lse, r, v});
        }
      }
      const int keep = std::min<int>(Wb, int(cands.size()));
      std::partial_sort(cands.begin(), cands.begin() + keep, cands.end(),
                        [](const Cand& a, const Cand& z) {
                          if (a.s != z.s) return a.s > z.s;
                          if (a.src != z.src) return a.src < z.src;
                          return a.tok < z.tok;
                        });
      for (int w = 0; w < Wb; ++w) {
        const int d = b * Wb + w;
        if (w < keep) {
          const Cand& k = cands[std::size_t(w)];
          src_of_dst[std::size_t(d)] = k.src;
          new_hist[std::size_t(d)] = hist[std::size_t(k.src)];
          new_score[std::size_t(d)] = k.s;
          new_done[std::size_t(d)] = k.tok < 0 || k.tok == kEos;
          if (k.tok >= 0) new_hist[std::size_t(d)].push_back(k.tok);
        } else {
          src_of_dst[std::size_t(d)] = d;
          new_hist[std::size_t(d)] = hist[std::size_t(d)];
          new_score[std::size_t(d)] = -INFINITY;
          new_done[std::size_t(d)] = 1;
        }
      }
    }
    if (o.record_logits || o.record_attention) {
      std::vector<std::vector<std::vector<float>>> nl(static_cast<std::size_t>(R)),
          na(static_cast<std::size_t>(R));
      for (int d = 0; d < R; ++d) {
        const int s = src_of_dst[std::size_t(d)];
        nl[std::size_t(d)] = rec_logits[std::size_t(s)];
        na[std::size_t(d)] = rec_att[std::size_t(s)];
        if (done[std::size_t(s)]) continue;
        if (o.record_logits)
          nl[std::size_t(d)].emplace_back(I.logits.data() + std::size_t(s) * V,
                                          I.logits.data() + std::size_t(s + 1) * V);
        if (o.record_attention) {
          // last layer's cross-attention of row s's newest token, mean over heads
          const int b = s / Wb, n = te[std::size_t(b)], lay = c.decoder_layers - 1;
          const int nrow = mode == CacheMode::off ? step + 1 : 1;
          std::vector<float> map(std::size_t(n), 0.f), k(std::size_t(n) * HD),
              pr(static_cast<std::size_t>(n));
          // recompute the last layer's query: I.q holds it for every row (last layer ran last)
          const float* qrow = I.q.data() + (std::size_t(s) * nrow + nrow - 1) * D;
          for (int h = 0; h < NH; ++h) {
            cross_.read_keys(lay, b, h, 0, n, k.data());
            attention_probs(qrow + std::size_t(h) * HD, k.data(), n, HD, pr.data());
            for (int j = 0; j < n; ++j) map[std::size_t(j)] += pr[std::size_t(j)] / float(NH);
          }
          na[std::size_t(d)].push_back(std::move(map));
        }
      }
      rec_logits.swap(nl);
      rec_att.swap(na);
    }
    hist.swap(new_hist);
    score.swap(new_score);
    done.swap(new_done);
    if (mode != CacheMode::off && Wb > 1) self_.reorder(src_of_dst);
    const auto te_step = clock::now();
    stats_.step_s.push_back(std::chrono::duration<double>(te_step - ts).count());
    if (step == 0) stats_.first_token_s = std::chrono::duration<double>(te_step - t_start).count();
    if (on_step) on_step(step, hist);
    if (o.force_digits == 0 && std::all_of(done.begin(), done.end(), [](char x) { return x; }))
      break;
  }
  stats_.steps = int(stats_.step_s.size());
  if (stats_.step_s.size() > 1) {
    std::vector<double> s(stats_.step_s.begin() + 1, stats_.step_s.end());
    std::nth_element(s.begin(), s.begin() + s.size() / 2, s.end());
    stats_.per_token_median_s = s[s.size() / 2];
  } else if (!stats_.step_s.empty()) {
    stats_.per_token_median_s = stats_.step_s[0];
  }
  stats_.self_rows_written = std::int64_t(self_.rows_written() - self_rows0);
  stats_.cross_rows_written = std::int64_t(cross_.rows_written() - cross_rows0);
  stats_.self_cache_bytes = self_.bytes_in_use();
  stats_.cross_cache_bytes = cross_.bytes_in_use();
  stats_.cache_bytes_reserved = self_.bytes_reserved() + cross_.bytes_reserved();
  stats_.total_s = std::chrono::duration<double>(clock::now() - t_start).count();

  std::vector<ReadResult> out(static_cast<std::size_t>(B));
  for (int b = 0; b < B; ++b) {
    ReadResult& res = out[std::size_t(b)];
    res.encoder_tokens = te[std::size_t(b)];
    std::vector<int> order(static_cast<std::size_t>(Wb));
    std::iota(order.begin(), order.end(), b * Wb);
    // Best first; ties keep beam order. (std::sort with an index tie-break rather than
    // stable_sort: GCC 12's temporary buffer trips ASan's alloc-dealloc check,
    // docs/reliability.md.)
    std::sort(order.begin(), order.end(), [&](int x, int z) {
      const double sx = score[std::size_t(x)], sz = score[std::size_t(z)];
      return sx > sz || (!(sz > sx) && x < z);
    });
    for (int r : order) {
      if (!std::isfinite(score[std::size_t(r)])) continue;
      BeamHypothesis hyp;
      for (int t : hist[std::size_t(r)])
        if (t <= 9) hyp.digits.push_back(t);
      hyp.log_prob = score[std::size_t(r)];
      hyp.finished = !hist[std::size_t(r)].empty() && hist[std::size_t(r)].back() == kEos;
      if (Wb > 1) res.beams.push_back(hyp);
      if (r == order.front()) {
        res.digits = hyp.digits;
        res.log_prob = hyp.log_prob;
        res.finished = hyp.finished || o.force_digits > 0;
        res.text = tokens_to_text(res.digits);
        res.logits = rec_logits[std::size_t(r)];
        res.cross_attention = rec_att[std::size_t(r)];
        if (res.cross_attention.size() > res.digits.size())
          res.cross_attention.resize(res.digits.size());  // drop the EOS step
      }
    }
  }
  return out;
}

}  // namespace dotakv::digits
