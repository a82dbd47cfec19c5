// ReferencePanel: computes a reference dose for the current CT with the Monte Carlo engine
// (primaries, seed) or the pencil-beam algorithm, in a worker with progress and cancel; the
// result is added to the case as "mc" (with its batch standard error "mc_stderr") / "pba",
// stamped with the CT it was computed on (CaseModel staleness).
//
// Primaries are entered as a count of primaries with optional k/M suffixes ("200000", "200k",
// "1.5M"; parse_primaries); invalid text is named in the status line and nothing starts.
// Outcomes: "Added dose …", "Cancelled." (dotakv::Cancelled, caught in the worker), or
// "Failed: <core's message>" plus failed(message). While a dose of the case is stale (computed
// on the CT before an edit) the panel says which and offers to recompute it (mc/pba).
// Engine, primaries, seed and spot sigma persist in QSettings ("reference/...").
#pragma once
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFutureWatcher>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QWidget>
#include <memory>
#include <optional>

#include "case_model.hpp"
#include "dotakv/progress.hpp"
#include "worker_result.hpp"

class QFormLayout;

namespace dotakv::gui {

// "20000" -> 20000, "200k" -> 200000, "1.5M" -> 1500000 (count_text.hpp; also "2e5"). Accepts
// 1 .. 10^10 whole primaries; otherwise nullopt and, if `error`, a translated explanation.
std::optional<long long> parse_primaries(const QString& text, QString* error = nullptr);

class ReferencePanel : public QWidget {
  Q_OBJECT
 public:
  explicit ReferencePanel(CaseModel* model, QWidget* parent = nullptr);
  ~ReferencePanel() override;
  // Starts the selected engine; returns false (status line says why) if the input is invalid.
  bool start();
  void cancel();
  bool running() const { return watcher_.isRunning(); }
  void setEngine(bool monte_carlo);
  QLineEdit* primariesEdit() const { return primaries_; }
  QLabel* statusLabel() const { return status_; }
  QLabel* staleLabel() const { return stale_; }
  QPushButton* recomputeStaleButton() const { return recompute_stale_; }
  void retranslate();

 signals:
  void failed(const QString& message);
  void done(const QString& dose_name);

 protected:
  void changeEvent(QEvent* e) override;

 private:
  struct Output {
    Dose dose;
    std::optional<Dose> uncertainty;
  };
  void updateStale();
  void recomputeStale();

  CaseModel* model_;
  QFormLayout* form_;
  QComboBox* engine_;
  QLineEdit* primaries_;
  QSpinBox* seed_;
  QDoubleSpinBox* sigma_;
  QPushButton *run_, *stop_, *recompute_stale_;
  QProgressBar* bar_;
  QLabel *status_, *stale_;
  QFutureWatcher<WorkerResult<Output>> watcher_;
  std::shared_ptr<Progress> progress_;
  bool running_mc_ = true;
  uint64_t running_ct_ = 0;
};

}  // namespace dotakv::gui
