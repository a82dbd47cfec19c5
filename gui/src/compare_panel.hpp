// ComparePanel: any two doses of the case — signed difference (diverging colours, symmetric
// scale, % of the reference maximum), relative difference (% of the local reference dose,
// above the threshold), gamma map (criteria, threshold, local/global) with the pass rate and a
// gamma histogram (Qt Charts). Gamma runs in a worker (QtConcurrent) while the panel is visible
// (or on computeGamma()); stale results are dropped and recomputed. Defaults are
// physics::GammaDefaults (as `dotakv compare`/`report`); the dose criterion and threshold are
// labelled "% of max" (of the reference maximum). A selected dose computed on an earlier CT is
// flagged above the pass rate ("“mc” is stale: computed on the CT before edit N").
#pragma once
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFutureWatcher>
#include <QLabel>
#include <QPushButton>
#include <QWidget>
#include <optional>

#include "case_model.hpp"
#include "dotakv/analysis.hpp"
#include "dotakv/gamma.hpp"
#include "slice_view.hpp"
#include "worker_result.hpp"

class QChartView;
class QChart;

namespace dotakv::gui {

class ComparePanel : public QWidget {
  Q_OBJECT
 public:
  enum class MapKind { Difference = 0, Relative = 1, Gamma = 2 };
  explicit ComparePanel(CaseModel* model, QWidget* parent = nullptr);

  MapKind mapKind() const { return MapKind(kind_->currentIndex()); }
  void setMapKind(MapKind k);
  // Starts the gamma computation with the current criteria (no-op without two doses).
  void computeGamma();
  // Until the result is handled (the watcher stops running before its finished() is delivered).
  bool gammaRunning() const { return watcher_.isRunning() || running_generation_ >= 0; }
  SliceView* view(viz::Plane p) const { return views_[int(p)]->view(); }
  QString passRateText() const { return pass_->text(); }
  // The γ criteria set in the panel (also passed to the case report).
  GammaSettings currentGammaSettings() const;
  QString staleText() const { return stale_->isVisibleTo(this) ? stale_->text() : QString(); }
  void retranslate();

 signals:
  void gammaFinished(double pass_rate);

 protected:
  void changeEvent(QEvent* e) override;
  void showEvent(QShowEvent* e) override;

 private:
  void refreshSelectors();
  void updateStale();
  void rebuildMaps();
  void applyMap();
  void updateHistogram(const physics::GammaResult* r);
  // Texts from the last results, in the current language (also on LanguageChange).
  void showGammaResult();
  void showStatistics();

  CaseModel* model_;
  QComboBox *ref_, *eval_, *kind_;
  QDoubleSpinBox *range_, *dd_, *dta_, *thr_;
  QCheckBox* local_;
  QPushButton* compute_;
  QLabel *pass_, *stats_, *stale_, *ref_label_, *eval_label_, *kind_label_, *range_label_,
      *dd_label_, *dta_label_, *thr_label_;
  SliceViewer* views_[3];
  ColorBarWidget* bar_;
  QChartView* hist_view_;
  QChart* hist_;
  Volume diff_, rel_, gamma_display_;
  QFutureWatcher<WorkerResult<physics::GammaResult>> watcher_;
  std::optional<physics::GammaResult> last_gamma_;  // its gamma volume moved to the model
  std::optional<physics::DoseDifference> stats_diff_;
  QString stats_error_;
  int generation_ = 0, running_generation_ = -1;
  double auto_range_ = 5;
};

}  // namespace dotakv::gui
