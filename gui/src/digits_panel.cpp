#include "digits_panel.hpp"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollArea>
#include <QSettings>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtCharts/QChartView>
#include <QtCharts/QValueAxis>
#include <cmath>

#include "charts_bench.hpp"
#include "digits_canvas.hpp"
#include "dotakv/bench_harness.hpp"
#include "dotakv/digits/data.hpp"
#include "dotakv/error.hpp"

namespace dotakv::gui {

namespace dd = dotakv::digits;

namespace {

const QString kGroup = QStringLiteral("digits/");
constexpr int kDefaultWidth = 160;

QString fmt_ms(double s) {
  const double ms = s * 1e3;
  return ms < 10 ? QStringLiteral("%1 ms").arg(ms, 0, 'f', 2)
                 : QStringLiteral("%1 ms").arg(ms, 0, 'f', 1);
}
QString fmt_kib(double b) {
  return b >= 1 << 20 ? QStringLiteral("%1 MiB").arg(b / (1 << 20), 0, 'f', 2)
                      : QStringLiteral("%1 KiB").arg(b / 1024, 0, 'f', 1);
}
int mode_index(dd::CacheMode m) {
  return int(m);
}  // combo order = enum order
dd::CacheMode mode_at(int i) {
  return dd::CacheMode(std::clamp(i, 0, 3));
}
QString mode_key(dd::CacheMode m) {
  return QString::fromStdString(dd::to_string(m));
}

// Benchmark files looked for when none was chosen: a run of the user's own
// (`dotakv bench --family digits --json ~/.cache/dotakv/digits_bench.json`), then the project's
// published run (docs/bench/digits_bench.json, docs/BENCHMARKS_digits.md).
QStringList default_bench_paths() {
  return {QDir::home().filePath(QStringLiteral(".cache/dotakv/digits_bench.json")),
          QStringLiteral(DOTAKV_RESOURCES_DIR "/../docs/bench/digits_bench.json")};
}

QString read_text(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly))
    throw dotakv::IoError(path.toStdString() + ": cannot read (" + f.errorString().toStdString() +
                          ")");
  return QString::fromUtf8(f.readAll());
}

}  // namespace

QString DigitsPanel::defaultModelPath() {
  return QStringLiteral(DOTAKV_RESOURCES_DIR "/models/dotakv-digits.h5");
}

DigitsPanel::DigitsPanel(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("DigitsPanel"));
  controller_ = new DigitsController(this);

  // ---- left column: model, input, decoding ----
  model_box_ = new QGroupBox;
  model_label_ = new QLabel;
  model_label_->setObjectName(QStringLiteral("digitsModel"));
  model_label_->setWordWrap(true);
  model_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  model_btn_ = new QPushButton;
  model_btn_->setObjectName(QStringLiteral("digitsChooseModel"));
  {
    auto* l = new QVBoxLayout(model_box_);
    l->addWidget(model_label_);
    l->addWidget(model_btn_, 0, Qt::AlignLeft);
  }

  input_box_ = new QGroupBox;
  brush_ = new QDoubleSpinBox;
  brush_->setObjectName(QStringLiteral("digitsBrush"));
  brush_->setRange(0.5, 4.0);
  brush_->setSingleStep(0.25);
  brush_->setDecimals(2);
  brush_->setSuffix(QStringLiteral(" px"));
  width_ = new QSpinBox;
  width_->setObjectName(QStringLiteral("digitsWidth"));
  width_->setRange(8, dd::kMaxWidth);
  width_->setSingleStep(8);
  width_->setSuffix(QStringLiteral(" px"));
  brush_label_ = new QLabel;
  width_label_ = new QLabel;
  undo_btn_ = new QPushButton;
  undo_btn_->setObjectName(QStringLiteral("digitsUndo"));
  clear_btn_ = new QPushButton;
  clear_btn_->setObjectName(QStringLiteral("digitsClear"));
  png_btn_ = new QPushButton;
  png_btn_->setObjectName(QStringLiteral("digitsOpenPng"));
  random_btn_ = new QPushButton;
  random_btn_->setObjectName(QStringLiteral("digitsRandom"));
  {
    auto* l = new QVBoxLayout(input_box_);
    auto* f = new QFormLayout;
    f->addRow(brush_label_, brush_);
    f->addRow(width_label_, width_);
    l->addLayout(f);
    auto* row = new QHBoxLayout;
    row->addWidget(undo_btn_);
    row->addWidget(clear_btn_);
    l->addLayout(row);
    l->addWidget(png_btn_);
    l->addWidget(random_btn_);
  }

  decode_box_ = new QGroupBox;
  cache_ = new QComboBox;
  cache_->setObjectName(QStringLiteral("digitsCache"));
  for (int i = 0; i < 4; ++i) cache_->addItem(QString());
  cache_->setSizeAdjustPolicy(QComboBox::AdjustToContents);  // the items change with the language
  beam_ = new QSpinBox;
  beam_->setObjectName(QStringLiteral("digitsBeam"));
  beam_->setRange(1, 8);
  kv_ = new QComboBox;
  kv_->setObjectName(QStringLiteral("digitsKv"));
  kv_->addItems({QStringLiteral("fp32"), QStringLiteral("fp16"), QStringLiteral("int8")});
  cache_label_ = new QLabel;
  beam_label_ = new QLabel;
  kv_label_ = new QLabel;
  read_btn_ = new QPushButton;
  read_btn_->setObjectName(QStringLiteral("digitsRead"));
  read_btn_->setDefault(true);
  cancel_btn_ = new QPushButton;
  cancel_btn_->setObjectName(QStringLiteral("digitsCancel"));
  cancel_btn_->setEnabled(false);
  progress_ = new QProgressBar;
  progress_->setRange(0, 1000);
  progress_->setTextVisible(false);
  progress_->setMaximumHeight(8);
  progress_->setVisible(false);
  {
    auto* l = new QVBoxLayout(decode_box_);
    auto* f = new QFormLayout;
    f->addRow(cache_label_, cache_);
    f->addRow(beam_label_, beam_);
    f->addRow(kv_label_, kv_);
    l->addLayout(f);
    auto* row = new QHBoxLayout;
    row->addWidget(read_btn_, 1);
    row->addWidget(cancel_btn_);
    l->addLayout(row);
    l->addWidget(progress_);
  }
  auto* left = new QWidget;
  {
    auto* l = new QVBoxLayout(left);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(model_box_);
    l->addWidget(input_box_);
    l->addWidget(decode_box_);
    l->addStretch(1);
  }
  left->setMaximumWidth(360);

  // ---- right: canvas, tokens, text, stats, beams | chart ----
  canvas_ = new DigitsCanvas;
  truth_ = new QLabel;
  truth_->setObjectName(QStringLiteral("digitsTruth"));
  att_label_ = new QLabel;
  att_label_->setObjectName(QStringLiteral("digitsAttention"));
  att_label_->setWordWrap(true);
  att_label_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  strip_ = new DigitsTokenStrip;
  strip_area_ = new QScrollArea;
  strip_area_->setWidget(strip_);
  strip_area_->setWidgetResizable(true);
  strip_area_->setFrameShape(QFrame::NoFrame);
  strip_area_->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
  strip_area_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  strip_area_->setFixedHeight(strip_->sizeHint().height() + 16);
  text_ = new QLineEdit;
  text_->setObjectName(QStringLiteral("digitsText"));
  text_->setReadOnly(true);
  text_->setFrame(false);
  text_->setFocusPolicy(Qt::ClickFocus);
  text_->setStyleSheet(QStringLiteral("QLineEdit#digitsText{background:transparent;}"));
  {
    QFont f = text_->font();
    f.setPointSizeF(f.pointSizeF() * 2.4);
    f.setBold(true);
    f.setLetterSpacing(QFont::AbsoluteSpacing, 2);
    text_->setFont(f);
  }
  stats_ = new QLabel;
  stats_->setObjectName(QStringLiteral("digitsStats"));
  stats_->setWordWrap(true);
  stats_->setTextFormat(Qt::RichText);

  beams_box_ = new QGroupBox;
  beams_ = new QTableWidget(0, 3);
  beams_->setObjectName(QStringLiteral("digitsBeams"));
  beams_->verticalHeader()->setVisible(false);
  beams_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  beams_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  beams_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
  beams_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  beams_->setSelectionMode(QAbstractItemView::NoSelection);
  (new QVBoxLayout(beams_box_))->addWidget(beams_);
  beams_box_->setMinimumWidth(300);

  chart_box_ = new QGroupBox;
  chart_view_ = new QChartView(new QChart);
  chart_view_->setObjectName(QStringLiteral("digitsChart"));
  chart_view_->setRenderHint(QPainter::Antialiasing);
  chart_view_->setMinimumHeight(220);
  chart_note_ = new QLabel;
  chart_note_->setObjectName(QStringLiteral("digitsChartNote"));
  chart_note_->setWordWrap(true);
  bench_btn_ = new QPushButton;
  bench_btn_->setObjectName(QStringLiteral("digitsLoadBench"));
  measure_btn_ = new QPushButton;
  measure_btn_->setObjectName(QStringLiteral("digitsMeasure"));
  {
    auto* l = new QVBoxLayout(chart_box_);
    l->addWidget(chart_view_, 1);
    auto* row = new QHBoxLayout;
    row->addWidget(chart_note_, 1);
    row->addWidget(bench_btn_);
    row->addWidget(measure_btn_);
    l->addLayout(row);
  }
  auto* bottom = new QSplitter(Qt::Horizontal);
  bottom->addWidget(beams_box_);
  bottom->addWidget(chart_box_);
  bottom->setStretchFactor(0, 1);
  bottom->setStretchFactor(1, 3);
  bottom->setChildrenCollapsible(false);

  auto* right = new QWidget;
  {
    auto* l = new QVBoxLayout(right);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(canvas_);
    auto* row = new QHBoxLayout;
    row->addWidget(truth_);
    row->addWidget(att_label_, 1);
    l->addLayout(row);
    l->addWidget(strip_area_);
    l->addWidget(text_);
    l->addWidget(stats_);
    l->addWidget(bottom, 1);
  }
  auto* top = new QHBoxLayout(this);
  top->addWidget(left);
  top->addWidget(right, 1);

  // ---- wiring ----
  connect(model_btn_, &QPushButton::clicked, this, &DigitsPanel::onChooseModel);
  connect(undo_btn_, &QPushButton::clicked, canvas_, &DigitsCanvas::undo);
  connect(clear_btn_, &QPushButton::clicked, this, [this] { canvas_->clear(width_->value()); });
  connect(png_btn_, &QPushButton::clicked, this, &DigitsPanel::onOpenPng);
  connect(random_btn_, &QPushButton::clicked, this, [this] { randomTestString(); });
  connect(read_btn_, &QPushButton::clicked, this, [this] { read(); });
  connect(cancel_btn_, &QPushButton::clicked, this, &DigitsPanel::cancel);
  connect(bench_btn_, &QPushButton::clicked, this, &DigitsPanel::onLoadBenchmark);
  connect(measure_btn_, &QPushButton::clicked, this, &DigitsPanel::measure);
  auto* sc = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
  sc->setContext(Qt::WidgetWithChildrenShortcut);
  connect(sc, &QShortcut::activated, this, [this] { read(); });
  connect(brush_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
    canvas_->setBrushRadius(v);
    writeSettings();
  });
  connect(width_, &QSpinBox::editingFinished, this, [this] {
    canvas_->resizeImage(width_->value());
    writeSettings();
  });
  connect(cache_, &QComboBox::activated, this, [this] { settingsChanged(true); });
  connect(kv_, &QComboBox::activated, this, [this] { settingsChanged(true); });
  connect(beam_, &QSpinBox::valueChanged, this, [this] { settingsChanged(true); });
  connect(canvas_, &DigitsCanvas::edited, this, [this] {
    truth_text_.clear();
    truth_request_ = 0;
    undo_btn_->setEnabled(canvas_->canUndo());
    {
      QSignalBlocker b(width_);
      width_->setValue(canvas_->imageWidth());
    }
    updateTruth();
  });
  connect(strip_, &DigitsTokenStrip::hovered, this, &DigitsPanel::hoverToken);

  connect(controller_, &DigitsController::started, this, [this] { setRunning(true); });
  connect(controller_, &DigitsController::idle, this, [this] { setRunning(false); });
  connect(controller_, &DigitsController::progress, this, [this](double f, const QString&) {
    progress_->setRange(0, 1000);
    progress_->setValue(int(f * 1000));
  });
  connect(controller_, &DigitsController::stepReady, this, &DigitsPanel::showStep);
  connect(controller_, &DigitsController::finished, this, [this](const DigitsReading& r) {
    if (r.request != last_request_) return;  // superseded by a newer read
    live_ = false;
    ++reads_finished_;
    shown_ = r;
    showReading(r);
  });
  connect(controller_, &DigitsController::measured, this, [this](const DigitsLatencyCurve& c) {
    setLatencyCurve(c, QStringLiteral("measure"));
    emit statusMessage(tr("Latency sweep finished"));
  });
  connect(controller_, &DigitsController::testStringReady, this, [this](const DigitsTestString& s) {
    canvas_->setImage(s.image);
    truth_text_ = s.truth;
    if (read()) truth_request_ = last_request_;
    updateTruth();
  });
  connect(controller_, &DigitsController::failed, this, &DigitsPanel::onFailed);
  connect(controller_, &DigitsController::cancelled, this, [this] {
    if (live_) restoreShown();
  });

  next_seed_ = QRandomGenerator::global()->generate64();
  readSettings();
  undo_btn_->setEnabled(canvas_->canUndo());
  retranslate();
}

DigitsPanel::~DigitsPanel() {
  controller_->cancel();
}

// ---- settings ----

void DigitsPanel::readSettings() {
  QSettings s;
  {
    QSignalBlocker b1(cache_), b2(beam_), b3(kv_), b4(brush_), b5(width_);
    dd::CacheMode m = dd::CacheMode::full;
    try {
      m = dd::parse_cache_mode(s.value(kGroup + QStringLiteral("cacheMode"), QStringLiteral("full"))
                                   .toString()
                                   .toStdString());
    } catch (const std::exception&) {
    }
    cache_->setCurrentIndex(mode_index(m));
    beam_->setValue(std::clamp(s.value(kGroup + QStringLiteral("beam"), 1).toInt(), 1, 8));
    const int kv = kv_->findText(
        s.value(kGroup + QStringLiteral("kvPrecision"), QStringLiteral("fp32")).toString());
    kv_->setCurrentIndex(std::max(kv, 0));
    brush_->setValue(s.value(kGroup + QStringLiteral("brushRadius"), 1.6).toDouble());
    width_->setValue(s.value(kGroup + QStringLiteral("canvasWidth"), kDefaultWidth).toInt());
  }
  canvas_->setBrushRadius(brush_->value());
  canvas_->clear(width_->value());
  // The model: the saved choice, else the shipped one. No dialog at start: the status says why.
  const QString saved = s.value(kGroup + QStringLiteral("modelPath")).toString();
  const QString path = saved.isEmpty() ? defaultModelPath() : saved;
  if (!QFileInfo::exists(path)) {
    model_status_ = tr("No digits model: %1 not found. Choose a model file with “Model…” (one "
                       "written by `dotakv digits train`).")
                        .arg(QDir::toNativeSeparators(path));
  } else {
    try {
      controller_->loadModel(path);
      model_status_.clear();
    } catch (const std::exception& e) {
      model_status_ = tr("No digits model: %1").arg(QString::fromStdString(e.what()));
    }
  }
  // The chart: the saved benchmark file, else a default one if present.
  QStringList bench = default_bench_paths();
  const QString saved_bench = s.value(kGroup + QStringLiteral("benchJson")).toString();
  if (!saved_bench.isEmpty()) bench.prepend(saved_bench);
  for (const QString& b : bench) {
    if (!QFileInfo::exists(b)) continue;
    try {
      curve_ = parse_digits_bench(read_text(b).toStdString(), b.toStdString());
      curve_source_ = b;
      break;
    } catch (const std::exception&) {
    }
  }
}

void DigitsPanel::writeSettings() const {
  QSettings s;
  s.setValue(kGroup + QStringLiteral("cacheMode"), mode_key(cacheMode()));
  s.setValue(kGroup + QStringLiteral("beam"), beamWidth());
  s.setValue(kGroup + QStringLiteral("kvPrecision"), kv_->currentText());
  s.setValue(kGroup + QStringLiteral("brushRadius"), brushRadius());
  s.setValue(kGroup + QStringLiteral("canvasWidth"), width_->value());
  if (!controller_->modelPath().isEmpty())
    s.setValue(kGroup + QStringLiteral("modelPath"), controller_->modelPath());
  if (!curve_source_.isEmpty() && curve_source_ != QLatin1String("measure"))
    s.setValue(kGroup + QStringLiteral("benchJson"), curve_source_);
}

void DigitsPanel::settingsChanged(bool reread) {
  writeSettings();
  if (reread && shown_ && controller_->hasModel() && !canvas_->isBlank()) read();
}

void DigitsPanel::setCacheMode(dd::CacheMode m) {
  cache_->setCurrentIndex(mode_index(m));
  settingsChanged(true);
}
dd::CacheMode DigitsPanel::cacheMode() const {
  return mode_at(cache_->currentIndex());
}
void DigitsPanel::setBeamWidth(int w) {
  beam_->setValue(w);
}  // valueChanged re-reads
int DigitsPanel::beamWidth() const {
  return beam_->value();
}
void DigitsPanel::setKvPrecision(KvPrecision p) {
  kv_->setCurrentIndex(int(p));
  settingsChanged(true);
}
KvPrecision DigitsPanel::kvPrecision() const {
  return parse_kv_precision(kv_->currentText().toStdString());
}
void DigitsPanel::setBrushRadius(double px) {
  brush_->setValue(px);
}
double DigitsPanel::brushRadius() const {
  return brush_->value();
}

dd::ReadOptions DigitsPanel::options() const {
  dd::ReadOptions o;
  o.cache = cacheMode();
  o.beam = beamWidth();
  o.kv_precision = kvPrecision();
  o.record_attention = true;
  return o;
}

// ---- actions ----

bool DigitsPanel::loadModel(const QString& path) {
  try {
    controller_->cancel();
    controller_->loadModel(path);
  } catch (const std::exception& e) {
    emit errorOccurred(tr("Could not load the digits model %1").arg(QFileInfo(path).fileName()),
                       QString::fromStdString(e.what()));
    return false;
  }
  model_status_.clear();
  writeSettings();
  updateModelLabel();
  emit statusMessage(tr("Digits model %1 loaded").arg(QFileInfo(path).fileName()));
  return true;
}

void DigitsPanel::setModel(std::shared_ptr<const dd::DigitsModel> m, const QString& name) {
  controller_->cancel();
  controller_->setModel(std::move(m), name);
  model_status_.clear();
  updateModelLabel();
}

bool DigitsPanel::openPng(const QString& path) {
  dd::GrayImage im;
  try {
    const dd::DigitImage png = dd::load_png(path.toStdString());
    im.height = png.height;
    im.width = png.width;
    im.pixels = png.pixels;
    // The model's own checks too (its maximum width), before the canvas changes.
    if (const auto* cfg = controller_->config())
      (void)dd::prepare_image(im, *cfg, QFileInfo(path).fileName().toStdString());
  } catch (const std::exception& e) {
    emit errorOccurred(tr("Could not open %1").arg(QFileInfo(path).fileName()),
                       QString::fromStdString(e.what()));
    return false;
  }
  canvas_->setImage(im);
  emit statusMessage(
      tr("Opened %1 (%2×%3 px)").arg(QFileInfo(path).fileName()).arg(im.width).arg(im.height));
  if (controller_->hasModel()) read();
  return true;
}

void DigitsPanel::randomTestString(quint64 seed) {
  controller_->loadTestString(seed ? seed : next_seed_++);
}

bool DigitsPanel::read() {
  if (!controller_->hasModel()) {
    emit errorOccurred(tr("No digits model"), model_status_.isEmpty()
                                                  ? tr("Choose a model file with “Model…”.")
                                                  : model_status_);
    return false;
  }
  last_request_ = controller_->read(canvas_->image(), options());
  return true;
}

void DigitsPanel::cancel() {
  controller_->cancel();
}

void DigitsPanel::measure() {
  controller_->measure({5, 10, 20, 30}, 5, kvPrecision());
}

bool DigitsPanel::loadBenchmark(const QString& path) {
  try {
    const DigitsLatencyCurve c =
        parse_digits_bench(read_text(path).toStdString(), QFileInfo(path).fileName().toStdString());
    setLatencyCurve(c, path);
  } catch (const std::exception& e) {
    emit errorOccurred(tr("Could not load the benchmark %1").arg(QFileInfo(path).fileName()),
                       QString::fromStdString(e.what()));
    return false;
  }
  writeSettings();
  return true;
}

void DigitsPanel::setLatencyCurve(const DigitsLatencyCurve& c, const QString& source) {
  curve_ = c;
  curve_source_ = source;
  rebuildChart();
}

void DigitsPanel::onOpenPng() {
  const QString p = QFileDialog::getOpenFileName(this, tr("Open a digit-string image"), QString(),
                                                 tr("PNG images (*.png);;All files (*)"));
  if (!p.isEmpty()) openPng(p);
}

void DigitsPanel::onChooseModel() {
  const QString dir = controller_->modelPath().isEmpty()
                          ? QFileInfo(defaultModelPath()).absolutePath()
                          : QFileInfo(controller_->modelPath()).absolutePath();
  const QString p = QFileDialog::getOpenFileName(this, tr("Choose a digits model"), dir,
                                                 tr("Digits models (*.h5);;All files (*)"));
  if (!p.isEmpty()) loadModel(p);
}

void DigitsPanel::onLoadBenchmark() {
  const QString p = QFileDialog::getOpenFileName(this, tr("Load a digits benchmark"), QString(),
                                                 tr("Benchmark JSON (*.json);;All files (*)"));
  if (!p.isEmpty()) loadBenchmark(p);
}

void DigitsPanel::onFailed(int kind, const QString& message) {
  if (kind == DigitsController::ReadJob && live_) restoreShown();
  const QString title = kind == DigitsController::MeasureJob      ? tr("Latency sweep failed")
                        : kind == DigitsController::TestStringJob ? tr("No test string")
                                                                  : tr("Reading the digits failed");
  emit errorOccurred(title, message);
}

// ---- display ----

void DigitsPanel::setRunning(bool on) {
  cancel_btn_->setEnabled(on);
  progress_->setVisible(on);
  if (on) progress_->setRange(0, 0);  // busy until the first progress report
}

void DigitsPanel::showStep(int step, const QVector<int>& digits, double seconds) {
  if (step == 0 || !live_) {
    live_ = true;
    live_latency_.clear();
    canvas_->setAttention({});
  }
  live_tokens_ = digits;
  while (live_latency_.size() < digits.size()) live_latency_.push_back(seconds);
  live_latency_.resize(digits.size());
  strip_->setTokens(live_tokens_, live_latency_);
  text_->setText(live_tokens_.isEmpty() ? QStringLiteral("…")
                                        : QString::fromStdString(dd::tokens_to_text(
                                              std::vector<int>(digits.begin(), digits.end()))) +
                                              QStringLiteral("…"));
}

void DigitsPanel::restoreShown() {
  live_ = false;
  if (shown_) {
    showReading(*shown_);
  } else {
    strip_->setTokens({}, {});
    text_->clear();
  }
}

void DigitsPanel::showReading(const DigitsReading& r) {
  QVector<int> toks(r.result.digits.begin(), r.result.digits.end());
  QVector<double> lat;
  for (int i = 0; i < toks.size(); ++i) {
    const auto& st = r.stats.step_s;
    lat.push_back(i == 0 ? r.stats.first_token_s : (size_t(i) < st.size() ? st[size_t(i)] : NAN));
  }
  strip_->setTokens(toks, lat);
  text_->setText(r.result.text.empty() ? tr("(no digits)") : QString::fromStdString(r.result.text));
  text_->setCursorPosition(0);  // a long string shows its beginning
  // beams (greedy: the one reading)
  std::vector<dd::BeamHypothesis> hyps = r.result.beams;
  if (hyps.empty()) hyps.push_back({r.result.digits, r.result.log_prob, r.result.finished});
  beams_->setRowCount(int(hyps.size()));
  for (int i = 0; i < int(hyps.size()); ++i) {
    const auto& h = hyps[size_t(i)];
    auto* t = new QTableWidgetItem(QString::fromStdString(dd::tokens_to_text(h.digits)));
    QFont f = t->font();
    f.setFamily(QStringLiteral("monospace"));
    f.setBold(i == 0);
    t->setFont(f);
    beams_->setItem(i, 0, t);
    auto* lp = new QTableWidgetItem(QString::number(h.log_prob, 'f', 3));
    lp->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    beams_->setItem(i, 1, lp);
    beams_->setItem(i, 2, new QTableWidgetItem(h.finished ? tr("yes") : tr("no: length limit")));
  }
  updateStats();
  updateTruth();
  hoverToken(strip_->hoveredIndex());
}

void DigitsPanel::updateStats() {
  if (!shown_) {
    stats_->setText(
        tr("Draw digits on the canvas (or open a PNG, or pick a random test string), "
           "then Read."));
    stats_->setToolTip(QString());
    return;
  }
  const dd::ReadStats& s = shown_->stats;
  QString mode = QString::fromStdString(s.mode);
  if (s.requested_mode != s.mode)
    mode = tr("%1 → %2").arg(QString::fromStdString(s.requested_mode), mode);
  std::vector<double> later(s.step_s.begin() + (s.step_s.empty() ? 0 : 1), s.step_s.end());
  QString per = fmt_ms(s.per_token_median_s);
  if (later.size() >= 2) {
    const bench::Stats st = bench::compute_stats(later);
    per =
        tr("%1 (IQR %2–%3, n = %4)").arg(fmt_ms(st.median), fmt_ms(st.q1), fmt_ms(st.q3)).arg(st.n);
  }
  const double cache = double(s.self_cache_bytes + s.cross_cache_bytes);
  stats_->setText(tr("<b>%1</b> · encoder %2 · first token %3 · per token: median %4 · KV cache "
                     "%5 (%6) · beam %7 · total %8")
                      .arg(mode.toHtmlEscaped(), fmt_ms(s.encode_s), fmt_ms(s.first_token_s), per,
                           fmt_kib(cache), QString::fromStdString(s.kv_precision))
                      .arg(s.beam)
                      .arg(fmt_ms(s.total_s)));
  QString tip =
      tr("Mode that ran (requested → resolved). First token: encoder and first "
         "decoding step. Per token: the later steps, one run each. KV cache: self + "
         "cross rows in use.");
  if (s.requested_mode == "auto" && !controller_->calibrated())
    tip += QLatin1Char('\n') + tr("No calibration (dotakv calibrate --family digits): auto uses "
                                  "full.");
  stats_->setToolTip(tip);
}

void DigitsPanel::updateTruth() {
  if (truth_text_.isEmpty()) {
    truth_->clear();
    truth_->setVisible(false);
    return;
  }
  truth_->setVisible(true);
  const bool read_it = shown_ && !live_ && truth_request_ > 0 && shown_->request >= truth_request_;
  if (read_it && QString::fromStdString(shown_->result.text) == truth_text_)
    truth_->setText(tr("Test string %1 — read correctly ✓").arg(truth_text_));
  else if (read_it)
    truth_->setText(tr("Test string %1 — read differs ✗").arg(truth_text_));
  else
    truth_->setText(tr("Test string %1").arg(truth_text_));
}

void DigitsPanel::hoverToken(int i) {
  if (strip_->hoveredIndex() != i) strip_->highlight(i < strip_->tokens().size() ? i : -1);
  const bool ok = shown_ && !live_ && i >= 0 && size_t(i) < shown_->result.cross_attention.size();
  if (!ok) {
    canvas_->setAttention({});
    att_label_->setText(shown_ && !shown_->result.digits.empty()
                            ? tr("Hover a token to see where the model looked in the image.")
                            : QString());
    return;
  }
  canvas_->setAttention(shown_->result.cross_attention[size_t(i)]);
  const auto hl = canvas_->highlightedColumns();
  att_label_->setText(tr("Token %1 “%2”: attention peaks on encoder columns %3–%4 (x %5–%6 px)")
                          .arg(i + 1)
                          .arg(shown_->result.digits[size_t(i)])
                          .arg(hl.first)
                          .arg(hl.second)
                          .arg(hl.first * 8)
                          .arg(hl.second * 8 + 7));
}

void DigitsPanel::updateModelLabel() {
  if (!controller_->hasModel()) {
    model_label_->setText(model_status_);
    model_label_->setStyleSheet(QStringLiteral("color:#c0392b;"));
    model_label_->setToolTip(QString());
    read_btn_->setEnabled(true);  // says why it cannot read
    return;
  }
  const auto& c = *controller_->config();
  model_label_->setStyleSheet(QString());
  QString t = tr("%1: %2 k parameters, up to %3 digits")
                  .arg(controller_->modelName())
                  .arg(double(controller_->model()->parameter_count()) / 1e3, 0, 'f', 1)
                  .arg(c.max_digits);
  if (c.trained_max_digits > 0)
    t += QLatin1Char(' ') + tr("(trained up to %1)").arg(c.trained_max_digits);
  model_label_->setText(t);
  model_label_->setToolTip(controller_->modelPath().isEmpty()
                               ? controller_->modelName()
                               : QDir::toNativeSeparators(controller_->modelPath()));
}

void DigitsPanel::rebuildChart() {
  bench::ReportChart spec;
  spec.id = "digits_latency";
  spec.kind = "line";
  spec.title = tr("Read time vs string length").toStdString();
  spec.x_label = tr("digits read").toStdString();
  spec.y_label = tr("read time [ms]").toStdString();
  for (const char* m : {"off", "self", "full", "auto"}) {
    bench::ChartSeries s;
    s.name = m;
    std::vector<DigitsLatencyPoint> pts;
    for (const auto& p : curve_)
      if (p.mode == QLatin1String(m)) pts.push_back(p);
    std::sort(pts.begin(), pts.end(), [](auto& a, auto& b) { return a.length < b.length; });
    for (const auto& p : pts) {
      s.x.push_back(p.length);
      s.y.push_back(p.median_ms);
      s.lo.push_back(p.lo_ms);
      s.hi.push_back(p.hi_ms);
    }
    if (!s.x.empty()) spec.series.push_back(std::move(s));
  }
  QChart* old = chart_view_->chart();
  QChart* c;
  if (spec.series.empty()) {  // no empty axes: the note below says what to do
    c = new QChart;
    c->setTitle(QString::fromStdString(spec.title));
  } else {
    c = make_bench_chart(spec);
    c->legend()->setAlignment(Qt::AlignTop);
    // whole digit counts on x, plain milliseconds on y
    double xmax = 0, ymax = 0;
    for (const auto& p : curve_) {
      xmax = std::max(xmax, double(p.length));
      ymax = std::max(ymax, p.hi_ms);
    }
    for (auto* a : c->axes())
      if (auto* v = qobject_cast<QValueAxis*>(a)) {
        if (a->orientation() == Qt::Horizontal) {
          const double step = xmax > 40 ? 10 : 5;
          v->setRange(0, std::ceil((xmax + 1) / step) * step);
          v->setTickType(QValueAxis::TicksDynamic);
          v->setTickAnchor(0);
          v->setTickInterval(step);
          v->setLabelFormat(QStringLiteral("%d"));
        } else {
          v->setMin(0);
          v->applyNiceNumbers();
          v->setLabelFormat(ymax >= 100 ? QStringLiteral("%.0f")
                            : ymax >= 1 ? QStringLiteral("%.1f")
                                        : QStringLiteral("%.3f"));
        }
      }
  }
  // follow the palette (dark or light) without touching the series colours
  const QPalette pal = palette();
  c->setBackgroundBrush(pal.base());
  c->setTitleBrush(pal.text());
  c->legend()->setLabelColor(pal.text().color());
  for (auto* a : c->axes()) {
    a->setLabelsBrush(pal.text());
    a->setTitleBrush(pal.text());
    a->setGridLineColor(pal.mid().color());
  }
  chart_view_->setBackgroundBrush(pal.window());
  chart_view_->setChart(c);
  delete old;
  if (curve_source_.isEmpty())
    chart_note_->setText(
        tr("No benchmark yet: load one (dotakv bench --family digits --json "
           "FILE) or measure here."));
  else if (curve_source_ == QLatin1String("measure"))
    chart_note_->setText(tr("Measured here on synthetic strings (%1 px per digit), 5 reads per "
                            "point after a warm-up: medians, bars = interquartile range.")
                             .arg(kMeasurePxPerDigit));
  else
    chart_note_->setText(tr("From %1: medians, bars = the spread the file gives.")
                             .arg(QFileInfo(curve_source_).fileName()));
}

void DigitsPanel::retranslate() {
  model_box_->setTitle(tr("Model"));
  model_btn_->setText(tr("Model…"));
  model_btn_->setToolTip(tr("Choose a digits model file (HDF5, family “digits”)"));
  input_box_->setTitle(tr("Input"));
  brush_label_->setText(tr("Brush:"));
  brush_->setToolTip(tr("Brush radius in image pixels (the image is 32 px high)"));
  width_label_->setText(tr("Width:"));
  width_->setToolTip(tr("Canvas width in image pixels; one encoder token per 8 px"));
  undo_btn_->setText(tr("Undo stroke"));
  clear_btn_->setText(tr("Clear"));
  png_btn_->setText(tr("Open PNG…"));
  png_btn_->setToolTip(tr("A 32 px high image of a digit string (white or black ink)"));
  random_btn_->setText(tr("Random test string"));
  random_btn_->setToolTip(
      tr("Compose a string from the MNIST test split (needs MNIST in ~/.cache/dotakv/mnist, "
         "installed by scripts/setup.sh)"));
  decode_box_->setTitle(tr("Decoding"));
  cache_label_->setText(tr("KV cache:"));
  cache_->setItemText(0, tr("Off"));
  cache_->setItemText(1, tr("Self"));
  cache_->setItemText(2, tr("Full"));
  cache_->setItemText(3, tr("Auto"));
  cache_->setToolTip(
      tr("Off: recompute every step. Self: cache the decoder's self-attention "
         "K/V. Full: also the cross-attention K/V, once per image. Auto: the "
         "calibrated policy chooses. The tokens are the same in every mode."));
  beam_label_->setText(tr("Beam width:"));
  beam_->setToolTip(tr("1: greedy; more: beam search keeping this many hypotheses"));
  kv_label_->setText(tr("KV storage:"));
  kv_->setToolTip(tr("Storage precision of the K/V cache"));
  read_btn_->setText(tr("Read"));
  read_btn_->setToolTip(tr("Read the canvas (Ctrl+Return)"));
  cancel_btn_->setText(tr("Cancel"));
  strip_->setPlaceholder(tr("The tokens appear here one by one, with each one's latency."));
  strip_->setToolTip(
      tr("Latency under each token: the first includes the encoder; hover a "
         "token to see its cross-attention over the image"));
  beams_box_->setTitle(tr("Beam hypotheses"));
  beams_->setHorizontalHeaderLabels({tr("Reading"), tr("log-probability"), tr("Finished")});
  chart_box_->setTitle(tr("Latency vs length"));
  bench_btn_->setText(tr("Load benchmark…"));
  bench_btn_->setToolTip(tr("A JSON file written by dotakv bench --family digits --json"));
  measure_btn_->setText(tr("Measure"));
  measure_btn_->setToolTip(
      tr("Time reads of 5, 10, 20 and 30 digits in modes off, self and "
         "full, here (a few seconds)"));
  updateModelLabel();
  updateStats();
  updateTruth();
  rebuildChart();
  if (shown_) showReading(*shown_);
  hoverToken(strip_->hoveredIndex());
}

void DigitsPanel::changeEvent(QEvent* e) {
  if (e->type() == QEvent::LanguageChange) retranslate();
  if (e->type() == QEvent::PaletteChange) rebuildChart();
  QWidget::changeEvent(e);
}

}  // namespace dotakv::gui
