// ReferencePanel: computes a reference dose for the current CT with the Monte Carlo engine
// (primaries, seed) or the pencil-beam algorithm, in a worker with progress and cancel; the
// result is added to the case as "mc" / "pba".
#pragma once
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFutureWatcher>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QWidget>
#include <memory>

#include "case_model.hpp"
#include "dotakv/progress.hpp"

class QFormLayout;

namespace dotakv::gui {

class ReferencePanel : public QWidget {
  Q_OBJECT
 public:
  explicit ReferencePanel(CaseModel* model, QWidget* parent = nullptr);
  void start();
  void cancel();
  bool running() const { return watcher_.isRunning(); }
  void retranslate();

 signals:
  void failed(const QString& message);
  void done(const QString& dose_name);

 protected:
  void changeEvent(QEvent* e) override;

 private:
  CaseModel* model_;
  QFormLayout* form_;
  QComboBox* engine_;
  QSpinBox *primaries_k_, *seed_;
  QDoubleSpinBox* sigma_;
  QPushButton *run_, *stop_;
  QProgressBar* bar_;
  QLabel* status_;
  QFutureWatcher<Dose> watcher_;
  std::shared_ptr<Progress> progress_;
};

}  // namespace dotakv::gui
