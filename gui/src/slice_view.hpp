// SliceView: one plane of the case drawn from the CaseModel — CT in grey with window/level, a
// dose colour wash, isodose lines with labels (evaluated dose solid, reference dashed), the
// linked crosshair — or, in map mode, a derived volume (difference, gamma) over the CT.
// Interaction: click/drag sets the crosshair; wheel moves through slices; Ctrl+wheel zooms;
// middle-drag or Shift+drag pans; right-drag sets the CT window/level (as in 3D Slicer:
// left-right = window ×2 per 150 px, up-down = level); double-click resets zoom/pan; in paint
// mode left-drag paints (signals for the CT edit tool). Overlays: slice position (voxel index
// from 0, as the read-out), orientation labels (depth planes: beam from the left, depth to the
// right; the beam's-eye view looks along the beam), a mm scale bar. SliceViewer adds a slider
// and a title around it.
#pragma once
#include <QImage>
#include <QLabel>
#include <QPointer>
#include <QSlider>
#include <QWidget>

#include "case_model.hpp"
#include "dotakv/viz/slice.hpp"

namespace dotakv::gui {

class SliceView : public QWidget {
  Q_OBJECT
 public:
  SliceView(CaseModel* model, viz::Plane plane, QWidget* parent = nullptr);

  viz::Plane plane() const { return plane_; }
  int index() const;  // slice index along the plane's normal (from the crosshair)
  int count() const;
  void setIndex(int i);  // moves the crosshair along the normal

  // Map mode: draws `map` (same grid as the CT; NaN = transparent) over the CT instead of the
  // dose wash. Pass nullptr to return to dose mode. The volume must outlive the view's use.
  void setMap(const Volume* map, double lo, double hi, viz::ColorMap cmap);
  bool showIsodose() const { return isodose_; }
  void setShowIsodose(bool on) {
    isodose_ = on;
    update();
  }

  // The rectangle (widget coordinates) the slice image is drawn into; voxel <-> widget mapping.
  QRectF imageRect() const;
  std::array<int, 3> voxelAt(const QPointF& widget_pos) const;
  QPointF widgetPos(const std::array<int, 3>& zyx) const;  // voxel centre
  void resetView();
  double zoom() const { return zoom_; }
  // Paint mode: left-drag emits paintAt(voxel) instead of moving the crosshair (CT edit brush).
  void setPaintMode(bool on) {
    paint_mode_ = on;
    setCursor(on ? Qt::CrossCursor : Qt::ArrowCursor);
  }
  bool paintMode() const { return paint_mode_; }

  QSize sizeHint() const override { return {400, 200}; }
  QSize minimumSizeHint() const override { return {120, 60}; }

 signals:
  void indexChanged(int index);
  void paintAt(const std::array<int, 3>& zyx);
  void paintFinished();

 protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void mouseReleaseEvent(QMouseEvent*) override;
  void mouseDoubleClickEvent(QMouseEvent*) override;
  void wheelEvent(QWheelEvent*) override;

 private:
  void invalidate() {
    dirty_ = true;
    update();
  }
  void rebuild();
  void paintAnnotations(QPainter& p, const QRectF& image_rect);
  QSizeF plane_pixel_mm() const;  // mm per image pixel (horizontal, vertical)
  CaseModel* model_;
  viz::Plane plane_;
  QImage image_;
  bool dirty_ = true;
  const Volume* map_ = nullptr;
  double map_lo_ = 0, map_hi_ = 1;
  viz::ColorMap map_cmap_ = viz::ColorMap::Diverging;
  bool isodose_ = true;
  double zoom_ = 1.0;
  QPointF pan_;
  QPointF drag_start_;
  bool panning_ = false, picking_ = false, painting_ = false, paint_mode_ = false;
  bool windowing_ = false;
  QPointF wl_start_;  // (window, level) when the right-drag started
};

// A SliceView with a title line and a slider for the slice index.
class SliceViewer : public QWidget {
  Q_OBJECT
 public:
  SliceViewer(CaseModel* model, viz::Plane plane, QWidget* parent = nullptr);
  SliceView* view() const { return view_; }
  QSlider* slider() const { return slider_; }
  void retranslate();

 protected:
  void changeEvent(QEvent* e) override;

 private:
  void sync();
  CaseModel* model_;
  SliceView* view_;
  QSlider* slider_;
  QLabel* title_;
};

// Vertical colour bar for the dose wash (or a map), painted with viz::paint_colorbar.
class ColorBarWidget : public QWidget {
  Q_OBJECT
 public:
  explicit ColorBarWidget(QWidget* parent = nullptr);
  void setRange(viz::ColorMap map, double lo, double hi, const QString& unit);
  QSize sizeHint() const override { return {90, 240}; }
  QSize minimumSizeHint() const override { return {70, 120}; }

 protected:
  void paintEvent(QPaintEvent*) override;

 private:
  viz::ColorMap map_ = viz::ColorMap::Jet;
  double lo_ = 0, hi_ = 1;
  QString unit_;
};

// Human-readable plane name ("Beam's-eye view", ...), translated.
QString planeName(viz::Plane p);

}  // namespace dotakv::gui
