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
  int w = 0, h = 0;
  QSizeF mm;
  switch (plane_) {
    case viz::Plane::Lateral:
      w = v.cols, h = v.rows, mm = {v.spacing_mm[2], v.spacing_mm[1]};
      break;
    case viz::Plane::DepthRow:
      w = v.slices, h = v.rows, mm = {v.spacing_mm[0], v.spacing_mm[1]};
      break;
    case viz::Plane::DepthCol:
      w = v.slices, h = v.cols, mm = {v.spacing_mm[0], v.spacing_mm[2]};
      break;
  }
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
    std::vector<QRectF> placed{
        QRectF(0, 0, width(), QFontMetricsF(font()).height() + 6)};  // header
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
        // Label: the highest free spot on the line (top edge first), avoiding earlier labels.
        const QString txt = QString::number(line.level / ref * 100, 'g', 3) + QStringLiteral("%");
        const QSizeF ts = fm.size(0, txt);
        std::vector<QPointF> cand;
        for (const auto& seg : line.segments) cand.push_back(to_widget(seg.center()));
        std::sort(cand.begin(), cand.end(), [](QPointF a, QPointF b) { return a.y() < b.y(); });
        std::optional<QRectF> chosen;
        for (const QPointF& c : cand) {
          const QRectF box(c + QPointF(2, -ts.height() - 1), ts);
          if (!rect().contains(box.toRect())) continue;
          if (std::none_of(placed.begin(), placed.end(),
                           [&](const QRectF& o) { return o.intersects(box); })) {
            chosen = box;
            break;
          }
        }
        if (!chosen) continue;
        placed.push_back(*chosen);
        p.setFont(f);
        p.setPen(QColor(0, 0, 0, 200));
        p.drawText(chosen->translated(1, 1), Qt::AlignLeft | Qt::AlignVCenter, txt);
        p.setPen(line.color);
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
  // position annotation
  const Volume& v = model_->ct();
  const int axis = plane_ == viz::Plane::Lateral ? 0 : plane_ == viz::Plane::DepthRow ? 2 : 1;
  const double mm = (index() + 0.5) * v.spacing_mm[axis];
  const QString label =
      plane_ == viz::Plane::Lateral
          ? tr("depth %1 mm  [%2/%3]").arg(mm, 0, 'f', 1).arg(index() + 1).arg(count())
          : tr("%1 = %2 mm  [%3/%4]")
                .arg(axis == 2 ? tr("x") : tr("y"))
                .arg(mm, 0, 'f', 1)
                .arg(index() + 1)
                .arg(count());
  const QRectF lr =
      QFontMetricsF(font()).boundingRect(label).translated(6, 4 + QFontMetricsF(font()).ascent());
  p.setPen(Qt::NoPen);
  p.setBrush(QColor(0, 0, 0, 150));
  p.drawRoundedRect(lr.adjusted(-3, -1, 3, 1), 3, 3);
  p.setBrush(Qt::NoBrush);
  p.setPen(QColor(235, 235, 235));
  p.drawText(rect().adjusted(6, 4, -6, -4), Qt::AlignTop | Qt::AlignLeft, label);
  if (zoom_ != 1.0)
    p.drawText(rect().adjusted(6, 4, -6, -4), Qt::AlignTop | Qt::AlignRight,
               QStringLiteral("×%1").arg(zoom_, 0, 'f', 1));
}

void SliceView::mousePressEvent(QMouseEvent* e) {
  drag_start_ = e->position();
  if (e->button() == Qt::MiddleButton ||
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
  if (panning_) {
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
  panning_ = picking_ = painting_ = false;
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
