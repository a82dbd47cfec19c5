#include "digits_controller.hpp"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFileInfo>
#include <QThread>
#include <QtConcurrent>
#include <chrono>
#include <cmath>

#include <nlohmann/json.hpp>

#include "dotakv/bench_harness.hpp"
#include "dotakv/digits/data.hpp"
#include "dotakv/error.hpp"

namespace dotakv::gui {

namespace dd = dotakv::digits;

namespace {

double num(const nlohmann::json& p, std::initializer_list<const char*> ms_keys,
           std::initializer_list<const char*> s_keys) {
  for (const char* k : ms_keys)
    if (p.contains(k) && p[k].is_number()) return p[k].get<double>();
  for (const char* k : s_keys)
    if (p.contains(k) && p[k].is_number()) return p[k].get<double>() * 1e3;
  return NAN;
}

// A synthetic handwritten-looking string: per digit a slanted stroke and a short bar.
dd::GrayImage synthetic_string(int digits, int px_per_digit) {
  dd::GrayImage im;
  im.height = dd::kImageHeight;
  im.width = (digits * px_per_digit + 8 + 7) / 8 * 8;
  im.pixels.assign(std::size_t(im.height) * im.width, 0.f);
  auto put = [&](int x, int y) {
    if (x >= 0 && x < im.width && y >= 0 && y < im.height)
      im.pixels[std::size_t(y) * im.width + x] = 1.f;
  };
  for (int d = 0; d < digits; ++d) {
    const int x0 = 4 + d * px_per_digit + px_per_digit / 2;
    for (int y = 6; y < 26; ++y) {
      const int x = x0 + (16 - y) / 4 + (d % 3 == 0 ? 0 : (y < 16 ? (16 - y) / 3 : 0));
      put(x, y);
      put(x + 1, y);
    }
    for (int x = x0 - 4; x <= x0 + 3 && d % 2 == 1; ++x) put(x, 25), put(x, 24);
  }
  return im;
}

}  // namespace

DigitsLatencyCurve parse_digits_bench(const std::string& text, const std::string& what) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    throw FormatError(what + ": not JSON (" + e.what() + ")");
  }
  const nlohmann::json* list = nullptr;
  if (doc.is_array()) list = &doc;
  for (const char* k : {"points", "results", "digits"})
    if (!list && doc.is_object() && doc.contains(k) && doc[k].is_array()) list = &doc[k];
  if (!list)
    throw FormatError(what +
                      ": expected a list of points {mode, length, median_ms, lo_ms, "
                      "hi_ms} (at the top or under \"points\"/\"results\")");
  DigitsLatencyCurve out;
  // `dotakv bench --family digits --json` (docs/format_bench.md): results[] with a "digits"
  // object (length, batch, beam, mode, kv_precision) and the harness "stats" of the request
  // (seconds): one curve per mode at beam 1, the smallest batch, fp32 K/V; IQR as the spread.
  struct Cand {
    DigitsLatencyPoint p;
    int batch, beam;
    std::string kv;
  };
  std::vector<Cand> bench;
  for (const auto& r : *list) {
    if (!r.is_object() || !r.contains("digits") || !r["digits"].is_object() ||
        !r.contains("stats") || !r["stats"].is_object())
      continue;
    const auto& d = r["digits"];
    const auto& st = r["stats"];
    if (!d.contains("mode") || !d["mode"].is_string()) continue;
    const double len = num(d, {"length"}, {}), med = num(st, {}, {"median"});
    if (!std::isfinite(len) || !std::isfinite(med)) continue;
    Cand c;
    c.batch = d.value("batch", 1);
    c.beam = d.value("beam", 1);
    c.kv = d.value("kv_precision", std::string("fp32"));
    const double per = 1.0 / std::max(1, c.batch);
    c.p.mode = QString::fromStdString(d["mode"].get<std::string>());
    c.p.length = int(len);
    c.p.median_ms = med * per;
    c.p.lo_ms = std::isfinite(num(st, {}, {"q1"})) ? num(st, {}, {"q1"}) * per : c.p.median_ms;
    c.p.hi_ms = std::isfinite(num(st, {}, {"q3"})) ? num(st, {}, {"q3"}) * per : c.p.median_ms;
    c.p.n = st.value("n", 0);
    bench.push_back(c);
  }
  if (!bench.empty()) {
    int min_batch = 1 << 30;
    for (const auto& c : bench)
      if (c.beam == 1) min_batch = std::min(min_batch, c.batch);
    for (const auto& c : bench)
      if (c.beam == 1 && c.batch == min_batch && c.kv == "fp32") out.push_back(c.p);
    if (out.isEmpty())
      for (const auto& c : bench) out.push_back(c.p);
    return out;
  }
  for (const auto& p : *list) {
    if (!p.is_object()) continue;
    DigitsLatencyPoint q;
    const nlohmann::json* m = p.contains("mode")    ? &p["mode"]
                              : p.contains("cache") ? &p["cache"]
                                                    : nullptr;
    if (!m || !m->is_string()) continue;
    q.mode = QString::fromStdString(m->get<std::string>());
    const double len = num(p, {"length", "digits", "len"}, {});
    q.median_ms = num(p, {"median_ms"}, {"median_s"});
    if (!std::isfinite(len) || !std::isfinite(q.median_ms)) continue;
    q.length = int(len);
    q.lo_ms = num(p, {"lo_ms", "q1_ms", "min_ms"}, {"lo_s", "q1_s", "min_s"});
    q.hi_ms = num(p, {"hi_ms", "q3_ms", "max_ms"}, {"hi_s", "q3_s", "max_s"});
    if (!std::isfinite(q.lo_ms)) q.lo_ms = q.median_ms;
    if (!std::isfinite(q.hi_ms)) q.hi_ms = q.median_ms;
    if (p.contains("n") && p["n"].is_number()) q.n = p["n"].get<int>();
    if (p.contains("reps") && p["reps"].is_number()) q.n = p["reps"].get<int>();
    out.push_back(q);
  }
  if (out.isEmpty()) throw FormatError(what + ": no point with mode, length and median_ms");
  return out;
}

DigitsLatencyCurve measure_digits_latency(dd::DigitsSession& s, const std::vector<int>& lengths,
                                          int reps, KvPrecision kv, Progress* prog) {
  const auto& cfg = s.model().config();
  std::vector<int> lens;
  for (int L : lengths)
    if (L >= 1 && L <= cfg.max_digits && (L * kMeasurePxPerDigit + 8 + 7) / 8 * 8 <= cfg.max_width)
      lens.push_back(L);
  if (lens.empty())
    throw ValueError("measure: no length fits the model (max " + std::to_string(cfg.max_digits) +
                     " digits)");
  const dd::CacheMode modes[] = {dd::CacheMode::off, dd::CacheMode::self, dd::CacheMode::full};
  const double total = double(lens.size()) * (reps + 1) * 3;
  double done = 0;
  DigitsLatencyCurve out;
  for (int L : lens) {
    const dd::GrayImage im = synthetic_string(L, kMeasurePxPerDigit);
    std::vector<double> t[3];
    for (int r = 0; r <= reps; ++r)  // r == 0: warm-up, discarded
      for (int m = 0; m < 3; ++m) {
        dd::ReadOptions o;
        o.cache = modes[m];
        o.kv_precision = kv;
        o.force_digits = L;
        s.read(im, o, prog);
        if (r > 0) t[m].push_back(s.last_stats().total_s * 1e3);
        report(prog, ++done, total, "length " + std::to_string(L));
      }
    for (int m = 0; m < 3; ++m) {
      const bench::Stats st = bench::compute_stats(t[m]);
      out.push_back(
          {QString::fromStdString(dd::to_string(modes[m])), L, st.median, st.q1, st.q3, st.n});
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

DigitsController::DigitsController(QObject* parent) : QObject(parent) {
  qRegisterMetaType<dotakv::gui::DigitsReading>();
  qRegisterMetaType<dotakv::gui::DigitsLatencyCurve>();
  qRegisterMetaType<dotakv::gui::DigitsTestString>();
  pool_.setMaxThreadCount(1);
  pool_.setExpiryTimeout(-1);
}

DigitsController::~DigitsController() {
  pending_.clear();
  if (current_) current_->cancel();
  pool_.waitForDone();
}

void DigitsController::loadModel(const QString& path) {
  auto m = dd::DigitsModel::load_shared(path.toStdString());  // throws; nothing changed yet
  setModel(std::move(m), QFileInfo(path).fileName());
  model_path_ = path;
}

void DigitsController::setModel(std::shared_ptr<const dd::DigitsModel> m, const QString& name) {
  auto e = std::make_shared<Engine>();
  e->model = std::move(m);
  e->session = std::make_unique<dd::DigitsSession>(e->model);
  try {
    e->session->set_calibration(dd::load_calibration(dd::default_calibration_path()));
  } catch (const std::exception&) {
    // no calibration: `auto` resolves to full (ReadStats::mode says so)
  }
  engine_ = std::move(e);
  model_name_ = name;
  model_path_.clear();
}

const dd::DigitsConfig* DigitsController::config() const {
  return engine_ ? &engine_->model->config() : nullptr;
}

bool DigitsController::calibrated() const {
  return engine_ && engine_->session->calibration().valid;
}

int DigitsController::read(const dd::GrayImage& image, const dd::ReadOptions& o) {
  const int id = ++requests_;
  Job j;
  j.task = [this, image, o, id](Engine* e, Progress* prog) {
    using clock = std::chrono::steady_clock;
    auto last = clock::now();
    DigitsReading r;
    r.options = o;
    r.request = id;
    r.image = dd::prepare_image(image, e->model->config(), "canvas");
    r.result = e->session->read(
        r.image, o, prog, [&](int step, const std::vector<std::vector<int>>& rows) {
          const auto now = clock::now();
          const double dt = std::chrono::duration<double>(now - last).count();
          last = now;
          QVector<int> digits;
          if (!rows.empty())
            for (int t : rows.front())
              if (t >= 0 && t <= 9) digits.push_back(t);
          emit stepReady(step, digits, dt);
        });
    r.stats = e->session->last_stats();
    emit finished(r);
  };
  submit(std::move(j));
  return id;
}

void DigitsController::measure(const std::vector<int>& lengths, int reps, KvPrecision kv) {
  Job j;
  j.kind = MeasureJob;
  j.task = [this, lengths, reps, kv](Engine* e, Progress* prog) {
    emit measured(measure_digits_latency(*e->session, lengths, reps, kv, prog));
  };
  submit(std::move(j));
}

void DigitsController::loadTestString(quint64 seed) {
  Job j;
  j.needs_model = false;
  j.kind = TestStringJob;
  j.task = [this, seed](Engine*, Progress*) {
    if (!mnist_) mnist_ = std::make_shared<const dd::MnistSet>(dd::load_mnist());
    auto strs = dd::compose_strings(*mnist_, dd::Split::test, 1, 4, 10, seed);
    DigitsTestString s;
    s.image.height = dd::kImageHeight;
    s.image.width = strs.front().width;
    s.image.pixels = std::move(strs.front().pixels);
    for (int d : strs.front().labels) s.truth += QChar(u'0' + d);
    emit testStringReady(s);
  };
  submit(std::move(j));
}

void DigitsController::cancel() {
  pending_.clear();
  if (current_) current_->cancel();
}

void DigitsController::submit(Job job) {
  if (job.needs_model && !engine_) {
    emit failed(job.kind, tr("No digits model loaded: choose a model file (Model…)"));
    return;
  }
  if (running_) {
    if (job.kind == ReadJob && running_kind_ == ReadJob && current_) current_->cancel();
    for (auto it = pending_.begin(); it != pending_.end(); ++it)
      if (it->kind == job.kind) {
        pending_.erase(it);
        break;
      }
    pending_.push_back(std::move(job));
    return;
  }
  launch(std::move(job));
}

void DigitsController::launch(Job job) {
  running_ = true;
  running_kind_ = job.kind;
  auto prog = std::make_shared<Progress>([this](double done, double total, const std::string& m) {
    emit progress(total > 0 ? done / total : 0.0, QString::fromStdString(m));
  });
  current_ = prog;
  emit started();
  auto* watcher = new QFutureWatcher<void>(this);
  connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher] {
    watcher->deleteLater();
    running_ = false;
    current_.reset();
    if (!pending_.empty()) {
      Job next = std::move(pending_.front());
      pending_.pop_front();
      launch(std::move(next));
    } else {
      emit idle();
    }
  });
  watcher->setFuture(QtConcurrent::run(
      &pool_, [this, task = std::move(job.task), prog, kind = job.kind, engine = engine_] {
        try {
          task(engine.get(), prog.get());
        } catch (const Cancelled&) {
          emit cancelled();
        } catch (const std::exception& e) {
          QString m = QString::fromStdString(e.what());
          emit failed(kind, m.isEmpty() ? QStringLiteral("unknown error") : m);
        } catch (...) {
          emit failed(kind, QStringLiteral("unknown error"));
        }
      }));
}

bool DigitsController::waitIdle(int timeout_ms) {
  QDeadlineTimer dl(timeout_ms);
  while (busy() && !dl.hasExpired()) {
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(5);
  }
  QCoreApplication::processEvents();
  return !busy();
}

}  // namespace dotakv::gui
