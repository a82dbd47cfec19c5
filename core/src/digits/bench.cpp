// Digits benchmark workload, roofline model and auto calibration: see digits/bench.hpp.
#include "dotakv/digits/bench.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numeric>

#include <Eigen/Dense>

#include "dotakv/error.hpp"
#include "dotakv/machine_ceilings.hpp"
#include "dotakv/sysinfo.hpp"

#include "../physics/rng.hpp"
#include "dotakv/digits/data.hpp"
#include "dotakv/digits/evaluate.hpp"

namespace dotakv::digits {

namespace {

double unit(std::uint64_t& s) {
  std::uint64_t x = s++;
  return double(physics::detail::splitmix64(x) >> 11) * 0x1.0p-53;
}

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return bench::quantile_sorted(v, 0.5);
}

int kv_elem_bytes(KvPrecision p) {
  switch (p) {
    case KvPrecision::fp32:
      return 4;
    case KvPrecision::fp16:
      return 2;
    case KvPrecision::int8:
      return 1;
  }
  return 4;
}

}  // namespace

// ---- images ----------------------------------------------------------------------------------

int synthetic_string_width(int length) {
  if (length < 1) throw ValueError("synthetic string: length must be >= 1");
  const int w = 4 + 27 * length + 2 * (length - 1) + 4;
  return (w + 7) / 8 * 8;
}

GrayImage synthetic_string_image(int length, std::uint64_t seed) {
  GrayImage im;
  im.height = kImageHeight;
  im.width = synthetic_string_width(length);
  im.pixels.assign(std::size_t(im.height) * im.width, 0.f);
  std::uint64_t s = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  for (int i = 0; i < length; ++i) {
    const double cx = 4 + i * 29 + 13.5, cy = 16 + (unit(s) - 0.5) * 4;
    const double rx = 6 + unit(s) * 4, ry = 9 + unit(s) * 3;
    for (int y = 0; y < im.height; ++y)
      for (int x = std::max(0, int(cx) - 15); x < std::min(im.width, int(cx) + 16); ++x) {
        const double dx = (x - cx) / rx, dy = (y - cy) / ry;
        const double r = std::sqrt(dx * dx + dy * dy);
        const double v = std::clamp(1.0 - std::fabs(r - 1.0) * 4.0, 0.0, 1.0);
        float& p = im.pixels[std::size_t(y) * im.width + x];
        p = std::max(p, float(v));
      }
  }
  return im;
}

std::vector<GrayImage> bench_images(int length, int batch, std::uint64_t seed,
                                    const std::string& mnist_dir, std::string* source) {
  std::vector<GrayImage> out;
  std::string why;
  try {
    static std::map<std::string, std::shared_ptr<MnistSet>> cache;  // one load per process
    const std::string dir = mnist_dir.empty() ? default_mnist_dir() : mnist_dir;
    auto& set = cache[dir];
    if (!set) set = std::make_shared<MnistSet>(load_mnist(dir));
    for (const auto& ds : compose_strings(*set, Split::test, batch, length, length, seed))
      out.push_back(labelled_image(ds).image);
    if (source) *source = "mnist";
    return out;
  } catch (const Error& e) {
    why = e.what();
    out.clear();
  }
  if (source) *source = "synthetic (MNIST not available: " + why + ")";
  for (int b = 0; b < batch; ++b) out.push_back(synthetic_string_image(length, seed * 1000 + b));
  return out;
}

// ---- roofline ------------------------------------------------------------------------------

double kv_token_bytes(const DigitsConfig& c, KvPrecision kv) {
  double b = 2.0 * c.d_model * kv_elem_bytes(kv);
  if (kv == KvPrecision::int8) b += 2.0 * c.heads * 4;
  return b;
}

double decoder_weight_bytes(const DigitsConfig& c, bool cross_kv) {
  const double D = c.d_model, F = c.ffn;
  // per layer: self q|k|v|o 4 D^2, cross q|o 2 D^2 (+ k|v 2 D^2), FFN 2 D F + F + D, 3 LN 6 D
  const double layer = 6 * D * D + (cross_kv ? 2 * D * D : 0) + 2 * D * F + F + D + 6 * D;
  return 4.0 * (c.decoder_layers * layer + D * kVocab + kVocab + 2 * D);
}

double encoder_weight_bytes(const DigitsConfig& c) {
  const double D = c.d_model, F = c.ffn;
  const double stem = 9.0 * 1 * c.stem1 + c.stem1 + 9.0 * c.stem1 * c.stem2 + c.stem2 +
                      9.0 * c.stem2 * c.stem3 + c.stem3 + 4.0 * c.stem3 * D + D;
  const double layer = 4 * D * D + 2 * D * F + F + D + 4 * D;
  return 4.0 * (stem + c.encoder_layers * layer + 2 * D);
}

double encoder_flops(const DigitsConfig& c, int width) {
  const double W = width, Te = width / 8, D = c.d_model, F = c.ffn;
  const double conv = 2 * (32 * W) * 9 * 1 * c.stem1 + 2 * (16 * W / 2) * 9 * c.stem1 * c.stem2 +
                      2 * (8 * W / 4) * 9 * c.stem2 * c.stem3;
  const double proj = 2 * Te * 4 * c.stem3 * D;
  const double layers = c.encoder_layers * (Te * (8 * D * D + 4 * D * F) + 4 * Te * Te * D);
  return conv + proj + layers;
}

std::vector<bench::StepCost> decode_step_costs(const DigitsConfig& c, CacheMode mode,
                                               const DecodeShape& sh, KvPrecision kv) {
  if (mode == CacheMode::automatic)
    throw ValueError("digits cost model: resolve auto to off, self or full first");
  if (sh.steps < 1 || sh.beam < 1 || sh.encoder_tokens.empty())
    throw ValueError("digits cost model: steps, beam and images must be >= 1");
  const double D = c.d_model, F = c.ffn, Ld = c.decoder_layers, R = sh.rows();
  double sum_te = 0;
  for (int t : sh.encoder_tokens) sum_te += t;
  const double sum_te_rows = sum_te * sh.beam;
  const double tok = kv_token_bytes(c, kv);
  std::vector<bench::StepCost> out;
  for (int s = 0; s < sh.steps; ++s) {
    const double n = mode == CacheMode::off ? s + 1 : 1;
    const double p0 = mode == CacheMode::off ? 0 : s;
    const bool recompute = mode != CacheMode::full || s == 0;
    // Σ_{i<n} (p0 + i + 1) keys attended by the n causal queries of a row
    const double keys = n * p0 + n * (n + 1) / 2;
    double layer = 2 * R * n * D * 3 * D + 4 * D * R * keys + 2 * R * n * D * D       // self
                   + 2 * R * n * D * D + 4 * D * n * sum_te_rows + 2 * R * n * D * D  // cross
                   + 4 * R * n * D * F;                                               // FFN
    if (recompute) layer += 4 * D * D * sum_te;
    bench::StepCost st;
    st.flops = Ld * layer + 2 * R * D * kVocab;
    double bytes = decoder_weight_bytes(c, recompute) + 4.0 * R * n * D;  // weights + embedding
    double layer_bytes = R * (p0 + n) * tok + R * n * tok           // self K/V read + appended
                         + sum_te_rows * tok;                       // cross K/V read
    if (recompute) layer_bytes += 4.0 * D * sum_te + sum_te * tok;  // memory read, K/V written
    st.bytes = bytes + Ld * layer_bytes;
    out.push_back(st);
  }
  return out;
}

nlohmann::json DigitsPrediction::to_json() const {
  return {{"working_set_bytes", working_set_bytes},
          {"bandwidth_gbs", bandwidth_gbs},
          {"encoder_gflop", encoder_flops / 1e9},
          {"encoder_mb", encoder_bytes / 1e6},
          {"encoder_s", encoder_s},
          {"decode_gflop", decode_flops / 1e9},
          {"decode_mb", decode_bytes / 1e6},
          {"decode_s", decode_s},
          {"compute_bound_s", compute_bound_s},
          {"memory_bound_s", memory_bound_s},
          {"first_token_s", first_token_s},
          {"per_token_s", per_token_s},
          {"total_s", total_s},
          {"steps", steps},
          {"memory_bound_steps", memory_bound_steps}};
}

double roofline_working_set_bytes(const DigitsConfig& c, int steps, int beam,
                                  const std::vector<int>& widths, KvPrecision kv) {
  double sum_te = 0;
  for (int w : widths) sum_te += w / 8;
  const double rows = double(widths.size()) * beam;
  return decoder_weight_bytes(c, true) +
         c.decoder_layers * kv_token_bytes(c, kv) * (rows * (steps + 1) + sum_te);
}

DigitsPrediction predict_roofline(const DigitsConfig& c, CacheMode mode, int steps, int beam,
                                  const std::vector<int>& widths, KvPrecision kv,
                                  const bench::Ceilings& ceil, double working_set_bandwidth_gbs) {
  if (!(ceil.fp32_gflops > 0) || !(ceil.bandwidth_gbs > 0))
    throw ValueError("digits roofline: ceilings must be measured (> 0)");
  const double peak = ceil.fp32_gflops * 1e9;
  DigitsPrediction p;
  p.bandwidth_gbs = working_set_bandwidth_gbs > 0 ? working_set_bandwidth_gbs : ceil.bandwidth_gbs;
  const double bw = p.bandwidth_gbs * 1e9;
  DecodeShape sh;
  sh.steps = steps;
  sh.beam = beam;
  double image_bytes = 0;
  for (int w : widths) {
    sh.encoder_tokens.push_back(w / 8);
    p.encoder_flops += encoder_flops(c, w);
    image_bytes += 4.0 * kImageHeight * w;
  }
  p.working_set_bytes = roofline_working_set_bytes(c, steps, beam, widths, kv);
  p.encoder_bytes = encoder_weight_bytes(c) + image_bytes;
  p.encoder_s = std::max(p.encoder_flops / peak, p.encoder_bytes / bw);
  std::vector<double> t;
  for (const auto& st : decode_step_costs(c, mode, sh, kv)) {
    const double tc = st.flops / peak, tm = st.bytes / bw;
    p.decode_flops += st.flops;
    p.decode_bytes += st.bytes;
    p.compute_bound_s += tc;
    p.memory_bound_s += tm;
    if (tm > tc) ++p.memory_bound_steps;
    t.push_back(std::max(tc, tm));
  }
  p.steps = int(t.size());
  p.decode_s = std::accumulate(t.begin(), t.end(), 0.0);
  p.first_token_s = p.encoder_s + t[0];
  p.per_token_s = t.size() > 1 ? median_of(std::vector<double>(t.begin() + 1, t.end())) : t[0];
  p.total_s = p.encoder_s + p.decode_s;
  return p;
}

// ---- calibration -----------------------------------------------------------------------------

std::array<double, 4> calibration_features(const DigitsConfig& c, const CalibrationSample& s) {
  if (s.mode == CacheMode::automatic)
    throw ValueError("digits calibration: a sample's mode must be off, self or full");
  if (s.steps < 1 || s.beam < 1 || s.encoder_tokens.empty())
    throw ValueError("digits calibration: a sample needs steps, beam and images >= 1");
  return decode_work(c, s.mode, s.encoder_tokens, s.steps, s.beam);
}

double predict_calibrated(const DigitsConfig& c, const AutoCalibration& k,
                          const CalibrationSample& s) {
  const auto f = calibration_features(c, s);
  return f[0] * k.step_overhead_s + f[1] * k.row_token_s + f[2] * k.cross_token_s + f[3] * k.attn_s;
}

std::vector<double> nnls_small(const std::vector<std::array<double, 4>>& A,
                               const std::vector<double>& b) {
  if (A.empty() || A.size() != b.size())
    throw ValueError("least squares: expected as many (>= 1) rows as right-hand sides");
  const int m = int(A.size());
  Eigen::VectorXd rhs(m);
  for (int i = 0; i < m; ++i) rhs[i] = b[std::size_t(i)];
  std::vector<double> best(4, 0.0);
  double best_res = rhs.squaredNorm();
  for (int mask = 1; mask < 16; ++mask) {
    std::vector<int> cols;
    for (int j = 0; j < 4; ++j)
      if (mask & (1 << j)) cols.push_back(j);
    Eigen::MatrixXd M(m, int(cols.size()));
    for (int i = 0; i < m; ++i)
      for (int k = 0; k < int(cols.size()); ++k) M(i, k) = A[std::size_t(i)][std::size_t(cols[k])];
    // Column scaling keeps the QR well conditioned (features span many orders of magnitude).
    Eigen::VectorXd scale(int(cols.size()));
    for (int k = 0; k < int(cols.size()); ++k) {
      scale[k] = M.col(k).norm();
      if (scale[k] > 0) M.col(k) /= scale[k];
    }
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(M);
    if (qr.rank() < int(cols.size())) continue;
    Eigen::VectorXd x = qr.solve(rhs);
    bool ok = true;
    for (int k = 0; k < x.size(); ++k) {
      if (!std::isfinite(x[k]) || x[k] < 0) ok = false;
    }
    if (!ok) continue;
    const double res = (M * x - rhs).squaredNorm();
    if (res < best_res * (1 - 1e-12)) {
      best_res = res;
      std::fill(best.begin(), best.end(), 0.0);
      for (int k = 0; k < int(cols.size()); ++k)
        best[std::size_t(cols[k])] = scale[k] > 0 ? x[k] / scale[k] : 0.0;
    }
  }
  return best;
}

AutoCalibration fit_calibration(const DigitsConfig& c, const std::vector<CalibrationSample>& s) {
  if (s.size() < 4)
    throw ValueError(
        "digits calibration: need at least 4 measured runs to fit 4 constants, found " +
        std::to_string(s.size()));
  std::vector<std::array<double, 4>> A;
  std::vector<double> b;
  for (const auto& x : s) {
    if (!(x.seconds > 0) || !std::isfinite(x.seconds))
      throw ValueError("digits calibration: measured time must be finite and > 0");
    auto f = calibration_features(c, x);
    for (double& v : f) v /= x.seconds;  // relative residuals
    A.push_back(f);
    b.push_back(1.0);
  }
  const auto k = nnls_small(A, b);
  AutoCalibration out;
  out.valid = true;
  out.cpu = system_info().cpu_model;
  out.step_overhead_s = k[0];
  out.row_token_s = k[1];
  out.cross_token_s = k[2];
  out.attn_s = k[3];
  return out;
}

nlohmann::json CalibrationReport::to_json(const DigitsConfig& c) const {
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const auto& s = samples[i];
    const auto f = calibration_features(c, s);
    rows.push_back({{"mode", to_string(s.mode)},
                    {"steps", s.steps},
                    {"batch", s.encoder_tokens.size()},
                    {"beam", s.beam},
                    {"encoder_tokens", s.encoder_tokens},
                    {"features", f},
                    {"measured_s", s.seconds},
                    {"predicted_s", predicted_s[i]},
                    {"rel_error", predicted_s[i] / s.seconds - 1}});
  }
  return {{"calibration", calibration.to_json()},
          {"grid", rows},
          {"max_rel_error", max_rel_error},
          {"median_rel_error", median_rel_error}};
}

CalibrationReport calibrate_digits(std::shared_ptr<const DigitsModel> model,
                                   const CalibrateOptions& o, Progress* progress) {
  if (!model) throw ValueError("digits calibration: no model");
  const DigitsConfig& c = model->config();
  if (o.reps < 1) throw ValueError("digits calibration: reps must be >= 1");
  for (int L : o.lengths)
    if (L < 1 || L > c.max_digits)
      throw ValueError("digits calibration: length " + std::to_string(L) + " outside 1.." +
                       std::to_string(c.max_digits));
  for (int b : o.batches)
    if (b < 1 || b > 64)
      throw ValueError("digits calibration: batch " + std::to_string(b) + " outside 1..64");
  const std::vector<CacheMode> modes{CacheMode::off, CacheMode::self, CacheMode::full};
  const double total =
      double(o.width_lengths.size() * o.batches.size() * o.lengths.size() * modes.size()) *
      (1 + o.reps);
  double done = 0;
  CalibrationReport rep;
  for (int wl : o.width_lengths)
    for (int B : o.batches) {
      std::string src;
      const auto imgs =
          bench_images(std::min(wl, c.max_digits), B, o.seed + std::uint64_t(wl), "", &src);
      for (const auto& im : imgs)
        if ((im.width + 7) / 8 * 8 > c.max_width)
          throw ValueError("digits calibration: a string of " + std::to_string(wl) +
                           " digits is wider than the model's " + std::to_string(c.max_width) +
                           " px");
      std::vector<std::unique_ptr<DigitsSession>> sessions;
      for (std::size_t m = 0; m < modes.size(); ++m)
        sessions.push_back(std::make_unique<DigitsSession>(model));
      for (int L : o.lengths) {
        std::vector<std::vector<double>> t(modes.size());
        std::vector<int> te;
        for (int r = 0; r <= o.reps; ++r)  // r = 0: warm-up
          for (std::size_t m = 0; m < modes.size(); ++m) {
            ReadOptions ro;
            ro.cache = modes[m];
            ro.force_digits = L;
            const auto res = sessions[m]->read(imgs, ro);
            const auto& st = sessions[m]->last_stats();
            if (r > 0) t[m].push_back(st.total_s - st.encode_s);
            if (te.empty())
              for (const auto& x : res) te.push_back(x.encoder_tokens);
            done += 1;
            report(progress, done, total,
                   "calibrate " + to_string(modes[m]) + " L=" + std::to_string(L) +
                       " B=" + std::to_string(B));
          }
        for (std::size_t m = 0; m < modes.size(); ++m) {
          CalibrationSample s;
          s.mode = modes[m];
          s.steps = L;
          s.beam = 1;
          s.encoder_tokens = te;
          s.seconds = median_of(t[m]);
          rep.samples.push_back(s);
        }
      }
    }
  rep.calibration = fit_calibration(c, rep.samples);
  std::vector<double> err;
  for (const auto& s : rep.samples) {
    const double p = predict_calibrated(c, rep.calibration, s);
    rep.predicted_s.push_back(p);
    err.push_back(std::fabs(p / s.seconds - 1));
  }
  rep.max_rel_error = *std::max_element(err.begin(), err.end());
  rep.median_rel_error = median_of(err);
  return rep;
}

// ---- the benchmark ---------------------------------------------------------------------------

std::shared_ptr<const DigitsModel> digits_bench_model(const std::string& model_path,
                                                      const std::string& config) {
  if (!model_path.empty()) {
    if (!std::filesystem::exists(model_path)) throw IoError(model_path + ": model file not found");
    return DigitsModel::load_shared(model_path);
  }
  return std::make_shared<const DigitsModel>(DigitsModel::random(
      DigitsConfig::from_name_or_file(config.empty() ? "digits-small" : config), 1));
}

nlohmann::json DigitsBenchSpec::to_json() const {
  return {{"family", "digits"},
          {"model", model},
          {"config", model.empty() ? config : std::string()},
          {"length", lengths},
          {"batch", batches},
          {"beam", beams},
          {"cache", cache},
          {"kv_precision", kv_precision},
          {"calibration", calibration},
          {"threads", threads},
          {"point_budget_s", point_budget_s},
          {"min_reps", min_reps}};
}

void validate(const DigitsBenchSpec& s, const DigitsConfig& mc) {
  auto need = [](bool ok, const std::string& msg) {
    if (!ok) throw ValueError(msg);
  };
  auto range = [&](const std::vector<int>& v, int lo, int hi, const std::string& opt) {
    need(!v.empty(), opt + ": empty list (give at least one value)");
    for (int x : v)
      need(x >= lo && x <= hi, opt + ": value " + std::to_string(x) + " outside " +
                                   std::to_string(lo) + ".." + std::to_string(hi));
  };
  range(s.lengths, 1, mc.max_digits, "--length");
  range(s.batches, 1, 64, "--batch");
  range(s.beams, 1, 16, "--beam");
  need(!s.cache.empty(), "--cache: empty list (give at least one value)");
  for (const auto& c : s.cache)
    need(c == "off" || c == "self" || c == "full" || c == "auto",
         "--cache: unknown value '" + c + "' (expected off|self|full|auto)");
  need(std::find(s.cache.begin(), s.cache.end(), "off") != s.cache.end(),
       "--cache: must include off (the reference every mode is compared with)");
  need(!s.kv_precision.empty(), "--kv: empty list (give at least one value)");
  for (const auto& k : s.kv_precision)
    need(k == "fp32" || k == "fp16" || k == "int8",
         "--kv: unknown value '" + k + "' (expected fp32|fp16|int8)");
  need(s.harness.reps >= 1, "--reps must be >= 1");
  need(s.harness.warmup >= 0, "--warmup must be >= 0");
  need(s.min_reps >= 1, "--min-reps must be >= 1");
  need(s.threads >= 0 && s.threads <= 1024,
       "--threads: value " + std::to_string(s.threads) + " outside 0..1024");
  need(s.point_budget_s >= 0, "--point-budget must be >= 0");
  for (int L : s.lengths)
    need(synthetic_string_width(L) <= mc.max_width, "--length: a string of " + std::to_string(L) +
                                                        " digits is wider than the model's " +
                                                        std::to_string(mc.max_width) + " px");
}

DigitsBench::DigitsBench(DigitsBenchSpec spec) : spec_(std::move(spec)) {
  model_ = digits_bench_model(spec_.model, spec_.config);
  validate(spec_, model_->config());
  const bool wants_auto =
      std::find(spec_.cache.begin(), spec_.cache.end(), "auto") != spec_.cache.end();
  const std::string path =
      spec_.calibration.empty() ? default_calibration_path() : spec_.calibration;
  if (!wants_auto) {
    calib_note_ = "auto not measured";
  } else if (!std::filesystem::exists(path)) {
    if (!spec_.calibration.empty()) throw IoError(path + ": calibration file not found");
    calib_note_ = "no calibration at " + path +
                  " (run `dotakv calibrate --family digits`): auto resolves to full";
  } else {
    calib_ = load_calibration(path);
    calib_note_ = "calibration " + path + (calib_.valid ? "" : " (marked invalid: auto = full)");
    const std::string cpu = system_info().cpu_model;
    if (!calib_.cpu.empty() && calib_.cpu != cpu)
      calib_note_ += "; measured on another CPU (" + calib_.cpu + ")";
  }
}

const bench::Ceilings& DigitsBench::ceilings() {
  if (!ceilings_) {
    // Measured with the thread count the runs use (the ceilings are cached per process).
    const int prev = num_threads();
    set_num_threads(spec_.threads);
    ceilings_ = bench::measure_ceilings();
    set_num_threads(prev);
  }
  return *ceilings_;
}

const std::vector<GrayImage>& DigitsBench::images(int length, int batch) {
  const auto key = std::make_pair(length, batch);
  auto it = images_.find(key);
  if (it == images_.end()) {
    std::string src;
    it = images_
             .emplace(key, bench_images(length, batch, 1000 + std::uint64_t(length),
                                        spec_.mnist_dir, &src))
             .first;
    image_source_[key] = src;
  }
  return it->second;
}

std::vector<bench::SweepGroup> DigitsBench::groups() const {
  auto uniq = [](auto v) {
    decltype(v) out;
    for (const auto& x : v)
      if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
    return out;
  };
  const auto lengths = uniq(spec_.lengths), batches = uniq(spec_.batches),
             beams = uniq(spec_.beams);
  const auto cache = uniq(spec_.cache), kv = uniq(spec_.kv_precision);
  std::vector<bench::SweepGroup> out;
  for (int B : batches)
    for (int W : beams)
      for (int L : lengths) {
        bench::SweepGroup g;
        g.point = {{"family", "digits"}, {"length", L}, {"batch", B}, {"beam", W}};
        for (const auto& c : cache)
          for (const auto& k : kv) {
            if (c == "off" && k != kv.front()) continue;
            nlohmann::json st = g.point;
            st["cache"] = c;
            st["kv_precision"] = c == "off" ? std::string("fp32") : k;
            st["model"] = spec_.model;
            st["config"] = spec_.model.empty() ? spec_.config : std::string();
            g.settings.push_back(st);
          }
        auto it = std::find_if(g.settings.begin(), g.settings.end(),
                               [](const nlohmann::json& s) { return s["cache"] == "off"; });
        if (it != g.settings.end()) std::rotate(g.settings.begin(), it, it + 1);
        out.push_back(std::move(g));
      }
  return out;
}

namespace {
std::string group_key(const nlohmann::json& st) {
  return std::to_string(st.at("length").get<int>()) + "/" +
         std::to_string(st.at("batch").get<int>()) + "/" + std::to_string(st.at("beam").get<int>());
}
}  // namespace

bench::Workload DigitsBench::make_workload(const nlohmann::json& st) {
  const int L = st.at("length").get<int>(), B = st.at("batch").get<int>(),
            W = st.at("beam").get<int>();
  const std::string cache = st.at("cache").get<std::string>();
  const bool is_ref = cache == "off";
  ReadOptions o;
  o.cache = parse_cache_mode(cache);
  o.kv_precision = parse_kv_precision(st.at("kv_precision").get<std::string>());
  o.beam = W;
  o.force_digits = L;
  o.threads = spec_.threads;
  struct State {
    std::unique_ptr<DigitsSession> session;
    ReadStats last;
  };
  auto state = std::make_shared<State>();
  const std::vector<GrayImage>* imgs = &images(L, B);
  bench::Workload w;
  w.label = bench::setting_label(st);
  w.settings = st;
  auto model = model_;
  const AutoCalibration calib = calib_;
  w.prepare = [state, model, calib] {
    state->session = std::make_unique<DigitsSession>(model);
    if (calib.valid) state->session->set_calibration(calib);
  };
  w.run = [state, imgs, o] {
    const auto res = state->session->read(*imgs, o);
    state->last = state->session->last_stats();
    const ReadStats& s = state->last;
    bench::RunOutput out;
    for (const auto& r : res)
      for (int d : r.digits) out.output.push_back(float(d));
    out.cache_bytes = s.self_cache_bytes + s.cross_cache_bytes;
    out.metrics = {{"encode_s", s.encode_s},
                   {"first_token_s", s.first_token_s},
                   {"per_token_s", s.per_token_median_s},
                   {"decode_s", s.total_s - s.encode_s},
                   {"session_total_s", s.total_s}};
    return out;
  };
  const std::string key = group_key(st);
  w.annotate = [this, state, imgs, o, key, is_ref, L, W] {
    nlohmann::json j;
    if (!state->session) return j;
    j["engine"] = state->last.to_json();
    j["effective_cache"] = state->last.mode;
    if (o.cache == CacheMode::automatic) {
      std::vector<int> te;
      for (const auto& im : *imgs) te.push_back((im.width + 7) / 8);
      nlohmann::json pred = nlohmann::json::object();
      if (state->session->calibration().valid)
        for (CacheMode m : {CacheMode::off, CacheMode::self, CacheMode::full})
          pred[to_string(m)] = state->session->predict_seconds(m, te, L, W);
      j["auto"] = {{"choice", state->last.mode},
                   {"calibrated", state->session->calibration().valid},
                   {"note", calib_note_},
                   {"predicted_decode_s", pred}};
    }
    // KV-precision effect: one untimed read with the logits recorded, against the reference.
    ReadOptions ro = o;
    ro.record_logits = true;
    const auto res = state->session->read(*imgs, ro);
    Recorded rec;
    for (const auto& r : res) {
      rec.digits.push_back(r.digits);
      rec.logits.push_back(r.logits);
    }
    if (is_ref) reference_[key] = rec;
    auto it = reference_.find(key);
    if (it != reference_.end()) {
      const Recorded& ref = it->second;
      long long same = 0, total = 0;
      double max_diff = 0;
      for (std::size_t b = 0; b < rec.digits.size() && b < ref.digits.size(); ++b) {
        const auto& a = rec.digits[b];
        const auto& z = ref.digits[b];
        total += std::max<long long>(a.size(), z.size());
        for (std::size_t i = 0; i < std::min(a.size(), z.size()); ++i) same += a[i] == z[i];
        // Logits are compared up to and including the first differing token: after it the two
        // readings condition on different prefixes.
        for (std::size_t t = 0; t < std::min(rec.logits[b].size(), ref.logits[b].size()); ++t) {
          for (std::size_t v = 0; v < rec.logits[b][t].size() && v < ref.logits[b][t].size(); ++v)
            max_diff =
                std::max(max_diff, double(std::fabs(rec.logits[b][t][v] - ref.logits[b][t][v])));
          if (t >= a.size() || t >= z.size() || a[t] != z[t]) break;
        }
      }
      j["kv_effect"] = {{"vs", "cache=off"},
                        {"token_agreement", total ? double(same) / double(total) : 1.0},
                        {"tokens", total},
                        {"max_abs_logit_diff", max_diff},
                        {"logits_compared_until_first_difference", true}};
    }
    return j;
  };
  return w;
}

void DigitsBench::annotate_group(const bench::SweepGroup& g, bench::ComparisonResult& c) {
  const bench::Ceilings& ceil = ceilings();
  const int L = g.point.at("length").get<int>(), B = g.point.at("batch").get<int>(),
            W = g.point.at("beam").get<int>();
  const auto& imgs = images(L, B);
  std::vector<int> widths;
  for (const auto& im : imgs) widths.push_back((im.width + 7) / 8 * 8);
  const auto& h = spec_.harness;
  auto med_ci = [&](const std::vector<double>& v, double scale) -> nlohmann::json {
    if (v.empty()) return nullptr;
    const auto ci = bench::bootstrap_median_ci(v, h.bootstrap_resamples, h.seed);
    return {{"median", median_of(v) * scale}, {"ci95", {ci.lo * scale, ci.hi * scale}}};
  };
  for (auto& r : c.results) {
    const std::string requested = r.settings.at("cache").get<std::string>();
    const std::string eff = r.extra.value("effective_cache", requested);
    const KvPrecision kv = parse_kv_precision(r.settings.at("kv_precision").get<std::string>());
    nlohmann::json d;
    d["length"] = L;
    d["batch"] = B;
    d["beam"] = W;
    d["mode"] = requested;
    d["effective_mode"] = eff;
    d["kv_precision"] = to_string(kv);
    d["reps"] = r.stats.n;
    d["image"] = {{"source", image_source_[{L, B}]}, {"widths", widths}};
    d["per_string_s"] = med_ci(r.samples_s, 1.0 / B);
    d["cold_per_string_s"] = r.cold_s ? nlohmann::json(*r.cold_s / B) : nlohmann::json();
    for (const char* m : {"first_token_s", "per_token_s", "encode_s", "decode_s"}) {
      auto it = r.metric_samples.find(m);
      d[m] = it == r.metric_samples.end() ? nlohmann::json() : med_ci(it->second, 1.0);
      auto ct = r.cold_metrics.find(m);
      if (ct != r.cold_metrics.end()) d[std::string("cold_") + m] = ct->second;
    }
    if (r.extra.contains("engine")) {
      d["self_cache_bytes"] = r.extra["engine"].value("self_cache_bytes", 0);
      d["cross_cache_bytes"] = r.extra["engine"].value("cross_cache_bytes", 0);
    }
    d["cache_bytes"] = r.cache_bytes;
    if (r.speedup)
      d["speedup_vs_off"] = {{"median_ratio", r.speedup->point},
                             {"ci95", {r.speedup->ci.lo, r.speedup->ci.hi}}};
    else
      d["speedup_vs_off"] = nullptr;
    const CacheMode em = parse_cache_mode(eff == "auto" ? std::string("full") : eff);
    // read bandwidth of a buffer of the working-set size (power of two), measured after the
    // point's timed runs with the runs' thread count (cached per size)
    const double ws = roofline_working_set_bytes(config(), L, W, widths, kv);
    std::size_t pow2 = 4096;
    while (double(pow2) < ws) pow2 *= 2;
    const double ws_bw = measure_cache_bandwidth_gbs(pow2);
    const DigitsPrediction p = predict_roofline(config(), em, L, W, widths, kv, ceil, ws_bw);
    nlohmann::json rf = p.to_json();
    rf["ceilings"] = ceil.to_json();
    rf["bandwidth_buffer_bytes"] = pow2;
    rf["per_string_s"] = p.total_s / B;
    if (r.stats.n > 0) {
      rf["measured_over_predicted"] = r.stats.median / p.total_s;
      rf["decode_gflops_achieved"] =
          r.metric_samples.count("decode_s")
              ? p.decode_flops / 1e9 / median_of(r.metric_samples["decode_s"])
              : 0.0;
    }
    d["roofline"] = rf;
    r.extra["digits"] = d;
  }
  // roofline-predicted speedup vs the reference
  const double ref_pred =
      c.results[c.reference].extra["digits"]["roofline"]["total_s"].get<double>();
  for (auto& r : c.results)
    r.extra["digits"]["roofline"]["predicted_speedup"] =
        ref_pred / r.extra["digits"]["roofline"]["total_s"].get<double>();
  // auto's regret against the best fixed mode measured at this point (same KV precision; off
  // is always fp32)
  for (auto& a : c.results) {
    if (a.settings.at("cache") != "auto" || a.samples_s.empty()) continue;
    const std::string kv = a.settings.at("kv_precision").get<std::string>();
    const bench::WorkloadResult* best = nullptr;
    for (const auto& r : c.results) {
      const std::string m = r.settings.at("cache").get<std::string>();
      if (m == "auto" || r.samples_s.empty()) continue;
      if (m != "off" && r.settings.at("kv_precision").get<std::string>() != kv) continue;
      if (!best || r.stats.median < best->stats.median) best = &r;
    }
    auto& j = a.extra["auto"];
    if (!best) {
      j["regret"] = nullptr;
      continue;
    }
    const auto e =
        bench::bootstrap_speedup(best->samples_s, a.samples_s, h.bootstrap_resamples, h.seed);
    j["best_fixed"] = best->settings.at("cache");
    j["best_fixed_median_s"] = best->stats.median;
    j["regret"] = a.stats.median / best->stats.median - 1.0;
    j["regret_ci95"] = {1.0 / e.ci.hi - 1.0, 1.0 / e.ci.lo - 1.0};
    a.extra["digits"]["auto"] = j;
  }
}

nlohmann::json DigitsBench::run(Progress* progress) {
  const auto gs = groups();
  const auto& h0 = spec_.harness;
  double per_group_nominal = 0;
  for (const auto& g : gs)
    per_group_nominal += double(g.settings.size()) * ((h0.cold ? 1 : 0) + h0.warmup + h0.reps);
  bench::SweepResult all;
  double before = 0;
  set_num_threads(spec_.threads);
  ceilings();  // measured before the timed runs, never in between
  for (std::size_t gi = 0; gi < gs.size(); ++gi) {
    const auto& g = gs[gi];
    bench::HarnessOptions h = h0;
    const int L = g.point["length"], B = g.point["batch"], W = g.point["beam"];
    if (spec_.point_budget_s > 0) {
      // pilot: one untimed read of the slowest setting present (off if measured)
      DigitsSession s(model_);
      ReadOptions o;
      o.cache = parse_cache_mode(g.settings.front().at("cache").get<std::string>() == "auto"
                                     ? std::string("full")
                                     : g.settings.front().at("cache").get<std::string>());
      o.beam = W;
      o.force_digits = L;
      o.threads = spec_.threads;
      s.read(images(L, B), o);  // the first read of a session is cold
      const auto t0 = std::chrono::steady_clock::now();
      s.read(images(L, B), o);
      const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const double per_round = t * double(g.settings.size());
      const int fit = int(spec_.point_budget_s / std::max(per_round, 1e-9));
      h.reps = std::clamp(fit, std::min(spec_.min_reps, h0.reps), h0.reps);
    }
    Progress inner([&](double done, double, const std::string& msg) {
      report(progress, before + done, per_group_nominal,
             "point " + std::to_string(gi + 1) + "/" + std::to_string(gs.size()) +
                 " L=" + std::to_string(L) + " B=" + std::to_string(B) + " W=" + std::to_string(W) +
                 ": " + msg);
    });
    auto r = bench::run_groups(
        {g}, h, [this](const nlohmann::json& st) { return make_workload(st); },
        progress ? &inner : nullptr,
        [this](const bench::SweepGroup& gg, bench::ComparisonResult& cc) {
          annotate_group(gg, cc);
        });
    before += double(g.settings.size()) * ((h0.cold ? 1 : 0) + h0.warmup + h0.reps);
    for (auto& x : r.groups) all.groups.push_back(std::move(x));
    for (auto& x : r.comparisons) all.comparisons.push_back(std::move(x));
    if (r.cancelled) {
      all.cancelled = true;
      break;
    }
  }
  nlohmann::json doc = bench::results_json(spec_.to_json(), spec_.harness, all);
  nlohmann::json images_used = nlohmann::json::array();
  for (const auto& [k, v] : image_source_)
    images_used.push_back({{"length", k.first}, {"batch", k.second}, {"source", v}});
  doc["digits"] = {{"model_config", config().to_json()},
                   {"parameters", model_->parameter_count()},
                   {"model_description", model_->description()},
                   {"calibration", calib_.to_json()},
                   {"calibration_note", calib_note_},
                   {"ceilings",
                    [&] {
                      nlohmann::json j = ceilings().to_json();
                      j["threads"] = spec_.threads;
                      return j;
                    }()},
                   {"images", images_used}};
  nlohmann::json summ = nlohmann::json::array();
  for (const auto& s : summarize(doc)) summ.push_back(s.to_json());
  doc["digits"]["summary"] = summ;
  return doc;
}

nlohmann::json BenchSummary::to_json() const {
  nlohmann::json m = nlohmann::json::array();
  for (const auto& t : modes)
    m.push_back({{"mode", t.mode},
                 {"slower_than_off_at", t.slower_at},
                 {"speedup_grows_with_length", t.grows}});
  return {{"batch", batch}, {"beam", beam}, {"kv_precision", kv}, {"modes", m}};
}

std::vector<BenchSummary> summarize(const nlohmann::json& doc) {
  // (batch, beam, kv) -> mode -> length -> (point, lo, hi)
  struct P {
    double point, lo, hi;
  };
  std::map<std::tuple<int, int, std::string>, std::map<std::string, std::map<int, P>>> t;
  for (const auto& r : doc.at("results")) {
    if (!r.contains("digits") || r["speedup"].is_null()) continue;
    const auto& d = r["digits"];
    const auto& sp = r["speedup"];
    t[{d["batch"].get<int>(), d["beam"].get<int>(), d["kv_precision"].get<std::string>()}]
     [d["mode"].get<std::string>()][d["length"].get<int>()] = {sp["median_ratio"].get<double>(),
                                                               sp["ci95"][0].get<double>(),
                                                               sp["ci95"][1].get<double>()};
  }
  std::vector<BenchSummary> out;
  for (const auto& [k, modes] : t) {
    BenchSummary s;
    s.batch = std::get<0>(k);
    s.beam = std::get<1>(k);
    s.kv = std::get<2>(k);
    for (const auto& [mode, byL] : modes) {
      ModeTrend mt;
      mt.mode = mode;
      for (const auto& [L, p] : byL)
        if (p.hi < 1.0) mt.slower_at.push_back(L);
      bool no_drop = true;
      const P* prev = nullptr;
      for (const auto& [L, p] : byL) {
        if (prev && p.hi < prev->lo) no_drop = false;
        prev = &p;
      }
      mt.grows = byL.size() >= 2 && no_drop && byL.rbegin()->second.lo > byL.begin()->second.hi;
      s.modes.push_back(mt);
    }
    out.push_back(s);
  }
  return out;
}

namespace {
const nlohmann::json& jpath(const nlohmann::json& j, std::initializer_list<const char*> path) {
  static const nlohmann::json null_value;
  const nlohmann::json* p = &j;
  for (const char* k : path) {
    if (!p->is_object() || !p->contains(k)) return null_value;
    p = &(*p)[k];
  }
  return *p;
}
std::string csv_cell(const nlohmann::json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) {
    std::string s = v.get<std::string>(), q = "\"";
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
  }
  if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v.get<double>());
    return buf;
  }
  return v.dump();
}
const nlohmann::json& at_index(const nlohmann::json& v, std::size_t i) {
  static const nlohmann::json null_value;
  return v.is_array() && v.size() > i ? v[i] : null_value;
}
}  // namespace

std::string digits_results_csv(const nlohmann::json& doc) {
  const std::vector<std::string> cols{"group",
                                      "label",
                                      "length",
                                      "batch",
                                      "beam",
                                      "cache",
                                      "effective_cache",
                                      "kv_precision",
                                      "n",
                                      "cold_s",
                                      "median_s",
                                      "per_string_s",
                                      "per_string_ci_lo",
                                      "per_string_ci_hi",
                                      "first_token_s",
                                      "first_token_ci_lo",
                                      "first_token_ci_hi",
                                      "per_token_s",
                                      "per_token_ci_lo",
                                      "per_token_ci_hi",
                                      "speedup",
                                      "ci95_lo",
                                      "ci95_hi",
                                      "cache_bytes",
                                      "self_cache_bytes",
                                      "cross_cache_bytes",
                                      "roofline_per_string_s",
                                      "roofline_first_token_s",
                                      "roofline_per_token_s",
                                      "predicted_speedup",
                                      "token_agreement",
                                      "max_abs_logit_diff",
                                      "auto_choice",
                                      "auto_regret",
                                      "regret_ci_lo",
                                      "regret_ci_hi",
                                      "max_abs_diff",
                                      "image_source"};
  std::string out;
  for (std::size_t i = 0; i < cols.size(); ++i) out += (i ? "," : "") + cols[i];
  out += "\n";
  for (const auto& r : doc.at("results")) {
    const auto& d = jpath(r, {"digits"});
    std::vector<nlohmann::json> v{jpath(r, {"group"}),
                                  jpath(r, {"label"}),
                                  jpath(d, {"length"}),
                                  jpath(d, {"batch"}),
                                  jpath(d, {"beam"}),
                                  jpath(d, {"mode"}),
                                  jpath(d, {"effective_mode"}),
                                  jpath(d, {"kv_precision"}),
                                  jpath(r, {"stats", "n"}),
                                  jpath(r, {"cold_s"}),
                                  jpath(r, {"stats", "median"}),
                                  jpath(d, {"per_string_s", "median"}),
                                  at_index(jpath(d, {"per_string_s", "ci95"}), 0),
                                  at_index(jpath(d, {"per_string_s", "ci95"}), 1),
                                  jpath(d, {"first_token_s", "median"}),
                                  at_index(jpath(d, {"first_token_s", "ci95"}), 0),
                                  at_index(jpath(d, {"first_token_s", "ci95"}), 1),
                                  jpath(d, {"per_token_s", "median"}),
                                  at_index(jpath(d, {"per_token_s", "ci95"}), 0),
                                  at_index(jpath(d, {"per_token_s", "ci95"}), 1),
                                  jpath(r, {"speedup", "median_ratio"}),
                                  at_index(jpath(r, {"speedup", "ci95"}), 0),
                                  at_index(jpath(r, {"speedup", "ci95"}), 1),
                                  jpath(r, {"cache_bytes"}),
                                  jpath(d, {"self_cache_bytes"}),
                                  jpath(d, {"cross_cache_bytes"}),
                                  jpath(d, {"roofline", "per_string_s"}),
                                  jpath(d, {"roofline", "first_token_s"}),
                                  jpath(d, {"roofline", "per_token_s"}),
                                  jpath(d, {"roofline", "predicted_speedup"}),
                                  jpath(r, {"kv_effect", "token_agreement"}),
                                  jpath(r, {"kv_effect", "max_abs_logit_diff"}),
                                  jpath(r, {"auto", "choice"}),
                                  jpath(r, {"auto", "regret"}),
                                  at_index(jpath(r, {"auto", "regret_ci95"}), 0),
                                  at_index(jpath(r, {"auto", "regret_ci95"}), 1),
                                  jpath(r, {"max_abs_diff"}),
                                  jpath(d, {"image", "source"})};
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + csv_cell(v[i]);
    out += "\n";
  }
  return out;
}

}  // namespace dotakv::digits
