#include "projections_panel.hpp"

#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QGridLayout>
#include <QLineSeries>
#include <QPainter>
#include <QSplitter>
#include <QVBoxLayout>
#include <QValueAxis>

#include "dotakv/analysis.hpp"
#include "dotakv/viz/slice.hpp"

namespace dotakv::gui {

ImageView::ImageView(QWidget* parent) : QWidget(parent) {}

void ImageView::setImage(const QImage& img, QSizeF pixel_mm, const QString& caption) {
  img_ = img;
  mm_ = pixel_mm;
  caption_ = caption;
  update();
}

void ImageView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), QColor(12, 12, 16));
  const QFontMetrics fm(font());
  const QRect area = rect().adjusted(2, fm.height() + 2, -2, -2);
  if (!img_.isNull()) {
    const double wmm = img_.width() * mm_.width(), hmm = img_.height() * mm_.height();
    const double s = std::min(area.width() / wmm, area.height() / hmm);
    const QSizeF sz(wmm * s, hmm * s);
    const QRectF r(area.left() + (area.width() - sz.width()) / 2,
                   area.top() + (area.height() - sz.height()) / 2, sz.width(), sz.height());
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.drawImage(r, img_);
  }
  p.setPen(QColor(230, 230, 230));
  p.drawText(rect().adjusted(4, 1, -4, 0), Qt::AlignTop | Qt::AlignLeft, caption_);
}

namespace {
QChart* make_chart() {
  auto* c = new QChart;
  c->legend()->setAlignment(Qt::AlignBottom);
  c->setMargins(QMargins(4, 4, 4, 4));
  return c;
}

void plot(QChart* chart, const QString& title, const QString& xtitle, const QString& ytitle,
          const std::vector<std::pair<QString, std::vector<QPointF>>>& curves,
          std::optional<double> marker) {
  chart->removeAllSeries();
  // removeAxis hands the axis back to the caller (Qt Charts): delete it, or every replot leaks two.
  for (auto* a : chart->axes()) {
    chart->removeAxis(a);
    delete a;
  }
  chart->setTitle(title);
  auto* ax = new QValueAxis;
  auto* ay = new QValueAxis;
  ax->setTitleText(xtitle);
  ay->setTitleText(ytitle);
  chart->addAxis(ax, Qt::AlignBottom);
  chart->addAxis(ay, Qt::AlignLeft);
  double xmin = 0, xmax = 1, ymax = 1e-30;
  bool first = true;
  const QColor colors[] = {QColor(200, 40, 40), QColor(30, 100, 220)};
  int k = 0;
  for (const auto& [name, pts] : curves) {
    auto* s = new QLineSeries;
    s->setName(name);
    s->append(QList<QPointF>(pts.begin(), pts.end()));
    QPen pen(colors[k % 2], 2);
    if (k == 1) pen.setStyle(Qt::DashLine);
    s->setPen(pen);
    ++k;
    chart->addSeries(s);
    s->attachAxis(ax);
    s->attachAxis(ay);
    for (const auto& p : pts) {
      if (first) xmin = xmax = p.x(), first = false;
      xmin = std::min(xmin, p.x());
      xmax = std::max(xmax, p.x());
      ymax = std::max(ymax, p.y());
    }
  }
  if (marker) {
    auto* m = new QLineSeries;
    m->setName(QObject::tr("crosshair"));
    m->append(*marker, 0);
    m->append(*marker, ymax * 1.05);
    m->setPen(QPen(QColor(120, 120, 120), 1, Qt::DotLine));
    chart->addSeries(m);
    m->attachAxis(ax);
    m->attachAxis(ay);
  }
  ax->setRange(std::min(0.0, xmin),
               xmax + 0.5 * (xmax - xmin) /
                          std::max<size_t>(1, curves.empty() ? 1 : curves[0].second.size()));
  ax->applyNiceNumbers();
  ay->setRange(0, ymax * 1.08);
  ay->applyNiceNumbers();
  ay->setLabelFormat(QStringLiteral("%.3g"));
}
}  // namespace

ProjectionsPanel::ProjectionsPanel(CaseModel* model, QWidget* parent)
    : QWidget(parent), model_(model) {
  auto* left = new QWidget;
  auto* grid = new QGridLayout(left);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->setSpacing(3);
  for (int d = 0; d < 2; ++d)
    for (int p = 0; p < 3; ++p) mips_[d][p] = new ImageView;
  // depth MIPs (wide) stacked; beam's-eye MIPs side by side below
  grid->addWidget(mips_[0][1], 0, 0, 1, 2);
  grid->addWidget(mips_[1][1], 1, 0, 1, 2);
  grid->addWidget(mips_[0][2], 2, 0, 1, 2);
  grid->addWidget(mips_[1][2], 3, 0, 1, 2);
  grid->addWidget(mips_[0][0], 4, 0);
  grid->addWidget(mips_[1][0], 4, 1);
  for (int r = 0; r < 4; ++r) grid->setRowStretch(r, 1);
  grid->setRowStretch(4, 3);
  bar_ = new ColorBarWidget;
  grid->addWidget(bar_, 0, 2, 5, 1);

  auto* right = new QWidget;
  auto* rl = new QGridLayout(right);
  rl->setContentsMargins(0, 0, 0, 0);
  QChart** charts[] = {&idd_, &line_, &latx_, &laty_};
  for (int i = 0; i < 4; ++i) {
    *charts[i] = make_chart();
    views_[i] = new QChartView(*charts[i]);
    views_[i]->setRenderHint(QPainter::Antialiasing);
    rl->addWidget(views_[i], i / 2, i % 2);
  }
  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(left);
  split->addWidget(right);
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 3);
  auto* lay = new QVBoxLayout(this);
  lay->setContentsMargins(2, 2, 2, 2);
  lay->addWidget(split);

  connect(model_, &CaseModel::caseChanged, this, [this] {
    rebuildMips();
    rebuildCharts();
  });
  connect(model_, &CaseModel::selectionChanged, this, [this] {
    rebuildMips();
    rebuildCharts();
  });
  connect(model_, &CaseModel::doseChanged, this, [this](const QString& n) {
    if (n == model_->referenceName() || n == model_->evaluatedName()) {
      rebuildMips();
      rebuildCharts();
    }
  });
  connect(model_, &CaseModel::crosshairChanged, this, &ProjectionsPanel::rebuildCharts);
  connect(model_, &CaseModel::displayChanged, this, [this] {
    rebuildMips();
    rebuildCharts();
  });
  rebuildMips();
  rebuildCharts();
}

void ProjectionsPanel::rebuildMips() {
  const Dose* doses[2] = {model_->reference(), model_->evaluated()};
  const QString names[2] = {model_->referenceName(), model_->evaluatedName()};
  const double ref = model_->referenceMax();
  const QString axis[3] = {tr("MIP along depth"), tr("MIP along x"), tr("MIP along y")};
  if (model_->display().unit == DoseUnit::Percent)
    bar_->setRange(viz::ColorMap::Jet, 0, 100, tr("Dose [%]"));
  else
    bar_->setRange(viz::ColorMap::Jet, 0, ref, tr("Dose [Gy]"));
  for (int d = 0; d < 2; ++d)
    for (int p = 0; p < 3; ++p) {
      if (!doses[d]) {
        mips_[d][p]->setImage(QImage(), {1, 1}, QString());
        continue;
      }
      const auto mip = viz::max_projection(doses[d]->volume, viz::Plane(p));
      mips_[d][p]->setImage(viz::render_map(mip, 0, ref, viz::ColorMap::Jet), mip.pixel_mm,
                            QStringLiteral("%1 — %2").arg(names[d], axis[p]));
    }
}

void ProjectionsPanel::rebuildCharts() {
  const Dose* doses[2] = {model_->reference(), model_->evaluated()};
  QString names[2] = {model_->referenceName(), model_->evaluatedName()};
  const int n = (doses[0] && doses[1] && doses[0] != doses[1]) ? 2 : (doses[0] ? 1 : 0);
  const auto c = model_->crosshair();
  const bool pct = model_->display().unit == DoseUnit::Percent;
  const double ref = model_->referenceMax();
  const double scale = pct ? 100.0 / ref : dose_unit_scale(model_->display());
  const QString unit = dose_unit_label(model_->display());
  std::vector<std::pair<QString, std::vector<QPointF>>> idd, line, lx, ly;
  double idd_ref_max = 0;
  if (n > 0) {
    const auto iddr = physics::integrated_depth_dose(doses[0]->volume);
    for (double x : iddr) idd_ref_max = std::max(idd_ref_max, x);
  }
  for (int d = 0; d < n; ++d) {
    const Volume& v = doses[d]->volume;
    const auto z = physics::depth_positions_mm(v);
    const auto curve = physics::integrated_depth_dose(v);
    std::vector<QPointF> a, b, px, py;
    for (size_t i = 0; i < curve.size(); ++i)
      a.emplace_back(z[i], pct ? curve[i] / std::max(idd_ref_max, 1e-300) * 100 : curve[i] * scale);
    for (int i = 0; i < v.slices; ++i) b.emplace_back(z[i], v.at(i, c[1], c[2]) * scale);
    const auto prx = physics::lateral_profile(v, c[0], 2, c[1]);
    const auto pry = physics::lateral_profile(v, c[0], 1, c[2]);
    for (size_t i = 0; i < prx.size(); ++i)
      px.emplace_back((i + 0.5) * v.spacing_mm[2], prx[i] * scale);
    for (size_t i = 0; i < pry.size(); ++i)
      py.emplace_back((i + 0.5) * v.spacing_mm[1], pry[i] * scale);
    idd.emplace_back(names[d], std::move(a));
    line.emplace_back(names[d], std::move(b));
    lx.emplace_back(names[d], std::move(px));
    ly.emplace_back(names[d], std::move(py));
  }
  const Volume& ct = model_->ct();
  const double zmm = (c[0] + 0.5) * ct.spacing_mm[0];
  plot(idd_, tr("Integrated depth dose"), tr("depth [mm]"),
       pct ? tr("% of reference peak")
       : model_->display().unit == DoseUnit::Gy
           ? tr("Gy cm² per primary")
           : tr("Gy cm² for %1 protons").arg(model_->display().protons, 0, 'g', 3),
       idd, zmm);
  plot(line_, tr("Depth dose through the crosshair"), tr("depth [mm]"), unit, line, zmm);
  plot(latx_, tr("Lateral profile (x) at depth %1 mm").arg(zmm, 0, 'f', 1), tr("x [mm]"), unit, lx,
       (c[2] + 0.5) * ct.spacing_mm[2]);
  plot(laty_, tr("Lateral profile (y) at depth %1 mm").arg(zmm, 0, 'f', 1), tr("y [mm]"), unit, ly,
       (c[1] + 0.5) * ct.spacing_mm[1]);
}

QList<int> ProjectionsPanel::depthDoseSeriesSizes() const {
  QList<int> out;
  for (auto* s : idd_->series())
    if (auto* l = qobject_cast<QLineSeries*>(s); l && l->count() > 2) out << l->count();
  return out;
}

void ProjectionsPanel::retranslate() {
  rebuildMips();
  rebuildCharts();
}

void ProjectionsPanel::changeEvent(QEvent* e) {
  if (e->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(e);
}

}  // namespace dotakv::gui
