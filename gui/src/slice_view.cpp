#include "slice_view.hpp"

#include <QEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <optional>

#include "dotakv/viz/colorbar.hpp"
#include "dotakv/viz/contour.hpp"

namespace dotakv::gui {

QString planeName(viz::Plane p) {
  switch (p) {
    case viz::Plane::Lateral:
      return SliceView::tr("Beam's-eye view (lateral plane)");
    case viz::Plane::DepthRow:
      return SliceView::tr("Depth plane (rows × depth)");
    case viz::Plane::DepthCol:
      return SliceView::tr("Depth plane (columns × depth)");
  }
  return {};
}

SliceView::SliceView(CaseModel* model, viz::Plane plane, QWidget* parent)
    : QWidget(parent), model_(model), plane_(plane) {
  setMouseTracking(false);
  setFocusPolicy(Qt::WheelFocus);
  setAttribute(Qt::WA_OpaquePaintEvent);
  auto inv = [this] { invalidate(); };
  connect(model_, &CaseModel::caseChanged, this, [this] {
    resetView();
    invalidate();
  });
  connect(model_, &CaseModel::ctChanged, this, inv);
  connect(model_, &CaseModel::doseChanged, this, inv);
  connect(model_, &CaseModel::selectionChanged, this, inv);
  connect(model_, &CaseModel::displayChanged, this, inv);
  int last = -1;
  connect(model_, &CaseModel::crosshairChanged, this, [this, last]() mutable {
    const int i = index();
    if (i != last) {
      last = i;
      dirty_ = true;
      emit indexChanged(i);
    }
    update();
  });
}

int SliceView::count() const {
  return viz::plane_count(model_->ct(), plane_);
}
int SliceView::index() const {
  return viz::plane_index(plane_, model_->crosshair());
}

void SliceView::setIndex(int i) {
  auto c = model_->crosshair();
  switch (plane_) {
    case viz::Plane::Lateral:
      c[0] = i;
      break;
    case viz::Plane::DepthRow:
      c[2] = i;
      break;
    case viz::Plane::DepthCol:
      c[1] = i;
      break;
  }
  model_->setCrosshair(c[0], c[1], c[2]);
}

void SliceView::setMap(const Volume* map, double lo, double hi, viz::ColorMap cmap) {
  map_ = map;
  map_lo_ = lo;
  map_hi_ = hi;
  map_cmap_ = cmap;
  invalidate();
}

void SliceView::rebuild() {
  dirty_ = false;
  const Volume& ct = model_->ct();
  if (ct.data.empty()) {
    image_ = QImage();
    return;
  }
  const auto& d = model_->display();
  const auto ct_slice = viz::extract_slice(ct, plane_, index());
  image_ = viz::render_ct(ct_slice, {d.window, d.level});
  if (map_) {
    if (!map_->same_grid(ct)) return;  // map mode without a map: CT only
    const auto m = viz::extract_slice(*map_, plane_, index());
    const double span = std::max(map_hi_ - map_lo_, 1e-30);
    for (int v = 0; v < m.height; ++v) {
      auto* line = reinterpret_cast<QRgb*>(image_.scanLine(v));
      for (int u = 0; u < m.width; ++u) {
        const double x = m.at(u, v);
        if (std::isfinite(x)) line[u] = viz::map_color(map_cmap_, (x - map_lo_) / span).rgb();
      }
    }
  } else if (const Dose* e = model_->evaluated(); e && d.show_wash) {
    const double ref = model_->referenceMax();
    viz::DoseWash w;
    w.lo = d.wash_lo_pct / 100 * ref;
    w.hi = d.wash_hi_pct / 100 * ref;
    w.cut = d.cut_pct / 100 * ref;
    w.opacity = d.opacity;
    viz::overlay_dose(image_, viz::extract_slice(e->volume, plane_, index()), w);
  }
}

QRectF SliceView::imageRect() const {
  const Volume& v = model_->ct();
  if (v.data.empty()) return {};
  const int w = plane_ == viz::Plane::Lateral ? v.cols : v.slices;
  const int h = plane_ == viz::Plane::DepthCol ? v.cols : v.rows;
  const QSizeF mm = plane_pixel_mm();
  const double wmm = w * mm.width(), hmm = h * mm.height();
  const double margin = 4;
  const double s = std::min((width() - 2 * margin) / wmm, (height() - 2 * margin) / hmm) * zoom_;
  const QSizeF size(wmm * s, hmm * s);
  return QRectF(QPointF((width() - size.width()) / 2, (height() - size.height()) / 2) + pan_, size);
}

std::array<int, 3> SliceView::voxelAt(const QPointF& p) const {
  const QRectF r = imageRect();
  const int w = image_.isNull() ? 1 : image_.width(), h = image_.isNull() ? 1 : image_.height();
  const int u = int(std::floor((p.x() - r.left()) / r.width() * w));
  const int v = int(std::floor((p.y() - r.top()) / r.height() * h));
  return viz::voxel_of(plane_, index(), std::clamp(u, 0, w - 1), std::clamp(v, 0, h - 1));
}

QPointF SliceView::widgetPos(const std::array<int, 3>& zyx) const {
  const QRectF r = imageRect();
  const QPoint px = viz::pixel_of(plane_, zyx);
  const int w = std::max(1, image_.width()), h = std::max(1, image_.height());
  return {r.left() + (px.x() + 0.5) * r.width() / w, r.top() + (px.y() + 0.5) * r.height() / h};
}

void SliceView::resetView() {
  zoom_ = 1.0;
  pan_ = {};
  update();
}

void SliceView::paintEvent(QPaintEvent*) {
  if (dirty_) rebuild();
  QPainter p(this);
  p.fillRect(rect(), QColor(12, 12, 16));
  if (image_.isNull()) {
    p.setPen(Qt::gray);
    p.drawText(rect(), Qt::AlignCenter, tr("No case loaded"));
    return;
  }
  const QRectF r = imageRect();
  p.setRenderHint(QPainter::SmoothPixmapTransform, true);
  p.drawImage(r, image_);
  p.setRenderHint(QPainter::Antialiasing, true);
  const auto& d = model_->display();
  const double sx = r.width() / image_.width(), sy = r.height() / image_.height();
  auto to_widget = [&](QPointF q) { return QPointF(r.left() + q.x() * sx, r.top() + q.y() * sy); };
  if (isodose_ && d.show_isodose && !map_) {
    const double ref = model_->referenceMax();
    QFont f = font();
    f.setPointSizeF(std::max(6.0, f.pointSizeF() * 0.8));
    const QFontMetricsF fm(f);
    const double fh = QFontMetricsF(font()).height();
    std::vector<QRectF> placed{QRectF(0, 0, width(), fh + 6),                     // header
                               QRectF(0, height() - fh - 14, width(), fh + 14)};  // scale bar
    auto draw_lines = [&](const Dose* dose, bool dashed, bool labels) {
      if (!dose) return;
      const auto s = viz::extract_slice(dose->volume, plane_, index());
      for (const auto& line : viz::isodose_lines(s, d.isodose_pct, ref)) {
        QPen pen(line.color, dashed ? 1.2 : 1.6);
        if (dashed) pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        for (const auto& seg : line.segments)
          p.drawLine(QLineF(to_widget(seg.p1()), to_widget(seg.p2())));
        if (!labels || line.segments.empty()) continue;
        // Lines too small to carry a label legibly (the high levels at the peak) are named
        // by the isodose legend beside the views instead.
        QRectF extent;
        for (const auto& seg : line.segments)
          extent |= QRectF(to_widget(seg.p1()), to_widget(seg.p2())).normalized();
        // Label: the highest free spot on the line (top edge first), avoiding earlier labels.
        const QString txt = QString::number(line.level / ref * 100, 'g', 3) + QStringLiteral("%");
        const QSizeF ts = fm.size(0, txt);
        if (extent.width() < 2.5 * ts.width() && extent.height() < 2.5 * ts.height()) continue;
        std::vector<QPointF> cand;
        for (const auto& seg : line.segments) cand.push_back(to_widget(seg.center()));
        std::sort(cand.begin(), cand.end(), [](QPointF a, QPointF b) { return a.y() < b.y(); });
        // Around each point: above-right, above-left, below-right, below-left; boxes keep a
        // 2 px gap to every earlier label (the high levels crowd at the peak) and the overlays.
        const QPointF offsets[] = {{2, -ts.height() - 1},
                                   {-ts.width() - 2, -ts.height() - 1},
                                   {2, 1},
                                   {-ts.width() - 2, 1}};
        std::optional<QRectF> chosen;
        for (const QPointF& c : cand) {
          for (const QPointF& off : offsets) {
            const QRectF box(c + off, ts);
            if (!rect().contains(box.toRect())) continue;
            const QRectF padded = box.adjusted(-2, -2, 2, 2);
            if (std::none_of(placed.begin(), placed.end(),
                             [&](const QRectF& o) { return o.intersects(padded); })) {
              chosen = box;
              break;
            }
          }
          if (chosen) break;
        }
        if (!chosen) continue;
        placed.push_back(*chosen);
        p.setFont(f);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0, 0, 0, 210));
        p.drawRoundedRect(chosen->adjusted(-1, 0, 1, 0), 2, 2);
        p.setBrush(Qt::NoBrush);
        const QColor c = line.color.toHsl();
        p.setPen(QColor::fromHsl(c.hslHue(), c.hslSaturation(), std::max(c.lightness(), 185)));
        p.drawText(*chosen, Qt::AlignLeft | Qt::AlignVCenter, txt);
      }
    };
    const Dose* ev = model_->evaluated();
    const Dose* rf = model_->reference();
    if (rf && rf != ev) draw_lines(rf, true, false);
    draw_lines(ev, false, true);
    p.setFont(font());
  }
  if (d.show_crosshair) {
    const QPointF c = widgetPos(model_->crosshair());
    p.setPen(QPen(QColor(255, 255, 255, 150), 1, Qt::DotLine));
    p.drawLine(QPointF(r.left(), c.y()), QPointF(r.right(), c.y()));
    p.drawLine(QPointF(c.x(), r.top()), QPointF(c.x(), r.bottom()));
    p.setPen(QPen(QColor(255, 220, 0), 1.5));
    p.drawEllipse(c, 3.5, 3.5);
  }
  paintAnnotations(p, r);
}

void SliceView::paintAnnotations(QPainter& p, const QRectF& r) {
  // Slice position: voxel index counted from 0 (as in the read-out and the status bar).
  const Volume& v = model_->ct();
  const int axis = plane_ == viz::Plane::Lateral ? 0 : plane_ == viz::Plane::DepthRow ? 2 : 1;
  const double mm = (index() + 0.5) * v.spacing_mm[axis];
  const QString name = axis == 0 ? tr("z") : axis == 2 ? tr("x") : tr("y");
  const QString label =
      axis == 0 ? tr("depth %1 mm  (z %2 of 0–%3)").arg(mm, 0, 'f', 1).arg(index()).arg(count() - 1)
                : tr("%1 = %2 mm  (%1 %3 of 0–%4)")
                      .arg(name)
                      .arg(mm, 0, 'f', 1)
                      .arg(index())
                      .arg(count() - 1);
  const QFontMetricsF fm(font());
  auto boxed = [&](const QRectF& box, const QString& text, int align) {
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0, 0, 0, 150));
    p.drawRoundedRect(box.adjusted(-3, -1, 3, 1), 3, 3);
    p.setBrush(Qt::NoBrush);
    p.setPen(QColor(235, 235, 235));
    p.drawText(box, align, text);
  };
  boxed(QRectF(QPointF(6, 4), fm.size(0, label)), label, Qt::AlignLeft | Qt::AlignTop);
  if (zoom_ != 1.0)
    p.drawText(rect().adjusted(6, 4, -6, -4), Qt::AlignTop | Qt::AlignRight,
               QStringLiteral("×%1").arg(zoom_, 0, 'f', 1));

  // Orientation: the image axes (depth planes: beam from the left, depth to the right; the
  // beam's-eye view looks along the beam, x to the right and y down as stored).
  QString hor, ver;
  switch (plane_) {
    case viz::Plane::Lateral:
      hor = tr("x →");
      ver = tr("y ↓");
      break;
    case viz::Plane::DepthRow:
      hor = tr("beam → depth");
      ver = tr("y ↓");
      break;
    case viz::Plane::DepthCol:
      hor = tr("beam → depth");
      ver = tr("x ↓");
      break;
  }
  const QRectF vis = r.intersected(QRectF(rect()));
  const QSizeF hs = fm.size(0, hor), vs = fm.size(0, ver);
  boxed(QRectF(QPointF(vis.left() + 6, vis.bottom() - hs.height() - 4), hs), hor,
        Qt::AlignLeft | Qt::AlignVCenter);
  const double vy = std::max(vis.top() + fm.height() + 10, 4 + fm.height() + 8);
  boxed(QRectF(QPointF(vis.left() + 6, vy), vs), ver, Qt::AlignLeft | Qt::AlignVCenter);
  if (plane_ == viz::Plane::Lateral) {
    const QString into = tr("beam into the screen");
    const QSizeF is = fm.size(0, into);
    boxed(QRectF(QPointF(vis.right() - is.width() - 6, vy), is), into,
          Qt::AlignLeft | Qt::AlignVCenter);
  }

  // Scale bar: a 1/2/5 × 10^k mm length of at most a quarter of the visible image width.
  const double px_per_mm = r.width() / (image_.width() * plane_pixel_mm().width());
  const double target = vis.width() / 4 / px_per_mm;
  const double mag = std::pow(10.0, std::floor(std::log10(std::max(target, 1e-3))));
  double len = mag;
  for (double f : {1.0, 2.0, 5.0})
    if (f * mag <= target) len = f * mag;
  const double L = len * px_per_mm;
  const QString sl = tr("%1 mm").arg(len, 0, 'g', 3);
  const QSizeF ss = fm.size(0, sl);
  const double x1 = vis.right() - 10, x0 = x1 - L, y = vis.bottom() - 8;
  p.setPen(QPen(QColor(0, 0, 0, 180), 4));
  p.drawLine(QPointF(x0, y), QPointF(x1, y));
  p.setPen(QPen(QColor(240, 240, 240), 2));
  p.drawLine(QPointF(x0, y), QPointF(x1, y));
  p.drawLine(QPointF(x0, y - 4), QPointF(x0, y + 2));
  p.drawLine(QPointF(x1, y - 4), QPointF(x1, y + 2));
  boxed(QRectF(QPointF((x0 + x1 - ss.width()) / 2, y - ss.height() - 5), ss), sl, Qt::AlignCenter);
}

QSizeF SliceView::plane_pixel_mm() const {
  const auto& sp = model_->ct().spacing_mm;
  switch (plane_) {
    case viz::Plane::Lateral:
      return {sp[2], sp[1]};
    case viz::Plane::DepthRow:
      return {sp[0], sp[1]};
    case viz::Plane::DepthCol:
      return {sp[0], sp[2]};
  }
  return {1, 1};
}

void SliceView::mousePressEvent(QMouseEvent* e) {
  drag_start_ = e->position();
  if (e->button() == Qt::RightButton) {
    windowing_ = true;
    wl_start_ = {model_->display().window, model_->display().level};
  } else if (e->button() == Qt::MiddleButton ||
             (e->button() == Qt::LeftButton && (e->modifiers() & Qt::ShiftModifier))) {
    panning_ = true;
  } else if (e->button() == Qt::LeftButton && paint_mode_) {
    painting_ = true;
    emit paintAt(voxelAt(e->position()));
  } else if (e->button() == Qt::LeftButton) {
    picking_ = true;
    const auto v = voxelAt(e->position());
    model_->setCrosshair(v[0], v[1], v[2]);
  }
}

void SliceView::mouseMoveEvent(QMouseEvent* e) {
  if (windowing_) {
    // As in 3D Slicer: right-left changes the window, up-down the level (drag up: brighter).
    const QPointF d = e->position() - drag_start_;
    DisplaySettings s = model_->display();
    s.window = std::clamp(wl_start_.x() * std::pow(2.0, d.x() / 150.0), 1.0, 5000.0);
    s.level =
        std::clamp(wl_start_.y() - d.y() * std::max(wl_start_.x(), 50.0) / 200.0, -1500.0, 3000.0);
    model_->setDisplay(s);
  } else if (panning_) {
    pan_ += e->position() - drag_start_;
    drag_start_ = e->position();
    update();
  } else if (painting_) {
    emit paintAt(voxelAt(e->position()));
  } else if (picking_) {
    const auto v = voxelAt(e->position());
    model_->setCrosshair(v[0], v[1], v[2]);
  }
}

void SliceView::mouseReleaseEvent(QMouseEvent*) {
  if (painting_) emit paintFinished();
  panning_ = picking_ = painting_ = windowing_ = false;
}
void SliceView::mouseDoubleClickEvent(QMouseEvent*) {
  resetView();
}

void SliceView::wheelEvent(QWheelEvent* e) {
  const int steps = e->angleDelta().y() / 120;
  if (steps == 0) return;
  if (e->modifiers() & Qt::ControlModifier) {
    const QPointF pos = e->position();
    const QPointF centre(width() / 2.0, height() / 2.0);
    const double f = std::pow(1.25, steps);
    const double nz = std::clamp(zoom_ * f, 0.5, 20.0);
    const double k = nz / zoom_;
    // keep the point under the cursor fixed
    pan_ = (pan_ + centre - pos) * k - centre + pos;
    zoom_ = nz;
    update();
  } else {
    setIndex(index() + steps);
  }
  e->accept();
}

SliceViewer::SliceViewer(CaseModel* model, viz::Plane plane, QWidget* parent)
    : QWidget(parent), model_(model) {
  auto* lay = new QVBoxLayout(this);
  lay->setContentsMargins(0, 0, 0, 0);
  lay->setSpacing(2);
  title_ = new QLabel(this);
  view_ = new SliceView(model, plane, this);
  slider_ = new QSlider(Qt::Horizontal, this);
  lay->addWidget(title_);
  lay->addWidget(view_, 1);
  lay->addWidget(slider_);
  connect(slider_, &QSlider::valueChanged, view_, &SliceView::setIndex);
  connect(view_, &SliceView::indexChanged, this, [this](int i) {
    QSignalBlocker b(slider_);
    slider_->setValue(i);
  });
  connect(model_, &CaseModel::caseChanged, this, &SliceViewer::sync);
  sync();
  retranslate();
}

void SliceViewer::sync() {
  QSignalBlocker b(slider_);
  slider_->setRange(0, std::max(0, view_->count() - 1));
  slider_->setValue(view_->index());
}

void SliceViewer::retranslate() {
  title_->setText(planeName(view_->plane()));
  slider_->setToolTip(tr("Slice (mouse wheel over the view also moves through slices)"));
}

void SliceViewer::changeEvent(QEvent* e) {
  if (e->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(e);
}

ColorBarWidget::ColorBarWidget(QWidget* parent) : QWidget(parent) {}

void ColorBarWidget::setRange(viz::ColorMap map, double lo, double hi, const QString& unit) {
  map_ = map;
  lo_ = lo;
  hi_ = hi;
  unit_ = unit;
  update();
}

void ColorBarWidget::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setPen(palette().color(QPalette::WindowText));
  viz::paint_colorbar(p, rect().adjusted(4, 4, -2, -4), map_, lo_, hi_, unit_, 6);
}

}  // namespace dotakv::gui
