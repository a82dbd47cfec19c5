// InferenceController: runs the DoTA engine for the current case in a worker thread and hands
// results back to the GUI thread (queued signals). Owns two Sessions over one shared Model:
//   main  the user's settings (cache Off/On/Auto, streaming, KV-cache storage precision, compute
//         precision fp32/bf16); its K/V survive between runs, so a CT edit at slice k can reuse
//         tokens 0..k (prefix reuse);
//   aux   the comparison runs: `full` fp32 (max diff), then the timing: this setting against the
//         other cache setting (after an edit: prefix reuse against a full recompute), through
//         core's benchmark harness (bench::run_comparison): kTimingWarmup discarded runs, then
//         kTimingRuns interleaved runs each; the report carries median and quartiles of both and
//         the speedup's 95 % bootstrap interval (bench::Stats, bench::SpeedupEstimate).
// Sessions are not thread-safe; every job runs on a private one-thread pool, one at a time.
// A new request cancels the running one (dotakv::Progress) and runs after it.
//
// Report flow: started -> (stepReady...)* -> finished(report) [dose available] ->
//              reportUpdated(report) [speedup + max diff filled in]  | failed(message).
#pragma once
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <array>
#include <memory>
#include <mutex>
#include <optional>

#include "dotakv/bench_harness.hpp"
#include "dotakv/model_config.hpp"
#include "dotakv/progress.hpp"
#include "dotakv/volume.hpp"

namespace dotakv {
class Model;
class Session;
struct SessionOptions;
}  // namespace dotakv

namespace dotakv::gui {

enum class CacheMode { Off, On, Auto };

struct InferenceSettings {
  CacheMode cache = CacheMode::On;
  bool streaming = false;
  KvPrecision kv = KvPrecision::fp32;                 // KV-cache storage
  ComputePrecision compute = ComputePrecision::fp32;  // arithmetic of the heavy kernels
  int chunk = 10;                                     // slices per streaming step
  bool operator==(const InferenceSettings&) const = default;
};

struct InferenceReport {
  InferenceSettings settings;
  bool cache_used = false;
  QString auto_reason;  // CacheMode::Auto: why
  QString mode;         // full | stream | prefix
  QString precision;    // compute precision that ran (bf16 falls back to fp32 if unsupported)
  uint64_t ct_fingerprint = 0;  // of the CT this dose was computed on (CaseModel staleness)
  int generation = 0;           // InferenceController::clearReport() count when submitted
  double latency_s = 0;         // the main run (one run, shown while the timing runs)
  // Timing on the aux session (absent until measured, or when there is nothing to compare):
  std::optional<bench::Stats> this_stats, other_stats;
  std::optional<bench::SpeedupEstimate> speedup_estimate;  // median(other)/median(this), CI
  QString other_label;                                     // "cache off", "full recompute", ...
  std::optional<double> other_latency_s;                   // median of other_stats
  std::optional<double> paired_latency_s;                  // median of this_stats
  std::optional<double> max_diff_vs_full;                  // Gy per primary, vs mode full fp32
  double dose_max = 0;                                     // of this result (for a relative figure)
  size_t cache_bytes = 0;
  // prefix reuse after an edit
  bool prefix = false;
  int first_changed_slice = -1;
  long long tokens_reused = 0, tokens_computed = 0;
  std::optional<double> full_recompute_s;
  // "speedup against the other setting": median(other)/median(this) (> 1: this one faster).
  std::optional<double> speedup() const {
    if (!speedup_estimate) return std::nullopt;
    return speedup_estimate->point;
  }
};

class InferenceController : public QObject {
  Q_OBJECT
 public:
  explicit InferenceController(QObject* parent = nullptr);
  ~InferenceController() override;

  // Loads the model: `path` (HDF5 weights) or, if empty, the first *.h5 in
  // DOTAKV_RESOURCES_DIR/models; falls back to seeded random "compact" weights (described as
  // such). Returns the description. Throws dotakv::Error if `path` is given and fails.
  QString loadModel(const QString& path = {});
  bool hasModel() const { return bool(model_); }
  QString modelDescription() const { return model_desc_; }
  // True when no trained weights were found and seeded random weights are used.
  bool randomWeights() const { return random_weights_; }
  // True if volumes of this grid can be run by the model.
  bool acceptsGrid(const Volume& v) const;
  // The model's grid (slices, rows, cols); zeros without a model.
  std::array<int, 3> modelGrid() const;
  // Forgets the last report (a new case: its timings are not this case's); reports of jobs
  // submitted before are no longer stored. Callers refresh their display.
  void clearReport() {
    last_.reset();
    ++generation_;
  }

  const InferenceSettings& settings() const { return settings_; }
  void setSettings(const InferenceSettings& s);  // emits settingsChanged; no recompute by itself

  // Full recompute of `ct` at `energy` with the current settings.
  void recompute(const Volume& ct, double energy_mev);
  // After an edit: reuse the main session's K/V of tokens before `first_changed_slice`.
  void recomputeEdited(const Volume& ct, double energy_mev, int first_changed_slice);
  void cancel();
  bool busy() const { return running_; }
  // Blocks (processing events) until idle or timeout; for tests and --screenshot.
  bool waitIdle(int timeout_ms);
  const std::optional<InferenceReport>& lastReport() const { return last_; }

 signals:
  void settingsChanged();
  void started();
  void progress(double fraction, const QString& message);
  void stepReady(const dotakv::Volume& partial, int slice_end);
  void finished(const dotakv::Volume& dose, const dotakv::gui::InferenceReport& report);
  void reportUpdated(const dotakv::gui::InferenceReport& report);
  void failed(const QString& message);
  void idle();

 private:
  struct Job {
    Volume ct;
    double energy = 0;
    InferenceSettings settings;
    int first_changed = -1;  // >= 0: prefix reuse
    int generation = 0;
  };
  void submit(Job job);
  void launch(Job job);
  void measureTiming(const Job& job, const SessionOptions& o, const Volume& previous_ct,
                     InferenceReport& rep, Progress* prog);                // worker thread
  void runJob(const Job& job, const std::shared_ptr<Progress>& progress);  // worker thread

  std::shared_ptr<const Model> model_;
  QString model_desc_;
  bool random_weights_ = false;
  std::unique_ptr<Session> main_, aux_;
  InferenceSettings settings_;
  QThreadPool pool_;
  std::shared_ptr<Progress> current_;
  std::optional<Job> pending_;
  bool running_ = false;
  std::optional<InferenceReport> last_;
  Volume last_ct_;      // CT of the main session's last run (worker thread only)
  int generation_ = 0;  // bumped by clearReport(); results of older jobs are not stored
};

inline constexpr int kTimingWarmup = 1;  // discarded runs per setting before the timed ones
inline constexpr int kTimingRuns = 5;    // timed runs per setting (median, quartiles)

QString cacheModeName(CacheMode m);  // translated "Off"/"On"/"Auto"
// The shipped model: the first loadable *.h5 in DOTAKV_RESOURCES_DIR/models (its file name in
// `file_name`), nullptr if there is none. Used by loadModel and the headless summary.
std::shared_ptr<const Model> load_default_model(QString* file_name = nullptr);

}  // namespace dotakv::gui

Q_DECLARE_METATYPE(dotakv::Volume)
Q_DECLARE_METATYPE(dotakv::gui::InferenceReport)
