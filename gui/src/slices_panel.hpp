// SlicesPanel: the three planes (two depth planes stacked, beam's-eye view below) with the dose
// colour bar, the isodose legend (level colours; small lines are not labelled in the views) and
// the display controls (window/level presets, dose unit: % of reference max, Gy per primary or
// Gy for N protons (dose × N, N typed with k/M/G suffixes), range, opacity, low-dose
// cut, isodose levels). ReadoutWidget: HU, RSP, every dose, difference and gamma at the crosshair.
#pragma once
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QSlider>
#include <QWidget>

#include "case_model.hpp"
#include "slice_view.hpp"

class QFormLayout;
class QGroupBox;

namespace dotakv::gui {

class ReadoutWidget : public QLabel {
  Q_OBJECT
 public:
  explicit ReadoutWidget(CaseModel* model, QWidget* parent = nullptr);
  // The values shown (for tests and the status bar).
  CaseModel::Readout values() const { return model_->readout(model_->crosshair()); }
  void refresh();

 protected:
  void changeEvent(QEvent* e) override;

 private:
  CaseModel* model_;
};

class SlicesPanel : public QWidget {
  Q_OBJECT
 public:
  explicit SlicesPanel(CaseModel* model, QWidget* parent = nullptr);
  SliceViewer* viewer(viz::Plane p) const { return viewers_[int(p)]; }
  ReadoutWidget* readout() const { return readout_; }
  void retranslate();

 protected:
  void changeEvent(QEvent* e) override;

 private:
  void pushSettings();
  QString protonsTip() const;
  void pullSettings();
  void updateColorBar();
  CaseModel* model_;
  SliceViewer* viewers_[3];
  ColorBarWidget* bar_;
  ReadoutWidget* readout_;
  QGroupBox *display_box_, *readout_box_;
  QFormLayout* form_;
  QComboBox *preset_, *unit_;
  QDoubleSpinBox *window_, *level_, *lo_, *hi_, *cut_;
  QSlider* opacity_;
  QLineEdit *levels_, *protons_;
  QLabel *levels_label_, *legend_;
  QCheckBox *wash_, *iso_, *cross_;
  bool updating_ = false;
};

}  // namespace dotakv::gui
