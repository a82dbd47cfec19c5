// InferenceController: runs the DoTA engine for the current case in a worker thread and hands
// results back to the GUI thread (queued signals). Owns two Sessions over one shared Model:
//   main  the user's settings (cache Off/On/Auto, streaming, KV precision); its K/V survive
//         between runs, so a CT edit at slice k can reuse tokens 0..k (prefix reuse);
//   aux   the comparison runs: the other cache setting (speedup) and `full` fp32 (max diff).
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
#include <memory>
#include <mutex>
#include <optional>

#include "dotakv/model_config.hpp"
#include "dotakv/progress.hpp"
#include "dotakv/volume.hpp"

namespace dotakv {
class Model;
class Session;
}  // namespace dotakv

namespace dotakv::gui {

enum class CacheMode { Off, On, Auto };

struct InferenceSettings {
  CacheMode cache = CacheMode::On;
  bool streaming = false;
  KvPrecision kv = KvPrecision::fp32;
  int chunk = 10;  // slices per streaming step
  bool operator==(const InferenceSettings&) const = default;
};

struct InferenceReport {
  InferenceSettings settings;
  bool cache_used = false;
  QString auto_reason;  // CacheMode::Auto: why
  QString mode;         // full | stream | prefix
  double latency_s = 0;
  std::optional<double> other_latency_s;   // same run with the other cache setting (aux session)
  std::optional<double> paired_latency_s;  // this setting again on the aux session, right after
  std::optional<double> max_diff_vs_full;  // Gy per primary, vs mode full fp32
  double dose_max = 0;                     // of this result (for a relative figure)
  size_t cache_bytes = 0;
  // prefix reuse after an edit
  bool prefix = false;
  int first_changed_slice = -1;
  long long tokens_reused = 0, tokens_computed = 0;
  std::optional<double> full_recompute_s;
  // "speedup against the other setting": other/this (> 1: this one faster). Uses the paired
  // aux-session runs when present (both warm, back to back, no GUI work competing), else the
  // main run's latency.
  std::optional<double> speedup() const {
    const double self = paired_latency_s ? *paired_latency_s : latency_s;
    if (!other_latency_s || self <= 0) return std::nullopt;
    return *other_latency_s / self;
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
  };
  void submit(Job job);
  void launch(Job job);
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
};

QString cacheModeName(CacheMode m);  // translated "Off"/"On"/"Auto"
// The shipped model: the first loadable *.h5 in DOTAKV_RESOURCES_DIR/models (its file name in
// `file_name`), nullptr if there is none. Used by loadModel and the headless summary.
std::shared_ptr<const Model> load_default_model(QString* file_name = nullptr);

}  // namespace dotakv::gui

Q_DECLARE_METATYPE(dotakv::Volume)
Q_DECLARE_METATYPE(dotakv::gui::InferenceReport)
