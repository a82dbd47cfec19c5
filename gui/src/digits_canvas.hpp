// Widgets of the Digits workspace (issue #16):
//   DigitsCanvas      the 32-px-high input image shown scaled up (x8 when it fits, at least x2):
//                     draw with the mouse (round soft brush, radius in image pixels), undo the last
//                     stroke, clear, or set an image (a PNG, a test string). White ink on black,
//                     exactly what the model reads (GrayImage, ink 1 on 0). Over the image it can
//                     show one token's cross-attention: one column per encoder token (8 image px),
//                     orange with opacity = weight / max weight (damped when the map is nearly
//                     uniform), the highlighted range (>= half the maximum) outlined.
//   DigitsTokenStrip  the tokens read so far, one box each (digit, latency in ms underneath);
//                     hovering a box emits hovered(index), leaving emits hovered(-1).
// Threading: GUI thread only.
#pragma once
#include <QPair>
#include <QString>
#include <QVector>
#include <QWidget>
#include <vector>

#include "dotakv/digits/session.hpp"

namespace dotakv::gui {

class DigitsCanvas : public QWidget {
  Q_OBJECT
 public:
  static constexpr int kHeight = dotakv::digits::kImageHeight;  // image rows
  static constexpr int kMaxScale = 8;
  explicit DigitsCanvas(QWidget* parent = nullptr);

  // The image as drawn (height 32, width imageWidth()).
  const dotakv::digits::GrayImage& image() const { return image_; }
  // Replaces the image (undo history cleared). Any height is shown; the model checks it.
  void setImage(const dotakv::digits::GrayImage& image);
  int imageWidth() const { return image_.width; }
  // A blank canvas of `width` px (rounded up to a multiple of 8).
  void clear(int width);
  void clear() { clear(image_.width); }
  // Changes the width (rounded up to a multiple of 8) keeping the drawing (cropped or extended
  // with black); undoable.
  void resizeImage(int width);
  bool isBlank() const;
  bool canUndo() const { return !undo_.empty(); }
  void undo();
  double brushRadius() const { return brush_; }
  void setBrushRadius(double px) { brush_ = px; }
  // Display scale (screen px per image px) and the image's rectangle inside the widget.
  double scale() const;
  QRectF imageRect() const;
  // Widget position -> image coordinates (x, y in image px).
  QPointF toImage(const QPointF& widget_pos) const;

  // One token's attention over the encoder columns (Te values); empty: no overlay.
  void setAttention(const std::vector<float>& weights);
  const std::vector<float>& attention() const { return attention_; }
  // Encoder columns [first, last] with weight >= half of the maximum around the maximum;
  // (-1, -1) without an overlay. Column c covers image px [8c, 8c + 8).
  QPair<int, int> highlightedColumns() const { return highlight_; }

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;
  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int w) const override;

 signals:
  void edited();  // a stroke finished, undo, clear or a new image

 protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;

 private:
  void dab(QPointF p);
  void strokeTo(QPointF p);
  dotakv::digits::GrayImage image_;
  std::vector<std::vector<float>> undo_;  // pixels before each stroke (bounded)
  std::vector<int> undo_width_;
  std::vector<float> attention_;
  QPair<int, int> highlight_{-1, -1};
  double brush_ = 1.6;
  bool drawing_ = false;
  QPointF last_;
};

class DigitsTokenStrip : public QWidget {
  Q_OBJECT
 public:
  explicit DigitsTokenStrip(QWidget* parent = nullptr);
  // Tokens (0..9) and each one's latency in seconds (NaN: not known yet).
  void setTokens(const QVector<int>& tokens, const QVector<double>& latency_s);
  const QVector<int>& tokens() const { return tokens_; }
  const QVector<double>& latencies() const { return latency_; }
  int hoveredIndex() const { return hovered_; }
  // Marks token i as hovered (-1: none) without emitting hovered().
  void highlight(int i) {
    hovered_ = i;
    update();
  }
  // Rectangle of token i (for tests and tooltips).
  QRect tokenRect(int i) const;
  void setPlaceholder(const QString& text);
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 signals:
  void hovered(int index);

 protected:
  void paintEvent(QPaintEvent*) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void leaveEvent(QEvent* e) override;

 private:
  void setHovered(int i);
  QVector<int> tokens_;
  QVector<double> latency_;
  QString placeholder_;
  int hovered_ = -1;
};

}  // namespace dotakv::gui
