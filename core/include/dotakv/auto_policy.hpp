// Auto cache policy (issue 7 §3): whether to use the KV cache for a request is decided from
// MEASURED costs on the running machine, never from a hard-coded rule (the seed prototype's
// "cache only for 15 <= length <= 25").
//
// Calibration (calibrate(), `dotakv calibrate`) runs the engine briefly and records, per batch
// size and chunk size:
//   stream  per-step wall times of a cached and of an uncached streamed run, indexed by the
//           number of tokens already processed before the step ("prior tokens"); a prediction
//           for S slices sums the interpolated step costs over the steps the run would take;
//   full    one-shot time with and without K/V storage;
//   prefix  prefix-reuse time at several edit depths k, and the full-recompute time.
// The profile is a JSON file (docs/format_bench.md, schema "dotakv.auto_policy/1") written
// atomically; it names the machine, thread count, model configuration and precisions it was
// measured with. decide() returns the choice, both predicted times and a one-line reason;
// requests outside the calibrated grid use the nearest calibrated batch/chunk and say so.
//
// Thread safety: a const AutoPolicy is safe to share; calibrate() uses the calling thread.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dotakv/progress.hpp"

namespace dotakv {
class Model;
}

namespace dotakv::bench {

struct PolicyRequest {
  std::string workload = "stream";  // full | stream | prefix
  int batch = 1;
  int slices = 150;
  int chunk = 1;  // stream
  int depth = 0;  // prefix: first edited slice
};

struct PolicyDecision {
  bool use_cache = false;
  double predicted_on_s = 0, predicted_off_s = 0;
  std::string reason;  // one line, e.g. "stream 150 slices, chunk 1, batch 1: cached 0.41 s vs ..."
  nlohmann::json to_json() const;
};

// One calibrated stream curve.
struct StreamCurve {
  int batch = 1, chunk = 1;
  std::vector<int> prior_tokens;      // ascending
  std::vector<double> cached_step_s;  // per step, same length
  std::vector<double> uncached_step_s;
  std::vector<int> new_slices;  // slices finished by each step
};
struct FullPoint {
  int batch = 1;
  double off_s = 0, on_s = 0;
};
struct PrefixCurve {
  int batch = 1;
  std::vector<int> depth;       // ascending
  std::vector<double> reuse_s;  // same length
  double full_s = 0;
};

class AutoPolicy {
 public:
  nlohmann::json meta = nlohmann::json::object();  // machine, threads, model config, precisions
  std::vector<StreamCurve> stream;
  std::vector<FullPoint> full;
  std::vector<PrefixCurve> prefix;

  // Throws FormatError (schema, missing or inconsistent fields) naming the field.
  static AutoPolicy from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;
  // IoError if unreadable, FormatError if invalid.
  static AutoPolicy load(const std::string& path);
  void save(const std::string& path) const;  // atomic

  // Throws ValueError if the profile has no data for the request's workload.
  PolicyDecision decide(const PolicyRequest& r) const;
  // Predicted stream totals for `slices` slices (sum of interpolated per-slice step costs).
  double predict_stream_s(const StreamCurve& c, int slices, int chunk, bool cached) const;
  // Smallest slice count (1..max calibrated) at which the cached stream is predicted faster,
  // -1 if never. Reported by `dotakv calibrate` in place of a hard-coded rule.
  int break_even_slices(int batch, int chunk) const;
};

// Default profile location: $DOTAKV_POLICY, else ~/.cache/dotakv/auto_policy.json.
std::string default_policy_path();

struct CalibrationOptions {
  std::vector<int> batches{1};
  std::vector<int> chunks{1, 10};
  std::vector<int> depths;  // prefix depths; empty: 0, S/4, S/2, 3S/4, S-1
  int reps = 3;             // median over reps (after one warm-up run)
  std::string precision = "fp32";
  std::string kv_precision = "fp32";
  std::uint64_t seed = 7;
};
// Measures the profile for `model` on this machine (engine required). Progress in runs.
AutoPolicy calibrate(std::shared_ptr<const Model> model, const CalibrationOptions& o,
                     Progress* progress = nullptr);

}  // namespace dotakv::bench
