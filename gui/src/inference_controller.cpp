#include "inference_controller.hpp"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QThread>
#include <QtConcurrent>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "case_model.hpp"
#include "dotakv/auto_policy.hpp"
#include "dotakv/error.hpp"
#include "dotakv/model.hpp"
#include "dotakv/session.hpp"

namespace dotakv::gui {

QString cacheModeName(CacheMode m) {
  switch (m) {
    case CacheMode::Off:
      return InferenceController::tr("Off");
    case CacheMode::On:
      return InferenceController::tr("On");
    case CacheMode::Auto:
      return InferenceController::tr("Auto");
  }
  return {};
}

std::shared_ptr<const Model> load_default_model(QString* file_name) {
  const QDir dir(QStringLiteral(DOTAKV_RESOURCES_DIR "/models"));
  for (const QString& f : dir.entryList({QStringLiteral("*.h5")}, QDir::Files, QDir::Name)) {
    try {
      auto m = Model::load_shared(dir.filePath(f).toStdString());
      if (file_name) *file_name = f;
      return m;
    } catch (const Error&) {
    }
  }
  return nullptr;
}

InferenceController::InferenceController(QObject* parent) : QObject(parent) {
  qRegisterMetaType<dotakv::Volume>();
  qRegisterMetaType<dotakv::gui::InferenceReport>();
  pool_.setMaxThreadCount(1);
  pool_.setExpiryTimeout(-1);
  connect(this, &InferenceController::finished, this,
          [this](const Volume&, const InferenceReport& r) {
            if (r.generation == generation_) last_ = r;
          });
  connect(this, &InferenceController::reportUpdated, this, [this](const InferenceReport& r) {
    if (r.generation == generation_) last_ = r;
  });
}

InferenceController::~InferenceController() {
  pending_.reset();
  if (current_) current_->cancel();
  pool_.waitForDone();
}

QString InferenceController::loadModel(const QString& path) {
  std::shared_ptr<const Model> m;
  QString desc;
  bool random = false;
  if (!path.isEmpty()) {
    m = Model::load_shared(path.toStdString());
    desc = QFileInfo(path).fileName();
  } else {
    m = load_default_model(&desc);
    if (!m) {
      m = Model::random_shared(ModelConfig::preset("compact"), 1);
      desc = tr("random weights (no trained model found)");
      random = true;
    }
  }
  pool_.waitForDone();
  random_weights_ = random;
  model_ = std::move(m);
  model_desc_ = desc;
  SessionOptions o;
  main_ = std::make_unique<Session>(model_, o);
  aux_ = std::make_unique<Session>(model_, o);
  // Warm-up (primitive creation, weight reorders) so the first timed run is not a cold start.
  // Runs on the pool before any job; jobs queue behind it.
  const auto& c = model_->config();
  (void)QtConcurrent::run(&pool_, [this, v = Volume(c.num_slices, c.rows(), c.cols(), 0.f)] {
    try {
      const double e = model_->scaling().energy_min_mev;
      main_->infer(v, e);
      aux_->infer(v, e);
      main_->reset();
      aux_->reset();
    } catch (const std::exception&) {
    }
  });
  return desc;
}

std::array<int, 3> InferenceController::modelGrid() const {
  if (!model_) return {0, 0, 0};
  const auto& c = model_->config();
  return {c.num_slices, c.rows(), c.cols()};
}

bool InferenceController::acceptsGrid(const Volume& v) const {
  if (!model_) return false;
  const auto& c = model_->config();
  return v.slices == c.num_slices && v.rows == c.rows() && v.cols == c.cols();
}

void InferenceController::setSettings(const InferenceSettings& s) {
  if (s == settings_) return;
  settings_ = s;
  emit settingsChanged();
}

void InferenceController::recompute(const Volume& ct, double energy_mev) {
  submit({ct, energy_mev, settings_, -1, generation_});
}

void InferenceController::recomputeEdited(const Volume& ct, double energy_mev, int first_changed) {
  submit({ct, energy_mev, settings_, std::max(first_changed, 0), generation_});
}

void InferenceController::cancel() {
  pending_.reset();
  if (current_) current_->cancel();
}

void InferenceController::submit(Job job) {
  if (!model_) {
    emit failed(tr("No model loaded"));
    return;
  }
  if (!acceptsGrid(job.ct)) {
    const auto& c = model_->config();
    emit failed(tr("The case grid %1×%2×%3 does not match the model grid %4×%5×%6")
                    .arg(job.ct.slices)
                    .arg(job.ct.rows)
                    .arg(job.ct.cols)
                    .arg(c.num_slices)
                    .arg(c.rows())
                    .arg(c.cols()));
    return;
  }
  if (running_) {
    // A prefix job queued behind another edit must still reuse from the earliest change.
    if (pending_ && pending_->first_changed >= 0 && job.first_changed >= 0)
      job.first_changed = std::min(job.first_changed, pending_->first_changed);
    pending_ = std::move(job);
    if (current_) current_->cancel();
    return;
  }
  launch(std::move(job));
}

void InferenceController::launch(Job job) {
  running_ = true;
  auto prog = std::make_shared<Progress>();
  current_ = prog;
  emit started();
  auto* watcher = new QFutureWatcher<void>(this);
  connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher] {
    watcher->deleteLater();
    running_ = false;
    current_.reset();
    if (pending_) {
      Job next = std::move(*pending_);
      pending_.reset();
      launch(std::move(next));
    } else {
      emit idle();
    }
  });
  watcher->setFuture(
      QtConcurrent::run(&pool_, [this, job = std::move(job), prog] { runJob(job, prog); }));
}

namespace {
double max_abs_diff(const Volume& a, const Volume& b) {
  double m = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i)
    m = std::max(m, double(std::abs(a.data[i] - b.data[i])));
  return m;
}
}  // namespace

void InferenceController::runJob(const Job& job, const std::shared_ptr<Progress>& prog) {
  InferenceReport rep;
  rep.settings = job.settings;
  rep.generation = job.generation;
  rep.prefix = job.first_changed >= 0;
  rep.first_changed_slice = job.first_changed;
  rep.ct_fingerprint = ct_fingerprint(job.ct);
  const Volume previous_ct = last_ct_;
  try {
    const bool stream = job.settings.streaming;
    bool cache = job.settings.cache == CacheMode::On;
    if (job.settings.cache == CacheMode::Auto) {
      bench::PolicyRequest r;
      r.workload = rep.prefix ? "prefix" : stream ? "stream" : "full";
      r.slices = job.ct.slices;
      r.chunk = job.settings.chunk;
      r.depth = std::max(job.first_changed, 0);
      try {
        const auto policy = bench::AutoPolicy::load(bench::default_policy_path());
        const auto d = policy.decide(r);
        cache = d.use_cache;
        rep.auto_reason = QString::fromStdString(d.reason);
      } catch (const Error& e) {
        // No calibration profile: keep K/V (needed for prefix reuse, never slower per step).
        cache = true;
        rep.auto_reason =
            tr("no calibration profile (%1); run `dotakv calibrate` — using the cache")
                .arg(QString::fromStdString(e.what()));
      }
    }
    rep.cache_used = cache;
    SessionOptions o;
    o.mode = stream ? Mode::stream : Mode::full;
    o.cache = cache;
    o.chunk = std::max(1, job.settings.chunk);
    o.kv_precision = job.settings.kv;
    o.precision = job.settings.compute;
    main_->set_options(o);

    auto last_emit = std::chrono::steady_clock::now() - std::chrono::seconds(1);
    StepCallback cb;
    if (stream) {
      cb = [&](const StepInfo& st) {
        const auto now = std::chrono::steady_clock::now();
        const bool final_step = st.step + 1 >= st.steps;
        emit progress(double(st.slice_end) / std::max(1, job.ct.slices), QString());
        if (st.doses && !st.doses->empty() &&
            (final_step || now - last_emit > std::chrono::milliseconds(40))) {
          last_emit = now;
          emit stepReady((*st.doses)[0], st.slice_end);
        }
      };
    }
    Volume dose;
    if (rep.prefix)
      dose = main_->infer_reusing_prefix(job.ct, job.energy, job.first_changed, cb, prog.get());
    else
      dose = main_->infer(job.ct, job.energy, cb, prog.get());
    last_ct_ = job.ct;
    const RunStats& st = main_->last_stats();
    rep.mode = QString::fromStdString(st.mode);
    rep.precision = QString::fromStdString(st.precision);
    rep.latency_s = st.latency_s;
    rep.cache_bytes = st.cache_bytes_in_use;
    rep.tokens_reused = st.tokens_reused;
    rep.tokens_computed = st.tokens_computed;
    for (float x : dose.data) rep.dose_max = std::max(rep.dose_max, double(x));
    emit finished(dose, rep);

    // Comparison runs on the aux session (cancellable; the dose above is already shown).
    SessionOptions full;
    full.mode = Mode::full;
    full.cache = false;
    aux_->set_options(full);
    const Volume ref = aux_->infer(job.ct, job.energy, {}, prog.get());
    rep.max_diff_vs_full = max_abs_diff(ref, dose);
    emit reportUpdated(rep);
    measureTiming(job, o, previous_ct, rep, prog.get());
    emit reportUpdated(rep);
  } catch (const Cancelled&) {
    emit progress(0, tr("cancelled"));
  } catch (const std::exception& e) {
    emit failed(QString::fromStdString(e.what()));
  }
}

void InferenceController::measureTiming(const Job& job, const SessionOptions& o,
                                        const Volume& previous_ct, InferenceReport& rep,
                                        Progress* prog) {
  // Workload 0 is the baseline ("other"), 1 this setting; speedup = median(0) / median(1).
  std::vector<bench::Workload> w(2);
  SessionOptions other = o;
  // a fresh inference of the current CT with the given options (cache reset before each run)
  auto time_fresh_pass = [&](bench::Workload& wl, const SessionOptions& so) {
    wl.before_run = [this, &so] {
      aux_->set_options(so);
      aux_->reset();
    };
    wl.run = [this, &job, prog] {
      aux_->infer(job.ct, job.energy, {}, prog);
      return bench::RunOutput{};
    };
  };
  if (rep.prefix) {
    // Prefix reuse needs K/V of the pre-edit CT: without the cache, or without that CT (an edit
    // queued behind another), there is nothing to compare it with.
    if (!o.cache || !previous_ct.same_grid(job.ct)) return;
    other.mode = Mode::full;
    other.cache = false;
    rep.other_label = tr("full recompute");
    w[1].before_run = [&] {  // untimed: the pass whose K/V the prefix run reuses
      aux_->set_options(o);
      aux_->reset();
      aux_->infer(previous_ct, job.energy, {}, prog);
    };
    w[1].run = [&] {
      aux_->infer_reusing_prefix(job.ct, job.energy, job.first_changed, {}, prog);
      return bench::RunOutput{};
    };
  } else {
    other.cache = !o.cache;
    rep.other_label = other.cache ? tr("cache on") : tr("cache off");
    time_fresh_pass(w[1], o);
  }
  w[0].label = "other";
  time_fresh_pass(w[0], other);
  w[1].label = "this";
  bench::HarnessOptions h;
  h.warmup = kTimingWarmup;
  h.reps = kTimingRuns;
  h.cold = false;
  h.interleave = true;
  h.reference = 0;
  const auto c = bench::run_comparison(w, h);
  if (prog && prog->cancelled()) throw Cancelled();
  if (c.cancelled || c.results[0].stats.n == 0 || c.results[1].stats.n == 0) return;
  rep.other_stats = c.results[0].stats;
  rep.this_stats = c.results[1].stats;
  rep.speedup_estimate = c.results[1].speedup;
  rep.other_latency_s = rep.other_stats->median;
  rep.paired_latency_s = rep.this_stats->median;
  if (rep.prefix) rep.full_recompute_s = rep.other_stats->median;
}

bool InferenceController::waitIdle(int timeout_ms) {
  QDeadlineTimer dl(timeout_ms);
  while ((running_ || pending_) && !dl.hasExpired()) {
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(5);
  }
  QCoreApplication::processEvents();
  return !running_ && !pending_;
}

}  // namespace dotakv::gui
