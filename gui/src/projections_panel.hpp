// ProjectionsPanel: maximum-intensity projections of the reference and evaluated doses along
// each axis (same colour scale, 0..reference max), and Qt Charts of the integrated depth dose,
// the depth dose along the line through the crosshair and the lateral profiles (x and y)
// through the crosshair, both doses overlaid. A colour bar gives the MIPs' scale in the display
// unit (% of the reference maximum or Gy).
#pragma once
#include <QImage>
#include <QLabel>
#include <QWidget>

#include "case_model.hpp"
#include "slice_view.hpp"

class QChart;
class QChartView;

namespace dotakv::gui {

// Paints a QImage keeping a physical aspect ratio, with a caption.
class ImageView : public QWidget {
  Q_OBJECT
 public:
  explicit ImageView(QWidget* parent = nullptr);
  void setImage(const QImage& img, QSizeF pixel_mm, const QString& caption);
  const QImage& image() const { return img_; }
  QSize minimumSizeHint() const override { return {100, 40}; }

 protected:
  void paintEvent(QPaintEvent*) override;

 private:
  QImage img_;
  QSizeF mm_{1, 1};
  QString caption_;
};

class ProjectionsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ProjectionsPanel(CaseModel* model, QWidget* parent = nullptr);
  // Series point counts of the depth-dose chart (for tests): one entry per plotted dose.
  QList<int> depthDoseSeriesSizes() const;
  ImageView* mip(int dose, int plane) const { return mips_[dose][plane]; }
  void retranslate();

 protected:
  void changeEvent(QEvent* e) override;

 private:
  void rebuildMips();
  void rebuildCharts();
  CaseModel* model_;
  ImageView* mips_[2][3];
  ColorBarWidget* bar_;  // the MIPs' colour scale (0..reference max, % or Gy)
  QChart *idd_, *line_, *latx_, *laty_;
  QChartView* views_[4];
};

}  // namespace dotakv::gui
