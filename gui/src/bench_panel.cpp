#include "bench_panel.hpp"

#include <QEvent>

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtCharts/QChartView>
#include <QtConcurrent/QtConcurrent>
#include <cmath>

#include "charts_bench.hpp"
#include "dotakv/atomic_file.hpp"
#include "dotakv/bench_report.hpp"
#include "dotakv/bench_workloads.hpp"
#include "dotakv/error.hpp"
#include "report_writer.hpp"

namespace dotakv::gui {

namespace {

QString fmt_time(double s) {
  if (!std::isfinite(s)) return "-";
  return s < 1 ? QString::number(s * 1e3, 'f', 2) + " ms" : QString::number(s, 'f', 3) + " s";
}
double num_at(const nlohmann::json& j, std::initializer_list<const char*> path) {
  const nlohmann::json* p = &j;
  for (const char* k : path) {
    if (!p->is_object() || !p->contains(k)) return NAN;
    p = &(*p)[k];
  }
  return p->is_number() ? p->get<double>() : NAN;
}
std::vector<int> ints(const QString& text, const char* option) {
  std::vector<int> out;
  for (const auto& part : text.split(',', Qt::SkipEmptyParts)) {
    bool ok = false;
    const int v = part.trimmed().toInt(&ok);
    if (!ok)
      throw dotakv::ValueError(std::string(option) + ": expected integers, found '" +
                               part.toStdString() + "'");
    out.push_back(v);
  }
  return out;
}
std::vector<std::string> strings(const QString& text) {
  std::vector<std::string> out;
  for (const auto& part : text.split(',', Qt::SkipEmptyParts))
    out.push_back(part.trimmed().toStdString());
  return out;
}

}  // namespace

// ---- model ---------------------------------------------------------------------------------

void BenchResultsModel::setDocument(const nlohmann::json& doc) {
  beginResetModel();
  doc_ = doc;
  endResetModel();
}
int BenchResultsModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() || !doc_.contains("results")) return 0;
  return int(doc_["results"].size());
}
QVariant BenchResultsModel::headerData(int s, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* names[] = {
      QT_TR_NOOP("group"),      QT_TR_NOOP("point"),    QT_TR_NOOP("setting"),
      QT_TR_NOOP("cold"),       QT_TR_NOOP("median"),   QT_TR_NOOP("IQR"),
      QT_TR_NOOP("speedup"),    QT_TR_NOOP("CI95 low"), QT_TR_NOOP("CI95 high"),
      QT_TR_NOOP("max |diff|"), QT_TR_NOOP("cache MB"), QT_TR_NOOP("model speedup")};
  return s >= 0 && s < ColumnCount ? QVariant(tr(names[s])) : QVariant();
}
QVariant BenchResultsModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || (role != Qt::DisplayRole && role != Qt::UserRole)) return {};
  const auto& r = doc_["results"][size_t(index.row())];
  const auto& st = r["settings"];
  auto number = [&](double v, const QString& text) -> QVariant {
    return role == Qt::UserRole ? QVariant(std::isfinite(v) ? v : -1e300) : QVariant(text);
  };
  switch (index.column()) {
    case Group:
      return r.value("group", 0);
    case Point: {
      QString p = QString::fromStdString(st.value("workload", std::string())) +
                  " b=" + QString::number(st.value("batch", 0)) +
                  " S=" + QString::number(st.value("slices", 0));
      if (st.contains("chunk") && st["chunk"].is_number())
        p += " c=" + QString::number(st["chunk"].get<int>());
      if (st.contains("depth") && st["depth"].is_number())
        p += " k=" + QString::number(st["depth"].get<int>());
      return p;
    }
    case Setting:
      return QString::fromStdString(r.value("label", std::string()));
    case Cold: {
      const double v = num_at(r, {"cold_s"});
      return number(v, fmt_time(v));
    }
    case Median: {
      const double v = num_at(r, {"stats", "median"});
      return number(v, fmt_time(v));
    }
    case Iqr: {
      const double v = num_at(r, {"stats", "iqr"});
      return number(v, fmt_time(v));
    }
    case Speedup: {
      const double v = num_at(r, {"speedup", "median_ratio"});
      return number(v, std::isfinite(v) ? QString::number(v, 'f', 2) + "x" : tr("reference"));
    }
    case CiLow:
    case CiHigh: {
      double v = NAN;
      if (r.contains("speedup") && r["speedup"].is_object())
        v = r["speedup"]["ci95"][index.column() == CiLow ? 0 : 1].get<double>();
      return number(v, std::isfinite(v) ? QString::number(v, 'f', 2) : "-");
    }
    case MaxDiff: {
      const double v = num_at(r, {"max_abs_diff"});
      return number(v, QString::number(v, 'e', 2));
    }
    case CacheMB: {
      const double v = num_at(r, {"cache_bytes"}) / 1e6;
      return number(v, QString::number(v, 'f', 2));
    }
    case Predicted: {
      const double v = num_at(r, {"cost_model", "predicted_speedup"});
      return number(v, std::isfinite(v) ? QString::number(v, 'f', 2) + "x" : "-");
    }
  }
  return {};
}

// ---- panel -----------------------------------------------------------------------------------

BenchPanel::BenchPanel(QWidget* parent) : QWidget(parent) {
  model_ = new BenchResultsModel(this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(Qt::UserRole);
  watcher_ = new QFutureWatcher<Outcome>(this);
  connect(watcher_, &QFutureWatcher<Outcome>::finished, this, &BenchPanel::finishSweep);

  form_ = new QFormLayout;
  auto* form = form_;
  workload_ = new QComboBox;
  workload_->addItems({"full", "stream", "prefix"});
  config_ = new QComboBox;
  config_->addItems({"compact", "full"});
  batch_ = new QLineEdit("1,2,4");
  slices_ = new QLineEdit;
  chunk_ = new QLineEdit("1");
  depth_ = new QLineEdit;
  cache_ = new QLineEdit("off,on");
  kv_ = new QLineEdit("fp32");
  precision_ = new QLineEdit("fp32");
  threads_ = new QLineEdit("0");
  reps_ = new QSpinBox;
  reps_->setRange(1, 1000);
  reps_->setValue(20);
  warmup_ = new QSpinBox;
  warmup_->setRange(0, 100);
  warmup_->setValue(3);
  for (QWidget* w :
       std::initializer_list<QWidget*>{workload_, config_, batch_, slices_, chunk_, depth_, cache_,
                                       kv_, precision_, threads_, reps_, warmup_})
    form->addRow(QStringLiteral("-"), w);

  run_ = new QPushButton;
  cancel_ = new QPushButton;
  cancel_->setEnabled(false);
  progress_bar_ = new QProgressBar;
  progress_bar_->setRange(0, 1000);
  status_ = new QLabel;
  status_->setWordWrap(true);
  auto* load = load_ = new QPushButton;
  auto* save = save_ = new QPushButton;
  auto* csv = csv_ = new QPushButton;
  auto* chart_btn = chart_btn_ = new QPushButton;
  auto* report_btn = report_btn_ = new QPushButton;
  connect(run_, &QPushButton::clicked, this, &BenchPanel::onRun);
  connect(cancel_, &QPushButton::clicked, this, &BenchPanel::cancelSweep);
  connect(load, &QPushButton::clicked, this, &BenchPanel::onLoad);
  connect(save, &QPushButton::clicked, this, &BenchPanel::onSave);
  connect(csv, &QPushButton::clicked, this, &BenchPanel::onExportCsv);
  connect(chart_btn, &QPushButton::clicked, this, &BenchPanel::onExportChart);
  connect(report_btn, &QPushButton::clicked, this, &BenchPanel::onExportReport);

  auto* left = new QWidget;
  auto* lv = new QVBoxLayout(left);
  lv->addLayout(form);
  auto* runrow = new QHBoxLayout;
  runrow->addWidget(run_);
  runrow->addWidget(cancel_);
  lv->addLayout(runrow);
  lv->addWidget(progress_bar_);
  lv->addWidget(status_);
  for (auto* b : {load, save, csv, chart_btn, report_btn}) lv->addWidget(b);
  lv->addStretch();

  chart_select_ = new QComboBox;
  connect(chart_select_, &QComboBox::currentIndexChanged, this, &BenchPanel::showChart);
  chart_view_ = new QChartView;
  chart_view_->setRenderHint(QPainter::Antialiasing);
  chart_view_->setMinimumHeight(260);
  table_ = new QTableView;
  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  auto* right = new QSplitter(Qt::Vertical);
  auto* chart_box = new QWidget;
  auto* cv = new QVBoxLayout(chart_box);
  cv->setContentsMargins(0, 0, 0, 0);
  cv->addWidget(chart_select_);
  cv->addWidget(chart_view_);
  right->addWidget(chart_box);
  right->addWidget(table_);
  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(left);
  split->addWidget(right);
  split->setStretchFactor(1, 3);
  auto* top = new QVBoxLayout(this);
  top->addWidget(split);
  retranslate();
}

void BenchPanel::retranslate() {
  const QStringList labels{tr("Workload"),
                           tr("Config (no model file)"),
                           tr("Batch"),
                           tr("Slices"),
                           tr("Chunk (stream)"),
                           tr("Edit depth (prefix)"),
                           tr("Cache"),
                           tr("KV precision"),
                           tr("Compute precision"),
                           tr("Threads"),
                           tr("Repetitions"),
                           tr("Warm-up runs")};
  for (int i = 0; i < labels.size(); ++i)
    if (auto* item = form_->itemAt(i, QFormLayout::LabelRole))
      if (auto* l = qobject_cast<QLabel*>(item->widget())) l->setText(labels[i]);
  slices_->setPlaceholderText(tr("model's (e.g. 20,50,150)"));
  depth_->setPlaceholderText(tr("slices/2"));
  run_->setText(tr("Run sweep"));
  cancel_->setText(tr("Cancel"));
  load_->setText(tr("Load JSON…"));
  save_->setText(tr("Save JSON…"));
  csv_->setText(tr("Export CSV…"));
  chart_btn_->setText(tr("Export chart…"));
  report_btn_->setText(tr("Export report…"));
  if (!running()) {
    if (model_->document().contains("results"))
      showResultCount();
    else
      status_->setText(tr("No results loaded."));
  }
  model_->headerDataChanged(Qt::Horizontal, 0, BenchResultsModel::ColumnCount - 1);
}

void BenchPanel::changeEvent(QEvent* e) {
  if (e->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(e);
}

BenchPanel::~BenchPanel() {
  if (progress_) progress_->cancel();
  watcher_->waitForFinished();
}

void BenchPanel::setModelPath(const QString& path) {
  model_path_ = path;
  config_->setEnabled(path.isEmpty());
}

void BenchPanel::setResults(const nlohmann::json& doc) {
  model_->setDocument(doc);
  refreshCharts();
  showResultCount();
}

void BenchPanel::showResultCount() {
  const auto& doc = model_->document();
  const auto n = doc.contains("results") ? doc["results"].size() : 0;
  status_->setText(tr("%1 results%2")
                       .arg(n)
                       .arg(doc.value("cancelled", false)
                                ? tr(" (cancelled sweep: finished runs only)")
                                : QString()));
}

void BenchPanel::refreshCharts() {
  charts_.clear();
  chart_select_->blockSignals(true);
  chart_select_->clear();
  if (model_->document().contains("results"))
    charts_ = dotakv::bench::bench_charts(model_->document());
  for (const auto& c : charts_) chart_select_->addItem(QString::fromStdString(c.title));
  chart_select_->blockSignals(false);
  showChart(charts_.empty() ? -1 : 0);
}

void BenchPanel::showChart(int index) {
  QChart* old = chart_view_->chart();
  if (index >= 0 && index < int(charts_.size()))
    chart_view_->setChart(make_bench_chart(charts_[size_t(index)]));
  else
    chart_view_->setChart(new QChart);
  delete old;
}

bool BenchPanel::loadJson(const QString& path, QString* error) {
  try {
    setResults(dotakv::bench::load_results(path.toStdString()));
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
}

bool BenchPanel::saveJson(const QString& path, QString* error) const {
  try {
    dotakv::bench::save_results_json(results(), path.toStdString());
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
}

bool BenchPanel::exportCsv(const QString& path, QString* error) const {
  try {
    if (!results().contains("results")) throw dotakv::ValueError("no results to export");
    dotakv::bench::save_results_csv(results(), path.toStdString());
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
}

bool BenchPanel::exportChart(const QString& path, QString* error) const {
  const int i = chart_select_->currentIndex();
  if (i < 0 || i >= int(charts_.size())) {
    if (error) *error = tr("no chart to export");
    return false;
  }
  return export_chart(charts_[size_t(i)], path, QSize(900, 520), error);
}

bool BenchPanel::exportReport(const QString& path, QString* error) const {
  try {
    if (!results().contains("results")) throw dotakv::ValueError("no results to export");
    auto r = dotakv::bench::make_report("dotakv benchmark report");
    for (auto& s : dotakv::bench::bench_sections(results())) r.sections.push_back(s);
    if (path.endsWith(".pdf", Qt::CaseInsensitive))
      write_report_pdf(r, path);
    else
      dotakv::write_text_atomically(path.toStdString(), dotakv::bench::render_html(r));
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
}

dotakv::bench::SweepSpec BenchPanel::sweepFromControls() const {
  dotakv::bench::SweepSpec s;
  s.workload = workload_->currentText().toStdString();
  s.config = config_->currentText().toStdString();
  s.model = model_path_.toStdString();
  s.batch = ints(batch_->text(), "batch");
  s.chunk = ints(chunk_->text(), "chunk");
  s.threads = ints(threads_->text(), "threads");
  s.cache = strings(cache_->text());
  s.kv_precision = strings(kv_->text());
  s.precision = strings(precision_->text());
  s.harness.reps = reps_->value();
  s.harness.warmup = warmup_->value();
  if (slices_->text().trimmed().isEmpty()) {
    dotakv::bench::EngineBench eb(s);
    s.slices = {eb.config_of({{"model", s.model}, {"config", s.config}}).num_slices};
  } else {
    s.slices = ints(slices_->text(), "slices");
  }
  if (depth_->text().trimmed().isEmpty()) {
    s.depth.clear();
    for (int sl : s.slices) s.depth.push_back(sl / 2);
  } else {
    s.depth = ints(depth_->text(), "depth");
  }
  return s;
}

bool BenchPanel::running() const {
  return watcher_->isRunning();
}

void BenchPanel::onRun() {
  try {
    startSweep(sweepFromControls());
  } catch (const std::exception& e) {
    status_->setText(QString::fromUtf8(e.what()));
    emit sweepFinished(false, QString::fromUtf8(e.what()));
  }
}

void BenchPanel::startSweep(const dotakv::bench::SweepSpec& spec) {
  if (running()) return;
  dotakv::bench::validate_sweep(spec);  // throws on bad input, before any thread starts
  QPointer<BenchPanel> self(this);
  progress_ =
      std::make_shared<dotakv::Progress>([self](double done, double total, const std::string& msg) {
        QMetaObject::invokeMethod(
            qApp,
            [self, done, total, msg] {
              if (!self) return;
              self->progress_bar_->setValue(total > 0 ? int(1000 * done / total) : 0);
              self->status_->setText(QString::fromStdString(msg));
              emit self->progressChanged(done, total);
            },
            Qt::QueuedConnection);
      });
  run_->setEnabled(false);
  cancel_->setEnabled(true);
  progress_bar_->setValue(0);
  auto progress = progress_;
  watcher_->setFuture(QtConcurrent::run([spec, progress]() -> Outcome {
    Outcome o;
    try {
      dotakv::bench::EngineBench eb(spec);
      const auto r = dotakv::bench::run_sweep(spec, eb.factory(), progress.get(), eb.hook());
      o.doc = dotakv::bench::results_json(spec, r);
    } catch (const std::exception& e) {
      o.error = QString::fromUtf8(e.what());
    }
    return o;
  }));
}

void BenchPanel::cancelSweep() {
  if (progress_) progress_->cancel();
}

void BenchPanel::finishSweep() {
  const Outcome o = watcher_->result();
  run_->setEnabled(true);
  cancel_->setEnabled(false);
  bool cancelled = false;
  if (o.error.isEmpty()) {
    setResults(o.doc);
    cancelled = o.doc.value("cancelled", false);
    progress_bar_->setValue(cancelled ? progress_bar_->value() : 1000);
  } else {
    status_->setText(tr("Sweep failed: %1").arg(o.error));
  }
  emit sweepFinished(cancelled, o.error);
}

void BenchPanel::onLoad() {
  const QString p = QFileDialog::getOpenFileName(this, tr("Load results"), {}, tr("JSON (*.json)"));
  QString err;
  if (!p.isEmpty() && !loadJson(p, &err)) QMessageBox::warning(this, tr("Load results"), err);
}
void BenchPanel::onSave() {
  const QString p = QFileDialog::getSaveFileName(this, tr("Save results"), {}, tr("JSON (*.json)"));
  QString err;
  if (!p.isEmpty() && !saveJson(p, &err)) QMessageBox::warning(this, tr("Save results"), err);
}
void BenchPanel::onExportCsv() {
  const QString p = QFileDialog::getSaveFileName(this, tr("Export CSV"), {}, tr("CSV (*.csv)"));
  QString err;
  if (!p.isEmpty() && !exportCsv(p, &err)) QMessageBox::warning(this, tr("Export CSV"), err);
}
void BenchPanel::onExportChart() {
  const QString p =
      QFileDialog::getSaveFileName(this, tr("Export chart"), {}, tr("PNG (*.png);;SVG (*.svg)"));
  QString err;
  if (!p.isEmpty() && !exportChart(p, &err)) QMessageBox::warning(this, tr("Export chart"), err);
}
void BenchPanel::onExportReport() {
  const QString p =
      QFileDialog::getSaveFileName(this, tr("Export report"), {}, tr("PDF (*.pdf);;HTML (*.html)"));
  QString err;
  if (!p.isEmpty() && !exportReport(p, &err)) QMessageBox::warning(this, tr("Export report"), err);
}

}  // namespace dotakv::gui
