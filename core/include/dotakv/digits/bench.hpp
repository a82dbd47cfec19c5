// Digits benchmark and calibration (issue #16) on the ONE benchmark harness (bench_harness.hpp):
// `dotakv bench --family digits` and `dotakv calibrate --family digits`.
//
// ---- the workload ----------------------------------------------------------------------------
// One sweep point = (length L, batch B, beam W); compared within it (interleaved by the harness,
// reference = cache off fp32 first): cache mode off|self|full|auto x KV precision fp32|fp16|int8
// (off runs fp32 only: its K/V are recomputed every step). A setting:
//   prepare   a fresh DigitsSession on the shared model (model loaded once per invocation), the
//             auto calibration set on it (if any);
//   run       DigitsSession::read(B images, {cache, kv, beam, force_digits = L}): every mode
//             decodes exactly L steps (EOS masked), so modes are compared on the same work;
//             the timed figure is the wall time of the whole read (encoder included) of the
//             batch; "per string" figures divide it by B;
//   output    the best hypothesis' tokens of every image (as floats): the harness's output
//             check, max_abs_diff > 0 means some token differs from the reference setting;
//   metrics   per timed run, from ReadStats: encode_s, first_token_s (encoder + first step),
//             per_token_s (median of step_s[1..]), decode_s (total_s - encode_s), and the
//             cache bytes (self + cross); harness median CIs of each;
//   cold      the first read of the fresh session (scratch and cache reservation), apart;
//   annotate  one more, untimed read with record_logits: token agreement (fraction of equal
//             tokens) and max |logit difference| against the reference setting (off fp32) of the
//             point -> the effect of the cache precision; auto: the mode it resolved to.
// Images: composed MNIST test strings of length L (data.hpp, seeded) when MNIST is installed
// (~/.cache/dotakv/mnist, $DOTAKV_MNIST_DIR), else synthetic strings (synthetic_string_image):
// one ring-shaped glyph per digit in a box of the mean composed size, so the width, and hence
// the encoder token count, is the one such a string would have: width = round8(4 + 27 L +
// 2 (L - 1) + 4) px (mean box 28 * 0.975 = 27 px, mean gap 2 px, mean margins 4 px).
//
// ---- roofline prediction (beside every measured figure) ---------------------------------------
// FLOPs count a multiply-add as 2 (norms, softmax, GELU, RoPE, pooling ignored). Legend:
// D d_model, F ffn, NH heads, Ld decoder layers, E encoder layers, V = 13, R = B W rows,
// te_b encoder tokens of image b (te_r: of the image row r belongs to), Wp padded width.
// Decoding step s (0-based; L steps): n new tokens per row, after p0 earlier ones:
//   off        n = s + 1, p0 = 0   (the whole prefix again)        self/full   n = 1, p0 = s
// per step, per decoder layer:
//   self q|k|v projections  2 R n D 3D          self output    2 R n D^2
//   self attention          4 D R sum_{i<n} (p0 + i + 1)          (scores + weighted values,
//                                                                  causal: only needed keys)
//   cross q projection      2 R n D^2           cross output   2 R n D^2
//   cross attention         4 D n sum_r te_r
//   FFN                     4 R n D F
//   cross K/V projections   4 D^2 sum_b te_b    when recomputed: off and self every step,
//                                               full once (counted in step 0)
// per step: logits 2 R D V.
// Bytes per step (fp32 weights 4 B; KV element e = 4|2|1 B, int8 + one fp32 scale per token,
// head and K/V): every decoder weight used in the step read once (cross K/V kernels only when
// recomputed), the embedding rows of the new tokens, the self K/V read (R (p0 + n) tokens per
// layer) and appended (R n), the cross K/V read (sum_r te_r per layer) and, when recomputed,
// the encoder memory read (4 D sum_b te_b) and the cross K/V written (sum_b te_b tokens).
// A step's predicted time is max(flops / measured fp32 GEMM peak, bytes / measured bandwidth)
// (the ceilings of cost_model.hpp, measured on the running machine). The bandwidth is the one
// measured for the request's working set: the decoder weights (incl. the cross K/V kernels)
// and all its self and cross K/V are re-read every step, and for the small digits models they
// are a few MB, resident in L2/L3, so DRAM streaming bandwidth would be the wrong ceiling;
// DigitsBench measures the read bandwidth of a buffer of the working-set size rounded up to a
// power of two (measure_cache_bandwidth_gbs), which is the DRAM bandwidth for large sets.
// Encoder (apart, once per image):
//   conv1 2 (32 Wp) 9 C1,  conv2 2 (16 Wp/2) 9 C1 C2,  conv3 2 (8 Wp/4) 9 C2 C3,
//   column projection 2 Te 4 C3 D,  per encoder layer Te (8 D^2 + 4 D F) + 4 Te^2 D;
//   bytes: the encoder weights once + the images.
// Predicted first token = encoder + step 0 (+ full's cross fill); per token = median of the
// predicted steps 1..L-1; total = encoder + all steps.
//
// ---- auto calibration -------------------------------------------------------------------------
// The decode time of a request (ReadStats total_s - encode_s) is modelled, as
// DigitsSession::predict_seconds does, by four per-unit costs (AutoCalibration):
//   t = steps * step_overhead_s + Ld * (row_tokens * row_token_s + cross_tokens * cross_token_s
//                                      + attn * attn_s)
//   row_tokens   = sum_s R n_s                         (tokens through the decoder blocks)
//   cross_tokens = sum_{recomputing s} sum_b te_b      (encoder tokens projected to cross K/V)
//   attn         = sum_s sum_r n_s (s + 1 + te_r)      (keys attended, self + cross)
// calibration_features() gives these four numbers for a measured run; fit_calibration() solves
// the non-negative least-squares problem on RELATIVE residuals (each row divided by its
// measured time, so short and long runs weigh alike) exactly: every subset of the four
// constants is solved unconstrained, the best all-non-negative solution wins.
// calibrate_digits() measures the grid: lengths {2, 8, 24} x modes off/self/full x batch {1, 4}
// x encoder widths of strings of two lengths {8, 40} (greedy, fp32 KV), median of `reps` reads
// after one warm-up.
//
// Thread safety: functions are reentrant; a DigitsBench drives one benchmark on one thread.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dotakv/bench_harness.hpp"
#include "dotakv/cost_model.hpp"
#include "dotakv/digits/model.hpp"
#include "dotakv/digits/session.hpp"

namespace dotakv::digits {

// ---- images ----

// Width in px (multiple of 8) a composed string of `length` digits has on average (see above).
int synthetic_string_width(int length);
// A synthetic string image of that width: one seeded ring glyph per digit, ink 1 on 0.
GrayImage synthetic_string_image(int length, std::uint64_t seed);
// `batch` images of strings of `length` digits: composed MNIST test strings (seeded) when MNIST
// loads from `mnist_dir` ("" = data.hpp's default), else synthetic ones. *source receives
// "mnist" or "synthetic (<reason>)".
std::vector<GrayImage> bench_images(int length, int batch, std::uint64_t seed,
                                    const std::string& mnist_dir, std::string* source);

// ---- roofline cost model ----

// The shape of one decode request: `steps` decoding steps, `beam` rows per image, encoder
// tokens of every image.
struct DecodeShape {
  int steps = 1;
  int beam = 1;
  std::vector<int> encoder_tokens;  // one per image (B = size)
  int images() const { return int(encoder_tokens.size()); }
  int rows() const { return images() * beam; }
};

// Per step of the decode (FLOPs and bytes as in the header comment).
std::vector<bench::StepCost> decode_step_costs(const DigitsConfig& c, CacheMode mode,
                                               const DecodeShape& shape, KvPrecision kv);
// The encoder of one image of padded width `width` px.
double encoder_flops(const DigitsConfig& c, int width);
double encoder_weight_bytes(const DigitsConfig& c);
// Bytes of the decoder weights read by a step (fp32), with or without the cross K/V kernels.
double decoder_weight_bytes(const DigitsConfig& c, bool cross_kv);
// KV bytes per token per layer (K and V, all heads, int8 scales included).
double kv_token_bytes(const DigitsConfig& c, KvPrecision kv);

struct DigitsPrediction {
  double working_set_bytes = 0;
  double bandwidth_gbs = 0;  // the bandwidth used for the memory bound
  double encoder_flops = 0, encoder_bytes = 0, encoder_s = 0;
  double decode_flops = 0, decode_bytes = 0, decode_s = 0;  // Σ over steps
  double compute_bound_s = 0, memory_bound_s = 0;           // decode, Σ of each bound
  double first_token_s = 0, per_token_s = 0, total_s = 0;
  int steps = 0, memory_bound_steps = 0;
  nlohmann::json to_json() const;
};
// widths: padded width of every image (encoder tokens = width / 8).
// Bytes of the working set (see above) of a request.
double roofline_working_set_bytes(const DigitsConfig& c, int steps, int beam,
                                  const std::vector<int>& widths, KvPrecision kv);
// working_set_bandwidth_gbs: the read bandwidth measured for the working set; 0: the DRAM
// streaming bandwidth of `ceil`.
DigitsPrediction predict_roofline(const DigitsConfig& c, CacheMode mode, int steps, int beam,
                                  const std::vector<int>& widths, KvPrecision kv,
                                  const bench::Ceilings& ceil,
                                  double working_set_bandwidth_gbs = 0);

// ---- calibration ----

struct CalibrationSample {
  CacheMode mode = CacheMode::full;  // off | self | full
  int steps = 1, beam = 1;
  std::vector<int> encoder_tokens;  // per image
  double seconds = 0;               // measured decode time (total_s - encode_s)
};
// {steps, Ld row_tokens, Ld cross_tokens, Ld attn} of a sample (see header comment).
std::array<double, 4> calibration_features(const DigitsConfig& c, const CalibrationSample& s);
// Σ features x constants.
double predict_calibrated(const DigitsConfig& c, const AutoCalibration& k,
                          const CalibrationSample& s);
// Exact non-negative least squares min |A x - b| (x >= 0) for up to 4 unknowns; ValueError if
// A is empty or rows differ in size.
std::vector<double> nnls_small(const std::vector<std::array<double, 4>>& A,
                               const std::vector<double>& b);
// Fits the four constants (relative residuals); ValueError for fewer than 4 samples or a
// non-positive time. The result is valid, cpu = this machine's CPU model.
AutoCalibration fit_calibration(const DigitsConfig& c, const std::vector<CalibrationSample>& s);

struct CalibrateOptions {
  std::vector<int> lengths{2, 8, 24};
  std::vector<int> batches{1, 4};
  std::vector<int> width_lengths{8, 40};  // encoder widths: those of strings this long
  int reps = 3;                           // median over reps after one warm-up
  std::uint64_t seed = 11;
};
struct CalibrationReport {
  AutoCalibration calibration;
  std::vector<CalibrationSample> samples;  // measured grid
  std::vector<double> predicted_s;         // fitted model per sample
  double max_rel_error = 0, median_rel_error = 0;
  nlohmann::json to_json(const DigitsConfig& c) const;
};
// Measures the grid with `model` on this machine and fits. Progress counts reads.
CalibrationReport calibrate_digits(std::shared_ptr<const DigitsModel> model,
                                   const CalibrateOptions& o, Progress* progress = nullptr);

// ---- the benchmark ----

struct DigitsBenchSpec {
  std::string model;                    // weights file (HDF5); empty: random weights of config
  std::string config = "digits-small";  // preset or JSON file, without --model
  std::vector<int> lengths{5, 10, 20, 30, 50, 80};
  std::vector<int> batches{1, 8};
  std::vector<int> beams{1, 4};
  std::vector<std::string> cache{"off", "self", "full", "auto"};
  std::vector<std::string> kv_precision{"fp32"};
  std::string calibration;    // auto calibration file ("" = default_calibration_path())
  std::string mnist_dir;      // "" = data.hpp's default
  int threads = 0;            // OpenMP threads for the runs and the ceilings (0 = all cores)
  double point_budget_s = 0;  // > 0: reps of a point reduced so its timed runs take about this
  int min_reps = 5;           // never fewer reps than this (nor more than harness.reps)
  bench::HarnessOptions harness;
  nlohmann::json to_json() const;  // the results document's "sweep"
};
// Throws ValueError naming the option: empty list, length outside 1..max_digits of the model,
// batch outside 1..64, beam outside 1..16, unknown cache mode or KV precision, reps < 1,
// min_reps < 1; IoError for a missing model file.
void validate(const DigitsBenchSpec& s, const DigitsConfig& model_config);

// Summary of one (batch, beam, kv) line of the sweep: a cached mode slower than off beyond
// noise (the speedup CI entirely below 1) at some length, and whether the speedup grows with
// length (no drop between consecutive lengths beyond noise, and the longest length's CI lies
// above the shortest's).
struct ModeTrend {
  std::string mode;
  std::vector<int> slower_at;  // lengths where slower than off beyond noise
  bool grows = false;
};
struct BenchSummary {
  int batch = 1, beam = 1;
  std::string kv;
  std::vector<ModeTrend> modes;
  nlohmann::json to_json() const;
};
std::vector<BenchSummary> summarize(const nlohmann::json& results_doc);

// One CSV row per result of a digits results document (columns: docs/format_bench.md).
std::string digits_results_csv(const nlohmann::json& results_doc);

class DigitsBench {
 public:
  explicit DigitsBench(DigitsBenchSpec spec);
  const DigitsBenchSpec& spec() const { return spec_; }
  const DigitsConfig& config() const { return model_->config(); }
  // Groups: lengths x batches x beams (in that nesting, length innermost), settings
  // cache x kv with off (fp32) first.
  std::vector<bench::SweepGroup> groups() const;
  // Runs everything (reps per point reduced by point_budget_s; see the spec) and returns the
  // results document (schema dotakv.bench/1, docs/format_bench.md "digits").
  nlohmann::json run(Progress* progress = nullptr);
  // The calibration used for auto (invalid: none found; auto resolves to full) and a line
  // saying where it came from.
  const AutoCalibration& calibration() const { return calib_; }
  const std::string& calibration_note() const { return calib_note_; }

 private:
  bench::Workload make_workload(const nlohmann::json& setting);
  void annotate_group(const bench::SweepGroup& g, bench::ComparisonResult& c);
  const std::vector<GrayImage>& images(int length, int batch);
  const bench::Ceilings& ceilings();

  DigitsBenchSpec spec_;
  std::shared_ptr<const DigitsModel> model_;
  AutoCalibration calib_;
  std::string calib_note_;
  std::optional<bench::Ceilings> ceilings_;
  std::map<std::pair<int, int>, std::vector<GrayImage>> images_;
  std::map<std::pair<int, int>, std::string> image_source_;
  // per group key: the reference's recorded tokens and logits (for the KV-precision effect)
  struct Recorded {
    std::vector<std::vector<int>> digits;
    std::vector<std::vector<std::vector<float>>> logits;
  };
  std::map<std::string, Recorded> reference_;
};

// The model of a digits benchmark/calibration: `model_path` or random weights (seed 1) of
// `config` (DigitsConfig::from_name_or_file).
std::shared_ptr<const DigitsModel> digits_bench_model(const std::string& model_path,
                                                      const std::string& config);

}  // namespace dotakv::digits
