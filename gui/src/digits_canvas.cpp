#include "digits_canvas.hpp"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace dotakv::gui {

namespace {
constexpr std::size_t kMaxUndo = 64;
constexpr int kTokenW = 46, kTokenH = 58, kTokenGap = 4;

QString fmt_ms(double s) {
  if (!std::isfinite(s)) return QStringLiteral("…");
  const double ms = s * 1e3;
  return ms < 10 ? QStringLiteral("%1 ms").arg(ms, 0, 'f', 2)
                 : QStringLiteral("%1 ms").arg(ms, 0, 'f', 1);
}
}  // namespace

DigitsCanvas::DigitsCanvas(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("digitsCanvas"));
  QSizePolicy sp(QSizePolicy::Expanding, QSizePolicy::Preferred);
  sp.setHeightForWidth(true);
  setSizePolicy(sp);
  setCursor(Qt::CrossCursor);
  clear(192);
}

void DigitsCanvas::setImage(const dotakv::digits::GrayImage& image) {
  image_ = image;
  undo_.clear();
  undo_width_.clear();
  attention_.clear();
  highlight_ = {-1, -1};
  updateGeometry();
  update();
  emit edited();
}

void DigitsCanvas::clear(int width) {
  width = std::max(8, (width + 7) / 8 * 8);
  if (image_.width > 0 && !isBlank()) {  // clearing a drawing is undoable, a blank one is not
    undo_.push_back(image_.pixels);
    undo_width_.push_back(image_.width);
  }
  image_.height = kHeight;
  image_.width = width;
  image_.pixels.assign(std::size_t(kHeight) * width, 0.f);
  attention_.clear();
  highlight_ = {-1, -1};
  updateGeometry();
  update();
  emit edited();
}

void DigitsCanvas::resizeImage(int width) {
  width = std::max(8, (width + 7) / 8 * 8);
  if (width == image_.width || image_.height <= 0) return;
  undo_.push_back(image_.pixels);
  undo_width_.push_back(image_.width);
  std::vector<float> px(std::size_t(image_.height) * width, 0.f);
  const int keep = std::min(width, image_.width);
  for (int y = 0; y < image_.height; ++y)
    std::copy_n(image_.pixels.begin() + std::ptrdiff_t(y) * image_.width, keep,
                px.begin() + std::ptrdiff_t(y) * width);
  image_.pixels = std::move(px);
  image_.width = width;
  attention_.clear();
  highlight_ = {-1, -1};
  updateGeometry();
  update();
  emit edited();
}

bool DigitsCanvas::isBlank() const {
  return std::none_of(image_.pixels.begin(), image_.pixels.end(),
                      [](float v) { return v > 0.05f; });
}

void DigitsCanvas::undo() {
  if (undo_.empty()) return;
  image_.pixels = std::move(undo_.back());
  image_.width = undo_width_.back();
  image_.height =
      image_.width > 0 ? int(image_.pixels.size() / std::size_t(image_.width)) : kHeight;
  undo_.pop_back();
  undo_width_.pop_back();
  updateGeometry();
  update();
  emit edited();
}

namespace {
// Whole screen pixels per image pixel when it is at least 1 (crisp pixels), else the fraction.
double fit_scale(double s) {
  return s >= 1 ? std::floor(s) : std::max(0.25, s);
}
}  // namespace

double DigitsCanvas::scale() const {
  const int w = std::max(1, image_.width), h = std::max(1, image_.height);
  return fit_scale(
      std::min({double(kMaxScale), double(width() - 2) / w, double(height() - 2) / h}));
}

int DigitsCanvas::heightForWidth(int width) const {
  const int w = std::max(1, image_.width), h = std::max(1, image_.height);
  const double s = fit_scale(std::min(double(kMaxScale), double(width - 2) / w));
  return std::max(2 * h, int(std::ceil(h * s))) + 2;
}

QRectF DigitsCanvas::imageRect() const {
  const double s = scale();
  return {1.0, 1.0, image_.width * s, image_.height * s};
}

QPointF DigitsCanvas::toImage(const QPointF& p) const {
  const QRectF r = imageRect();
  const double s = scale();
  return {(p.x() - r.left()) / s, (p.y() - r.top()) / s};
}

void DigitsCanvas::setAttention(const std::vector<float>& w) {
  attention_ = w;
  highlight_ = {-1, -1};
  if (!w.empty()) {
    const int arg = int(std::max_element(w.begin(), w.end()) - w.begin());
    const float half = w[std::size_t(arg)] * 0.5f;
    int a = arg, b = arg;
    while (a > 0 && w[std::size_t(a - 1)] >= half) --a;
    while (b + 1 < int(w.size()) && w[std::size_t(b + 1)] >= half) ++b;
    highlight_ = {a, b};
  }
  update();
}

QSize DigitsCanvas::sizeHint() const {
  return {std::min(image_.width * kMaxScale, 1200) + 2, kHeight * kMaxScale + 2};
}

QSize DigitsCanvas::minimumSizeHint() const {
  return {std::min(image_.width * 2, 400) + 2, 2 * std::max(1, image_.height) + 2};
}

void DigitsCanvas::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().window());
  const int w = image_.width, h = image_.height;
  if (w <= 0 || h <= 0) return;
  QImage img(w, h, QImage::Format_Grayscale8);
  for (int y = 0; y < h; ++y) {
    uchar* line = img.scanLine(y);
    for (int x = 0; x < w; ++x) {
      const float v = image_.pixels[std::size_t(y) * w + x];
      line[x] = uchar(std::clamp(std::isfinite(v) ? v : 0.f, 0.f, 1.f) * 255.f + 0.5f);
    }
  }
  const QRectF r = imageRect();
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);
  p.drawImage(r, img);
  const double s = scale();
  // 8-px column ticks along the bottom edge: one per encoder token.
  p.setPen(QColor(90, 90, 90));
  for (int c = 8; c < w; c += 8)
    p.drawLine(QPointF(r.left() + c * s, r.bottom() - 4), QPointF(r.left() + c * s, r.bottom()));
  if (!attention_.empty()) {
    // Opacity = weight / max, damped when the map is nearly uniform (max close to 1/Te: the
    // model looked everywhere), so that "everywhere" does not read as "here".
    const float mx = *std::max_element(attention_.begin(), attention_.end());
    const double peak = std::clamp((mx * double(attention_.size()) - 1.0) / 3.0, 0.15, 1.0);
    for (std::size_t c = 0; c < attention_.size(); ++c) {
      const double a = mx > 0 ? peak * attention_[c] / mx : 0.0;
      const QRectF col(r.left() + double(c) * 8 * s, r.top(), 8 * s, r.height());
      p.fillRect(col.intersected(r), QColor(255, 120, 0, int(std::clamp(a, 0.0, 1.0) * 150)));
    }
    if (highlight_.first >= 0) {
      const QRectF hl(r.left() + highlight_.first * 8 * s, r.top(),
                      (highlight_.second - highlight_.first + 1) * 8 * s, r.height());
      p.setPen(QPen(QColor(255, 215, 0), 2));
      p.setBrush(Qt::NoBrush);
      p.drawRect(hl.intersected(r).adjusted(1, 1, -1, -1));
    }
  }
  p.setPen(QPen(palette().mid().color(), 1));
  p.setBrush(Qt::NoBrush);
  p.drawRect(r.adjusted(-0.5, -0.5, 0.5, 0.5));
}

void DigitsCanvas::dab(QPointF c) {
  const int w = image_.width, h = image_.height;
  const double r = brush_;
  const int x0 = std::max(0, int(std::floor(c.x() - r - 1))),
            x1 = std::min(w - 1, int(std::ceil(c.x() + r + 1)));
  const int y0 = std::max(0, int(std::floor(c.y() - r - 1))),
            y1 = std::min(h - 1, int(std::ceil(c.y() + r + 1)));
  for (int y = y0; y <= y1; ++y)
    for (int x = x0; x <= x1; ++x) {
      const double d = std::hypot(x + 0.5 - c.x(), y + 0.5 - c.y());
      const float v = float(std::clamp(r + 0.5 - d, 0.0, 1.0));  // 1 inside, soft 1-px edge
      float& px = image_.pixels[std::size_t(y) * w + x];
      px = std::max(px, v);
    }
}

void DigitsCanvas::strokeTo(QPointF p) {
  const double len = std::hypot(p.x() - last_.x(), p.y() - last_.y());
  const int n = std::max(1, int(std::ceil(len / 0.5)));
  for (int i = 1; i <= n; ++i) dab(last_ + (p - last_) * (double(i) / n));
  last_ = p;
  update();
}

void DigitsCanvas::mousePressEvent(QMouseEvent* e) {
  if (e->button() != Qt::LeftButton || image_.width <= 0) return;
  if (image_.height != kHeight) return;  // a loaded image of another height: view only
  undo_.push_back(image_.pixels);
  undo_width_.push_back(image_.width);
  if (undo_.size() > kMaxUndo) {
    undo_.erase(undo_.begin());
    undo_width_.erase(undo_width_.begin());
  }
  attention_.clear();
  highlight_ = {-1, -1};
  drawing_ = true;
  last_ = toImage(e->position());
  dab(last_);
  update();
}

void DigitsCanvas::mouseMoveEvent(QMouseEvent* e) {
  if (drawing_) strokeTo(toImage(e->position()));
}

void DigitsCanvas::mouseReleaseEvent(QMouseEvent* e) {
  if (!drawing_ || e->button() != Qt::LeftButton) return;
  strokeTo(toImage(e->position()));
  drawing_ = false;
  emit edited();
}

// ---------------------------------------------------------------------------------------------

DigitsTokenStrip::DigitsTokenStrip(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("digitsTokens"));
  setMouseTracking(true);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void DigitsTokenStrip::setTokens(const QVector<int>& tokens, const QVector<double>& latency_s) {
  tokens_ = tokens;
  latency_ = latency_s;
  latency_.resize(tokens_.size(), std::nan(""));
  if (hovered_ >= tokens_.size()) hovered_ = -1;
  updateGeometry();
  update();
}

void DigitsTokenStrip::setPlaceholder(const QString& text) {
  placeholder_ = text;
  update();
}

QRect DigitsTokenStrip::tokenRect(int i) const {
  return {4 + i * (kTokenW + kTokenGap), 4, kTokenW, kTokenH};
}

QSize DigitsTokenStrip::sizeHint() const {
  return {std::max(200, 8 + int(tokens_.size()) * (kTokenW + kTokenGap)), kTokenH + 8};
}

QSize DigitsTokenStrip::minimumSizeHint() const {
  return {std::max(120, 8 + int(tokens_.size()) * (kTokenW + kTokenGap)), kTokenH + 8};
}

void DigitsTokenStrip::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  if (tokens_.isEmpty()) {
    p.setPen(palette().placeholderText().color());
    p.drawText(rect().adjusted(8, 0, -8, 0), Qt::AlignVCenter | Qt::AlignLeft, placeholder_);
    return;
  }
  QFont big = font();
  big.setPointSizeF(font().pointSizeF() * 1.9);
  big.setBold(true);
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.8);
  for (int i = 0; i < tokens_.size(); ++i) {
    const QRect r = tokenRect(i);
    const bool hot = i == hovered_;
    p.setPen(QPen(hot ? QColor(255, 140, 0) : palette().mid().color(), hot ? 2 : 1));
    p.setBrush(hot ? QColor(255, 140, 0, 50) : palette().base());
    p.drawRoundedRect(QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    p.setPen(palette().text().color());
    p.setFont(big);
    p.drawText(r.adjusted(0, 2, 0, -18), Qt::AlignCenter, QString::number(tokens_[i]));
    p.setFont(small);
    QColor sub = palette().text().color();
    sub.setAlpha(165);
    p.setPen(sub);
    p.drawText(r.adjusted(1, r.height() - 18, -1, -2), Qt::AlignCenter, fmt_ms(latency_[i]));
  }
}

void DigitsTokenStrip::setHovered(int i) {
  if (i == hovered_) return;
  hovered_ = i;
  update();
  emit hovered(i);
}

void DigitsTokenStrip::mouseMoveEvent(QMouseEvent* e) {
  int hit = -1;
  for (int i = 0; i < tokens_.size(); ++i)
    if (tokenRect(i).contains(e->position().toPoint())) hit = i;
  setHovered(hit);
}

void DigitsTokenStrip::leaveEvent(QEvent*) {
  setHovered(-1);
}

}  // namespace dotakv::gui
