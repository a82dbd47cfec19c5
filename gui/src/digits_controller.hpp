// DigitsController: runs the digits model (core's DigitsSession, digits/session.hpp) for the
// studio's Digits workspace on a private one-thread pool and hands results back to the GUI thread
// through queued signals. The GUI thread never computes: reads, the latency sweep ("Measure")
// and loading MNIST for a random test string all run on the pool.
//
//   auto* c = new DigitsController(this);
//   c->loadModel(path);                       // throws dotakv::Error; the previous model stays
//   c->read(image, options);                  // started -> stepReady* -> finished | failed
//
// One job at a time, in order: a new read cancels a running read (dotakv::Progress) and runs
// after it, and replaces a waiting job of its kind (only the newest read, sweep or test string
// waits), so toggling the cache mode re-reads live while a sweep is never lost to a read. Every job
// holds the model + session it was submitted with (an Engine), so loading another model never
// races a running job. Errors arrive as failed(core's message); a cancel as cancelled().
// Flow of a read: started() -> stepReady(step, best row's digits so far, seconds since the
// previous step; the first includes the encoder) per decoding step -> finished(reading).
#pragma once
#include <QFutureWatcher>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QVector>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include "dotakv/digits/session.hpp"
#include "dotakv/progress.hpp"

namespace dotakv::digits {
struct MnistSet;
}

namespace dotakv::gui {

// A finished read: what the panel shows.
struct DigitsReading {
  dotakv::digits::GrayImage image;  // as read (padded to a multiple of 8)
  dotakv::digits::ReadOptions options;
  dotakv::digits::ReadResult result;
  dotakv::digits::ReadStats stats;
  int request = 0;  // DigitsController::read()'s return value
};

// One point of the latency-vs-length chart (a benchmark file or the in-process sweep).
struct DigitsLatencyPoint {
  QString mode;  // off | self | full (| auto)
  int length = 0;
  double median_ms = 0, lo_ms = 0, hi_ms = 0;  // median and spread (IQR or min/max)
  int n = 0;                                   // repetitions (0: unknown)
};
using DigitsLatencyCurve = QVector<DigitsLatencyPoint>;

// A test string for the canvas (MNIST test split) with its true digits.
struct DigitsTestString {
  dotakv::digits::GrayImage image;
  QString truth;
};

// Parses a digits benchmark document: `dotakv bench --family digits --json` (results[] with a
// "digits" object; the curve per mode at beam 1, the smallest batch, fp32 K/V: median and IQR
// of the read per string), or a plain list of points {mode, length, median_ms, lo_ms, hi_ms}
// at the top level or under "points" / "results" / "digits" (also accepted per point: "cache"
// for mode, "digits" for length, "q1_ms"/"q3_ms" or "min_ms"/"max_ms" for the spread, "*_s" in
// seconds). Throws dotakv::FormatError naming `what` when nothing usable is found.
DigitsLatencyCurve parse_digits_bench(const std::string& json_text, const std::string& what);
// The sweep behind "Measure": lengths (digits, forced with ReadOptions::force_digits), modes
// off/self/full, `reps` timed reads each after one warm-up, interleaved by mode; the image is a
// synthetic string of `px_per_digit` columns per digit. Point = median and IQR of the read time.
DigitsLatencyCurve measure_digits_latency(dotakv::digits::DigitsSession& session,
                                          const std::vector<int>& lengths, int reps,
                                          dotakv::KvPrecision kv, Progress* progress);
inline constexpr int kMeasurePxPerDigit = 24;

class DigitsController : public QObject {
  Q_OBJECT
 public:
  enum JobKind { ReadJob = 0, MeasureJob, TestStringJob };
  explicit DigitsController(QObject* parent = nullptr);
  ~DigitsController() override;

  // Loads a digits model file; on failure throws dotakv::Error and keeps the current model.
  void loadModel(const QString& path);
  // Uses an in-memory model (tests); `name` is what modelName() says.
  void setModel(std::shared_ptr<const dotakv::digits::DigitsModel> m, const QString& name);
  bool hasModel() const { return bool(engine_); }
  QString modelPath() const { return model_path_; }
  QString modelName() const { return model_name_; }
  const dotakv::digits::DigitsConfig* config() const;
  std::shared_ptr<const dotakv::digits::DigitsModel> model() const {
    return engine_ ? engine_->model : nullptr;
  }
  // Whether `auto` has a calibration (dotakv calibrate --family digits) to decide with.
  bool calibrated() const;

  // Queues a read; returns its request number (DigitsReading::request).
  int read(const dotakv::digits::GrayImage& image, const dotakv::digits::ReadOptions& o);
  // Queues the latency sweep -> measured(curve).
  void measure(const std::vector<int>& lengths, int reps, dotakv::KvPrecision kv);
  // Queues composing a random MNIST test string (MNIST loaded once, from default_mnist_dir())
  // -> testStringReady(string).
  void loadTestString(quint64 seed);
  void cancel();
  bool busy() const { return running_ || !pending_.empty(); }
  bool waitIdle(int timeout_ms);

 signals:
  void started();
  void progress(double fraction, const QString& message);
  void stepReady(int step, const QVector<int>& digits, double seconds);
  void finished(const dotakv::gui::DigitsReading& reading);
  void measured(const dotakv::gui::DigitsLatencyCurve& curve);
  void testStringReady(const dotakv::gui::DigitsTestString& s);
  // kind: what failed (JobKind), message: core's.
  void failed(int kind, const QString& message);
  void cancelled();
  void idle();

 private:
  struct Engine {
    std::shared_ptr<const dotakv::digits::DigitsModel> model;
    std::unique_ptr<dotakv::digits::DigitsSession> session;
  };
  using Task = std::function<void(Engine* engine, Progress* progress)>;
  struct Job {
    Task task;
    int kind = ReadJob;
    bool needs_model = true;
  };
  void submit(Job job);
  void launch(Job job);

  std::shared_ptr<Engine> engine_;
  QString model_path_, model_name_;
  std::shared_ptr<const dotakv::digits::MnistSet> mnist_;  // worker thread only
  QThreadPool pool_;
  std::shared_ptr<Progress> current_;
  std::deque<Job> pending_;
  int running_kind_ = ReadJob;
  bool running_ = false;
  int requests_ = 0;
};

}  // namespace dotakv::gui

Q_DECLARE_METATYPE(dotakv::gui::DigitsReading)
Q_DECLARE_METATYPE(dotakv::gui::DigitsLatencyCurve)
Q_DECLARE_METATYPE(dotakv::gui::DigitsTestString)
