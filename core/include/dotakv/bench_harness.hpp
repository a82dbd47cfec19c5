// Benchmark harness: honest timing of compared settings (issue 7).
//
// What it does, for one comparison (a "group" of settings measured against each other):
//   1. cold start: for every setting, prepare() (e.g. load the model, build a session) and time
//      the FIRST run after it; reported separately as `cold_s`, never mixed with warm samples;
//   2. warm-up: `warmup` further runs per setting, discarded;
//   3. `reps` repetitions INTERLEAVED across settings (A B A B ... by default), so slow drift
//      (frequency scaling, a neighbour process) hits every setting alike; the execution order
//      is recorded;
//   4. per-run wall time on std::chrono::steady_clock;
//   5. statistics per setting: median, mean, sample standard deviation, min, max, quartiles
//      (linear interpolation between order statistics, "type 7"), IQR;
//   6. speedup of every setting against the reference one = median(reference)/median(setting),
//      with a 95 % percentile-bootstrap confidence interval (both sample sets resampled
//      independently, fixed seed, so the same samples always give the same interval);
//   7. every run's output is compared with the reference setting's cold-run output:
//      max |out - ref| is kept (`max_abs_diff`), plus the largest |ref| for relative figures;
//   8. cache bytes reported by the run and the process peak RSS after the setting's runs.
// Progress/cancel: Progress::report() is called after each run; cancelling stops the
// comparison and returns the runs finished so far (ComparisonResult::cancelled = true).
//
// Sweeps (expand_sweep) are cartesian products of `group` axes (batch, slices, chunk, depth,
// threads); within each group the `compared` axes (cache, kv precision, compute precision)
// are interleaved. The engine-specific workloads are built by a WorkloadFactory (see
// bench_workloads.hpp); the harness itself knows nothing about DoTA, which lets the unit tests
// drive it with synthetic workloads of known timing.
//
// Thread-safety: a harness call runs its workloads on the calling thread; run one at a time.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dotakv/progress.hpp"

namespace dotakv::bench {

// ---- statistics -------------------------------------------------------------------------

struct Stats {
  int n = 0;
  double median = 0, mean = 0, sd = 0, min = 0, max = 0, q1 = 0, q3 = 0, iqr = 0;
};
// Throws ValueError for an empty sample set or a non-finite sample. sd is the sample standard
// deviation (n-1 denominator; 0 for n == 1).
Stats compute_stats(const std::vector<double>& samples);
// Quantile p in [0,1] of an ascending-sorted, non-empty vector (linear interpolation, type 7).
double quantile_sorted(const std::vector<double>& sorted, double p);
nlohmann::json to_json(const Stats& s);

struct Interval {
  double lo = 0, hi = 0;
};
// Speedup of `candidate` over `baseline` = median(baseline) / median(candidate) (> 1: candidate
// faster) with a percentile-bootstrap CI at `level`. Deterministic for a given seed.
struct SpeedupEstimate {
  double point = 0;
  Interval ci;
  double level = 0.95;
  int resamples = 0;
  std::uint64_t seed = 0;
};
SpeedupEstimate bootstrap_speedup(const std::vector<double>& baseline,
                                  const std::vector<double>& candidate, int resamples = 2000,
                                  std::uint64_t seed = 0x5eed2026ULL, double level = 0.95);
// Percentile-bootstrap CI at `level` of the median of one sample set (same resampling and
// seed convention as bootstrap_speedup). Throws ValueError for an empty set.
Interval bootstrap_median_ci(const std::vector<double>& samples, int resamples = 2000,
                             std::uint64_t seed = 0x5eed2026ULL, double level = 0.95);

// ---- workloads and one comparison -------------------------------------------------------

// What one timed run returns. `output` may be empty (no check); otherwise every run of every
// setting must return the same number of values as the reference.
struct RunOutput {
  std::vector<float> output;
  std::uint64_t cache_bytes = 0;
  // Optional secondary measurements of this run, by name (e.g. "first_token_s" reported by the
  // engine itself). The harness keeps them per name for the timed runs (metric_samples, same
  // order as samples_s) and for the cold run (cold_metrics); warm-up values are discarded.
  std::vector<std::pair<std::string, double>> metrics;
};

struct Workload {
  std::string label;                 // e.g. "cache=on kv=fp32"
  nlohmann::json settings;           // the setting as key/value pairs (goes into the result)
  std::function<void()> prepare;     // optional, untimed: load model / create session (cold state)
  std::function<void()> before_run;  // optional, untimed, before every run (e.g. the run whose
                                     // cached prefix a prefix-reuse run starts from)
  std::function<RunOutput()> run;    // one timed run (required)
  std::function<nlohmann::json()> annotate;  // optional extra fields (e.g. auto's decision)
};

struct HarnessOptions {
  int warmup = 3;          // discarded runs per setting after the cold run
  int reps = 20;           // timed warm repetitions per setting
  bool interleave = true;  // A B A B ... (false: A A ... B B ..., for comparison only)
  bool cold = true;        // time the first run after prepare() separately
  int bootstrap_resamples = 2000;
  std::uint64_t seed = 0x5eed2026ULL;
  int reference = 0;  // index of the setting others are compared against
  // Injected clock for tests (seconds, monotonic). Default: std::chrono::steady_clock.
  std::function<double()> clock;
};
nlohmann::json to_json(const HarnessOptions& o);

struct WorkloadResult {
  std::string label;
  nlohmann::json settings;
  std::optional<double> cold_s;            // first run after prepare()
  std::vector<double> samples_s;           // warm runs, in execution order
  Stats stats;                             // of samples_s (n == 0 if none finished)
  double max_abs_diff = 0;                 // max over runs of max |out - reference cold output|
  double reference_abs_max = 0;            // max |reference output| (for relative figures)
  bool checked = false;                    // outputs were compared
  std::uint64_t cache_bytes = 0;           // largest value reported by a run
  std::uint64_t peak_rss_bytes = 0;        // process peak RSS after this setting's last run
  std::optional<SpeedupEstimate> speedup;  // vs the reference (absent for the reference)
  std::map<std::string, std::vector<double>> metric_samples;  // RunOutput::metrics, timed runs
  std::map<std::string, double> cold_metrics;                 // RunOutput::metrics, cold run
  nlohmann::json extra = nlohmann::json::object();  // annotate() output, cost model, ...
};

struct ComparisonResult {
  std::vector<WorkloadResult> results;
  std::vector<int> order;  // setting index of every warm run in execution order
  int reference = 0;
  bool cancelled = false;
};

// Runs the comparison. Throws ValueError if `workloads` is empty, a run function is missing,
// reps < 1, warmup < 0 or reference out of range; ShapeError if an output size differs from
// the reference's. Progress is reported in runs (cold + warm-up + reps per setting).
ComparisonResult run_comparison(std::vector<Workload>& workloads, const HarnessOptions& opts,
                                Progress* progress = nullptr);

// Fills `speedup` of every non-reference result from the samples (called by run_comparison;
// public so that partial results can be re-evaluated).
void compute_speedups(ComparisonResult& c, const HarnessOptions& opts);

// ---- sweeps -------------------------------------------------------------------------------

// The axes a user can sweep (issue 7 §2). Lists may hold one value. The compared axes are
// cache × kv_precision × precision; all others are group axes (a cartesian product of groups).
struct SweepSpec {
  std::string workload = "full";  // full | stream | prefix
  std::string config = "full";    // model configuration name when no model file
  std::string model;              // weights file (HDF5), optional
  std::vector<int> batch{1};
  std::vector<int> slices{150};
  std::vector<int> chunk{1};                      // stream: slices per step
  std::vector<int> depth{75};                     // prefix: first edited slice k
  std::vector<int> threads{0};                    // 0 = all cores
  std::vector<std::string> cache{"off", "on"};    // off | on | auto
  std::vector<std::string> kv_precision{"fp32"};  // fp32 | fp16 | int8
  std::vector<std::string> precision{"fp32"};     // compute precision fp32 | bf16
  std::string policy_profile;                     // auto policy profile (JSON), for cache=auto
  HarnessOptions harness;
};
nlohmann::json to_json(const SweepSpec& s);

// Validates values and combinations; throws ValueError naming the option and the bad value
// (empty list, unknown workload/cache/precision, batch outside 1..64, slices outside 1..150,
// chunk < 1, depth outside 0..slices-1, threads < 0) and IoError for a missing model file.
void validate_sweep(const SweepSpec& s);

// One group: the group-axis values plus the compared settings (each a JSON object with keys
// workload, batch, slices, chunk, depth, threads, cache, kv_precision, precision, model, config).
struct SweepGroup {
  nlohmann::json point;                  // group-axis values
  std::vector<nlohmann::json> settings;  // compared settings, reference first (cache=off if any)
};
// Validates, then expands. Irrelevant axes are collapsed (chunk only for stream, depth only
// for prefix) so no duplicate groups are run.
std::vector<SweepGroup> expand_sweep(const SweepSpec& s);

// Builds a Workload for one compared setting (engine workloads: bench_workloads.hpp).
using WorkloadFactory = std::function<Workload(const nlohmann::json& setting)>;
// Called after each group with the results so far (e.g. to add cost-model predictions).
using GroupHook = std::function<void(const SweepGroup&, ComparisonResult&)>;

struct SweepResult {
  std::vector<SweepGroup> groups;             // the groups that ran (possibly partially)
  std::vector<ComparisonResult> comparisons;  // one per group that started
  bool cancelled = false;
};
// Runs every group; a cancel keeps the groups and runs finished so far (cancelled = true).
SweepResult run_sweep(const SweepSpec& spec, const WorkloadFactory& factory,
                      Progress* progress = nullptr, const GroupHook& hook = {});
// The same for groups built elsewhere (other model families: digits/bench.hpp): every group's
// settings are compared with run_comparison (reference = settings[0]), the hook runs after each.
SweepResult run_groups(const std::vector<SweepGroup>& groups, const HarnessOptions& harness,
                       const WorkloadFactory& factory, Progress* progress = nullptr,
                       const GroupHook& hook = {});

// ---- results files (docs/format_bench.md) ----------------------------------------------

// The result document: {"schema":"dotakv.bench/1", "created", "machine" (info_json()),
// "harness", "sweep", "cancelled", "results":[...], "order":[...]}.
nlohmann::json results_json(const SweepSpec& spec, const SweepResult& r);
// The same with the "sweep" object given as JSON (other families). Results with metrics get
// "metrics": {name: {"samples": [...], "stats": {...}, "median_ci95": [lo, hi], "cold": x|null}}.
nlohmann::json results_json(const nlohmann::json& sweep, const HarnessOptions& harness,
                            const SweepResult& r);
// One CSV row per result; columns listed in docs/format_bench.md.
std::string results_csv(const nlohmann::json& results_doc);
// Reads and checks a results document (schema field, results array); throws IoError/FormatError.
nlohmann::json load_results(const std::string& path);
// Atomic writers.
void save_results_json(const nlohmann::json& doc, const std::string& path);
void save_results_csv(const nlohmann::json& doc, const std::string& path);

// A short label for a setting of the compared axes, e.g. "cache=on kv=fp16 bf16".
std::string setting_label(const nlohmann::json& setting);

}  // namespace dotakv::bench
