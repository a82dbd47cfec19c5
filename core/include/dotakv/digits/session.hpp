// DigitsSession: reads digit strings with a DigitsModel (shared, immutable). Owns the mutable
// state: the self-attention KV cache ([layers][rows][NH, max_tokens, HD]), the cross-attention
// KV cache ([layers][images][NH, Te, HD]), the concatenated projection weights and all scratch,
// sized once per request shape, so a decoding step in `self`/`full` mode allocates nothing.
// Both caches are the engine's one KVCache; attention is the engine's one attention_rows().
//
//   auto m = DigitsModel::load_shared("resources/models/dotakv-digits.h5");
//   DigitsSession s(m);
//   ReadOptions o; o.cache = CacheMode::full; o.beam = 4;
//   ReadResult r = s.read(image);           // r.text == "31415"
//
// Cache modes (identical tokens in every mode; logits equal to float rounding, tested 1e-5):
//   off   every step recomputes the whole prefix (self K/V of all tokens, cross K/V from the
//         encoder memory): the honest baseline.
//   self  self-attention K/V cached (one row appended per step); cross K/V recomputed per step.
//   full  self cached and cross K/V computed once per image, shared by every step and beam.
//   auto  one of the three chosen per request by the policy below (ReadStats::mode says which).
// Beam search (width W): rows b*W + w; each step scores W x 13 continuations per image (sum of
// log-probabilities; finished hypotheses carry their score), keeps the best W and reorders the
// self cache rows with KVCache::reorder (copies, never recomputed). Beams of one image share its
// cross cache rows (attention_rows' cache_sample map). W = 1 is greedy.
// Batches: images of different widths decode together (per-image encoder length); a row that
// emitted EOS stops contributing, the request ends when every row has finished or at the
// length limit.
// Errors: ShapeError (height != 32, width beyond max_width), ValueError (NaN/Inf or values
// outside [0,1], empty canvas, beam < 1 or > 16, max_digits beyond the model's), Cancelled.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dotakv/digits/model.hpp"
#include "dotakv/kv_cache.hpp"
#include "dotakv/progress.hpp"

namespace dotakv::digits {

enum class CacheMode { off, self, full, automatic };
std::string to_string(CacheMode m);
CacheMode parse_cache_mode(const std::string& s);  // off|self|full|auto; ConfigError otherwise

// A grey image, ink 1 on 0, [height, width] row-major.
struct GrayImage {
  int height = kImageHeight, width = 0;
  std::vector<float> pixels;
};

// Break-even policy of `auto`: predicted seconds of a request in each mode from calibrated
// per-unit costs (dotakv calibrate --family digits); absent a calibration, `full`.
struct AutoCalibration {
  bool valid = false;
  std::string cpu;
  // seconds per step overhead and per unit of work (see DigitsSession::predict_seconds)
  double step_overhead_s = 0, row_token_s = 0, cross_token_s = 0, attn_s = 0;
  nlohmann::json to_json() const;
  static AutoCalibration from_json(const nlohmann::json& j);
};

// Default location: $DOTAKV_DIGITS_POLICY, else ~/.cache/dotakv/digits_policy.json.
std::string default_calibration_path();
// IoError if unreadable, FormatError if not a calibration (JSON object "digits" inside).
AutoCalibration load_calibration(const std::string& path);
void save_calibration(const std::string& path, const AutoCalibration& c);  // atomic

struct ReadOptions {
  CacheMode cache = CacheMode::full;
  KvPrecision kv_precision = KvPrecision::fp32;
  int beam = 1;                   // 1: greedy
  int max_digits = 0;             // 0: the model's max_digits
  int force_digits = 0;           // > 0: exactly this many digits (EOS masked), for benchmarks
  bool record_attention = false;  // per output token, head-mean cross-attention of the last layer
  bool record_logits = false;     // per output token, the 13 logits of the chosen row
  int threads = 0;                // OpenMP threads (<= 0: leave the process setting)
};

struct BeamHypothesis {
  std::vector<int> digits;
  double log_prob = 0;
  bool finished = false;
};

struct ReadResult {
  std::vector<int> digits;  // without BOS/EOS
  std::string text;
  double log_prob = 0;
  bool finished = false;  // emitted EOS (false: stopped at the length limit)
  int encoder_tokens = 0;
  std::vector<std::vector<float>> logits;           // [steps][13] if record_logits
  std::vector<std::vector<float>> cross_attention;  // [digits][Te] if record_attention
  std::vector<BeamHypothesis> beams;                // best first (beam > 1)
};

struct ReadStats {
  std::string mode;  // the mode that ran (auto resolved)
  std::string requested_mode;
  std::string kv_precision;
  int batch = 0, beam = 1, steps = 0;
  double encode_s = 0, first_token_s = 0, total_s = 0;  // first token: encoder + first step
  std::vector<double> step_s;                           // every decoding step
  double per_token_median_s = 0;                        // median of step_s[1..]
  std::int64_t self_rows_written = 0, cross_rows_written = 0;
  std::size_t self_cache_bytes = 0, cross_cache_bytes = 0, cache_bytes_reserved = 0;
  nlohmann::json to_json() const;
};

using DigitsStepCallback = std::function<void(int step, const std::vector<std::vector<int>>& rows)>;

class DigitsSession {
 public:
  explicit DigitsSession(std::shared_ptr<const DigitsModel> model);
  ~DigitsSession();
  DigitsSession(DigitsSession&&) noexcept;
  DigitsSession& operator=(DigitsSession&&) noexcept;

  const DigitsModel& model() const { return *model_; }
  void set_calibration(AutoCalibration c) { calib_ = std::move(c); }
  const AutoCalibration& calibration() const { return calib_; }

  std::vector<ReadResult> read(const std::vector<GrayImage>& images, const ReadOptions& o = {},
                               Progress* progress = nullptr,
                               const DigitsStepCallback& on_step = {});
  ReadResult read(const GrayImage& image, const ReadOptions& o = {}, Progress* progress = nullptr,
                  const DigitsStepCallback& on_step = {});
  const ReadStats& last_stats() const { return stats_; }
  const KVCache& self_cache() const { return self_; }
  const KVCache& cross_cache() const { return cross_; }

  // Mode `auto` resolves to: the cheapest of off/self/full by predict_seconds() when calibrated,
  // else full.
  CacheMode resolve(CacheMode m, const std::vector<int>& encoder_tokens, int steps, int beam) const;
  // Predicted decoding seconds: decode_work() . (step_overhead_s, row_token_s, cross_token_s,
  // attn_s) of the calibration (0 when uncalibrated).
  double predict_seconds(CacheMode m, const std::vector<int>& encoder_tokens, int steps,
                         int beam) const;

 private:
  struct Impl;
  std::shared_ptr<const DigitsModel> model_;
  KVCache self_, cross_;
  ReadStats stats_;
  AutoCalibration calib_;
  std::unique_ptr<Impl> impl_;
};

// The work of decoding `steps` steps (a forced read of L digits: L; a free one: up to L + 1)
// with `beam` rows per image over images of these encoder lengths, in the four units the
// calibration prices:
//   [0] steps                          (per-step overhead)
//   [1] layers x decoder row-tokens    (off: every step re-runs its whole prefix)
//   [2] layers x cross K/V tokens      (full: once per image; off/self: every step)
//   [3] layers x attention products    (sum over rows of new tokens x (prefix + encoder length))
std::array<double, 4> decode_work(const DigitsConfig& cfg, CacheMode m,
                                  const std::vector<int>& encoder_tokens, int steps, int beam);

// Validates and pads an image for the model: height 32 (ShapeError), finite values in [0, 1]
// (ValueError), not empty (ValueError: no pixel above 0.05), width <= max_width (ShapeError);
// pads with zeros on the right to a multiple of 8.
GrayImage prepare_image(const GrayImage& image, const DigitsConfig& cfg, const std::string& what);

}  // namespace dotakv::digits
