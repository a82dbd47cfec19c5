// Benchmark panel of the studio (issue 7 §5): run a sweep in a worker thread with progress and
// cancel (a cancelled sweep keeps the runs finished so far), load/save the results JSON, a
// sortable results table and the Qt Charts (speedup vs batch with CI whiskers, time vs slices,
// cold vs warm, cache memory vs slices) fed by one results document, PNG/SVG chart export,
// CSV export and PDF/HTML report export.
//   auto* p = new dotakv::gui::BenchPanel(parent);   // the main window adds it as a tab
//   p->setModelPath("weights.h5");                   // empty: seeded random weights (config)
// Threading: widgets on the GUI thread; the sweep runs on a QtConcurrent worker that only
// touches core objects and posts progress back through queued calls.
#pragma once
#include <QAbstractTableModel>
#include <QFutureWatcher>
#include <QSortFilterProxyModel>
#include <QWidget>
#include <memory>

#include <nlohmann/json.hpp>

#include "dotakv/bench_harness.hpp"
#include "dotakv/bench_report.hpp"
#include "dotakv/progress.hpp"

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;
class QChartView;

namespace dotakv::gui {

// One row per result of a results document. Qt::DisplayRole: formatted text; Qt::UserRole:
// the raw number (or text) used for sorting.
class BenchResultsModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column {
    Group,
    Point,
    Setting,
    Cold,
    Median,
    Iqr,
    Speedup,
    CiLow,
    CiHigh,
    MaxDiff,
    CacheMB,
    Predicted,
    ColumnCount
  };
  explicit BenchResultsModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {}
  void setDocument(const nlohmann::json& doc);
  const nlohmann::json& document() const { return doc_; }
  int rowCount(const QModelIndex& = {}) const override;
  int columnCount(const QModelIndex& = {}) const override { return ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

 private:
  nlohmann::json doc_ = nlohmann::json::object();
};

class BenchPanel : public QWidget {
  Q_OBJECT
 public:
  explicit BenchPanel(QWidget* parent = nullptr);
  ~BenchPanel() override;

  void setResults(const nlohmann::json& doc);
  const nlohmann::json& results() const { return model_->document(); }
  bool loadJson(const QString& path, QString* error = nullptr);
  bool saveJson(const QString& path, QString* error = nullptr) const;
  bool exportCsv(const QString& path, QString* error = nullptr) const;
  // Exports the chart shown (by extension .png / .svg).
  bool exportChart(const QString& path, QString* error = nullptr) const;
  // PDF or HTML (by extension) of the loaded results.
  bool exportReport(const QString& path, QString* error = nullptr) const;

  // The sweep described by the controls (plus the model path).
  dotakv::bench::SweepSpec sweepFromControls() const;
  void startSweep(const dotakv::bench::SweepSpec& spec);
  bool running() const;

  BenchResultsModel* resultsModel() const { return model_; }
  QSortFilterProxyModel* sortedModel() const { return proxy_; }
  QTableView* table() const { return table_; }
  QComboBox* chartSelector() const { return chart_select_; }
  QChartView* chartView() const { return chart_view_; }
  int chartCount() const { return int(charts_.size()); }
  void retranslate();  // also on QEvent::LanguageChange

 public slots:
  void setModelPath(const QString& path);
  void cancelSweep();
  void showChart(int index);

 signals:
  void progressChanged(double done, double total);
  // Emitted on the GUI thread when a sweep ends; error is empty unless it failed.
  void sweepFinished(bool cancelled, const QString& error);

 private slots:
  void onRun();
  void onLoad();
  void onSave();
  void onExportCsv();
  void onExportChart();
  void onExportReport();

 private:
  struct Outcome {
    nlohmann::json doc;
    QString error;
  };
  void finishSweep();
  void refreshCharts();
  void showResultCount();

 protected:
  void changeEvent(QEvent* e) override;

 private:
  QFormLayout* form_;
  QPushButton *load_, *save_, *csv_, *chart_btn_, *report_btn_;

  QString model_path_;
  BenchResultsModel* model_;
  QSortFilterProxyModel* proxy_;
  QTableView* table_;
  QComboBox *chart_select_, *workload_, *config_;
  QChartView* chart_view_;
  QLineEdit *batch_, *slices_, *chunk_, *depth_, *cache_, *kv_, *precision_, *threads_;
  QSpinBox *reps_, *warmup_;
  QPushButton *run_, *cancel_;
  QProgressBar* progress_bar_;
  QLabel* status_;
  std::vector<dotakv::bench::ReportChart> charts_;
  std::shared_ptr<dotakv::Progress> progress_;
  QFutureWatcher<Outcome>* watcher_;
};

}  // namespace dotakv::gui
