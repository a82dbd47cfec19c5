#include "compare_panel.hpp"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent>
#include <algorithm>
#include <cmath>

#include "dotakv/analysis.hpp"
#include "dotakv/viz/colorbar.hpp"

namespace dotakv::gui {

ComparePanel::ComparePanel(CaseModel* model, QWidget* parent) : QWidget(parent), model_(model) {
  ref_ = new QComboBox;
  eval_ = new QComboBox;
  kind_ = new QComboBox;
  kind_->addItems({QString(), QString(), QString()});
  kind_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  range_ = new QDoubleSpinBox;
  range_->setRange(0, 1000);
  range_->setSpecialValueText(tr("auto"));
  range_->setSuffix(QStringLiteral(" %"));
  dd_ = new QDoubleSpinBox;
  dd_->setRange(0.1, 20);
  dd_->setValue(physics::GammaDefaults::dose_percent);
  dd_->setSuffix(QStringLiteral(" %"));
  dta_ = new QDoubleSpinBox;
  dta_->setRange(0.1, 20);
  dta_->setValue(physics::GammaDefaults::dta_mm);
  dta_->setSuffix(QStringLiteral(" mm"));
  thr_ = new QDoubleSpinBox;
  thr_->setRange(0, 100);
  thr_->setValue(physics::GammaDefaults::threshold_percent);
  thr_->setSuffix(QStringLiteral(" %"));
  local_ = new QCheckBox;
  dd_->setObjectName(QStringLiteral("gammaDose"));
  dta_->setObjectName(QStringLiteral("gammaDistance"));
  thr_->setObjectName(QStringLiteral("gammaThreshold"));
  local_->setObjectName(QStringLiteral("gammaLocal"));
  local_->setChecked(physics::GammaDefaults::local);
  compute_ = new QPushButton;
  pass_ = new QLabel;
  pass_->setWordWrap(true);
  stats_ = new QLabel;
  stats_->setWordWrap(true);
  stale_ = new QLabel;
  stale_->setWordWrap(true);
  stale_->setStyleSheet(QStringLiteral("color:#c0392b;"));
  stale_->setVisible(false);
  for (auto** l : {&ref_label_, &eval_label_, &kind_label_, &range_label_, &dd_label_, &dta_label_,
                   &thr_label_})
    *l = new QLabel;

  auto* controls = new QGridLayout;
  controls->addWidget(ref_label_, 0, 0);
  controls->addWidget(ref_, 0, 1);
  controls->addWidget(eval_label_, 0, 2);
  controls->addWidget(eval_, 0, 3);
  controls->addWidget(kind_label_, 0, 4);
  controls->addWidget(kind_, 0, 5);
  controls->addWidget(range_label_, 0, 6);
  controls->addWidget(range_, 0, 7);
  controls->addWidget(dd_label_, 1, 0);
  controls->addWidget(dd_, 1, 1);
  controls->addWidget(dta_label_, 1, 2);
  controls->addWidget(dta_, 1, 3);
  controls->addWidget(thr_label_, 1, 4);
  controls->addWidget(thr_, 1, 5);
  controls->addWidget(local_, 1, 6);
  controls->addWidget(compute_, 1, 7);

  auto* maps = new QVBoxLayout;
  for (auto p : {viz::Plane::DepthRow, viz::Plane::DepthCol, viz::Plane::Lateral}) {
    views_[int(p)] = new SliceViewer(model, p);
    views_[int(p)]->view()->setShowIsodose(false);
  }
  maps->addWidget(views_[int(viz::Plane::DepthRow)], 1);
  maps->addWidget(views_[int(viz::Plane::DepthCol)], 1);
  auto* bottom = new QHBoxLayout;
  bottom->addWidget(views_[int(viz::Plane::Lateral)], 1);
  hist_ = new QChart;
  hist_->legend()->hide();
  hist_view_ = new QChartView(hist_);
  hist_view_->setRenderHint(QPainter::Antialiasing);
  hist_view_->setMinimumWidth(320);
  bottom->addWidget(hist_view_, 2);
  maps->addLayout(bottom, 2);

  bar_ = new ColorBarWidget;
  auto* right = new QVBoxLayout;
  right->addWidget(stale_);
  right->addWidget(pass_);
  right->addWidget(bar_, 1);
  right->addWidget(stats_);
  auto* rw = new QWidget;
  rw->setLayout(right);
  rw->setMaximumWidth(220);

  auto* mid = new QHBoxLayout;
  mid->addLayout(maps, 1);
  mid->addWidget(rw);
  auto* lay = new QVBoxLayout(this);
  lay->setContentsMargins(2, 2, 2, 2);
  lay->addLayout(controls);
  lay->addLayout(mid, 1);

  connect(ref_, &QComboBox::activated, this,
          [this] { model_->setReference(ref_->currentData().toString()); });
  connect(eval_, &QComboBox::activated, this,
          [this] { model_->setEvaluated(eval_->currentData().toString()); });
  connect(model_, &CaseModel::stalenessChanged, this, [this] {
    refreshSelectors();
    updateStale();
  });
  connect(kind_, &QComboBox::currentIndexChanged, this, [this] { applyMap(); });
  connect(range_, &QDoubleSpinBox::valueChanged, this, [this] { applyMap(); });
  connect(compute_, &QPushButton::clicked, this, &ComparePanel::computeGamma);
  for (auto* s : {dd_, dta_, thr_})
    connect(s, &QDoubleSpinBox::editingFinished, this, &ComparePanel::computeGamma);
  connect(local_, &QCheckBox::toggled, this, &ComparePanel::computeGamma);
  connect(thr_, &QDoubleSpinBox::valueChanged, this, [this] { rebuildMaps(); });
  connect(model_, &CaseModel::dosesListChanged, this, &ComparePanel::refreshSelectors);
  connect(model_, &CaseModel::selectionChanged, this, [this] {
    refreshSelectors();
    updateStale();
    rebuildMaps();
  });
  connect(model_, &CaseModel::caseChanged, this, &ComparePanel::rebuildMaps);
  connect(model_, &CaseModel::doseChanged, this, [this](const QString& n) {
    if (n == model_->referenceName() || n == model_->evaluatedName()) rebuildMaps();
  });
  connect(model_, &CaseModel::gammaChanged, this, [this] {
    if (!model_->gamma()) updateHistogram(nullptr);
    applyMap();
  });
  connect(&watcher_, &QFutureWatcher<WorkerResult<physics::GammaResult>>::finished, this, [this] {
    const int gen = running_generation_;
    running_generation_ = -1;
    auto res = watcher_.result();
    if (gen != generation_) {  // inputs changed meanwhile: recompute
      if (mapKind() == MapKind::Gamma && isVisible()) computeGamma();
      return;
    }
    if (!res.ok()) {
      pass_->setText(res.cancelled ? tr("γ cancelled") : tr("γ failed: %1").arg(res.error));
      return;
    }
    physics::GammaResult& r = *res.value;
    Volume g = std::move(r.gamma);
    for (float& x : g.data)
      if (x < 0) x = std::numeric_limits<float>::quiet_NaN();
    model_->setGamma(std::move(g), currentGammaSettings(), r.pass_rate);
    last_gamma_ = std::move(r);
    showGammaResult();
    emit gammaFinished(last_gamma_->pass_rate);
  });
  retranslate();
  refreshSelectors();
  rebuildMaps();
}

GammaSettings ComparePanel::currentGammaSettings() const {
  GammaSettings s;
  s.dose_pct = dd_->value();
  s.dist_mm = dta_->value();
  s.threshold_pct = thr_->value();
  s.local = local_->isChecked();
  return s;
}

void ComparePanel::setMapKind(MapKind k) {
  kind_->setCurrentIndex(int(k));
}

void ComparePanel::refreshSelectors() {
  fill_dose_combo(ref_, model_, model_->referenceName());
  fill_dose_combo(eval_, model_, model_->evaluatedName());
}

void ComparePanel::updateStale() {
  QStringList notes;
  for (const QString& n : {model_->referenceName(), model_->evaluatedName()})
    if (model_->isStale(n) && !notes.contains(n))
      notes << tr("“%1” is %2").arg(n, model_->staleNote(n));
  stale_->setVisible(!notes.isEmpty());
  stale_->setText(notes.join(QLatin1Char('\n')));
}

void ComparePanel::rebuildMaps() {
  ++generation_;
  const Dose* r = model_->reference();
  const Dose* e = model_->evaluated();
  diff_ = Volume();
  rel_ = Volume();
  stats_diff_.reset();
  stats_error_.clear();
  if (r && e && r->volume.same_grid(e->volume)) {
    const double ref_max = model_->referenceMax();
    const double thr = thr_->value() / 100 * ref_max;
    diff_ = Volume(r->volume.slices, r->volume.rows, r->volume.cols);
    diff_.spacing_mm = r->volume.spacing_mm;
    rel_ = diff_;
    std::vector<float> relevant;  // |diff| where either dose is above the threshold
    for (size_t i = 0; i < diff_.size(); ++i) {
      const double a = r->volume.data[i], b = e->volume.data[i];
      diff_.data[i] = float((b - a) / ref_max * 100);
      if (std::max(a, b) >= thr) relevant.push_back(std::abs(diff_.data[i]));
      rel_.data[i] =
          a >= thr && a > 0 ? float((b - a) / a * 100) : std::numeric_limits<float>::quiet_NaN();
    }
    // Symmetric auto range: a 1/2/5 x 10^k ceiling of the 99th percentile of |diff| in the
    // dose region (single noisy MC voxels would otherwise wash the map out).
    double q = 0;
    if (!relevant.empty()) {
      const size_t k = size_t(0.99 * double(relevant.size() - 1));
      std::nth_element(relevant.begin(), relevant.begin() + k, relevant.end());
      q = relevant[k];
    }
    auto_range_ = 1.0;
    if (q > 0) {
      const double mag = std::pow(10.0, std::floor(std::log10(q)));
      for (double f : {1.0, 2.0, 5.0, 10.0})
        if (f * mag >= q) {
          auto_range_ = f * mag;
          break;
        }
    }
    try {
      stats_diff_ = physics::dose_difference(r->volume, e->volume);
    } catch (const std::exception& ex) {
      stats_error_ = QString::fromStdString(ex.what());
    }
  }
  showStatistics();
  if (!model_->gamma()) pass_->setText(tr("γ not computed"));
  applyMap();
}

void ComparePanel::applyMap() {
  const MapKind k = mapKind();
  range_->setEnabled(k != MapKind::Gamma);
  const double range =
      range_->value() > 0 ? range_->value() : (k == MapKind::Relative ? 10.0 : auto_range_);
  const Volume* map = nullptr;
  double lo = -range, hi = range;
  viz::ColorMap cmap = viz::ColorMap::Diverging;
  QString unit;
  switch (k) {
    case MapKind::Difference:
      map = diff_.data.empty() ? nullptr : &diff_;
      unit = tr("Δ [% of max]");
      break;
    case MapKind::Relative:
      map = rel_.data.empty() ? nullptr : &rel_;
      unit = tr("Δ/D [%]");
      break;
    case MapKind::Gamma:
      // gamma is computed only while the panel is visible (it would compete with timed runs)
      if (model_->gamma())
        map = model_->gamma();
      else if (isVisible() && !gammaRunning() && model_->reference() && model_->evaluated())
        computeGamma();
      lo = 0;
      hi = 2;
      cmap = viz::ColorMap::Turbo;
      unit = QStringLiteral("γ");
      break;
  }
  static const Volume empty_map;
  for (auto* v : views_) v->view()->setMap(map ? map : &empty_map, lo, hi, cmap);
  bar_->setRange(cmap, lo, hi, unit);
}

void ComparePanel::computeGamma() {
  const Dose* r = model_->reference();
  const Dose* e = model_->evaluated();
  if (!r || !e || r == e || !r->volume.same_grid(e->volume)) return;
  if (watcher_.isRunning()) {
    ++generation_;  // the running result is stale; recomputed when it ends
    return;
  }
  const physics::GammaOptions o = gamma_options(currentGammaSettings());
  running_generation_ = generation_;
  pass_->setText(tr("computing γ…"));
  Volume ref = r->volume, ev = e->volume;
  watcher_.setFuture(QtConcurrent::run([ref = std::move(ref), ev = std::move(ev), o] {
    return run_caught([&] { return physics::gamma_index(ref, ev, o); });
  }));
}

void ComparePanel::showGammaResult() {
  const physics::GammaResult* r = model_->gamma() && last_gamma_ ? &*last_gamma_ : nullptr;
  updateHistogram(r);
  if (!r) return;
  const GammaSettings gs = model_->gammaSettings();  // what this result was computed with
  const QString crit =
      (gs.local ? tr("%1 %/%2 mm local, threshold %3 % of reference max")
                : tr("%1 % of reference max/%2 mm, threshold %3 % of reference max"))
          .arg(gs.dose_pct)
          .arg(gs.dist_mm)
          .arg(gs.threshold_pct);
  // max_gamma is the search cap: a voxel at the cap may have a larger true gamma.
  const QString max_text = r->max_gamma >= physics::GammaDefaults::max_gamma - 1e-9
                               ? tr("γ capped at %1").arg(r->max_gamma, 0, 'f', 2)
                               : tr("max γ %1").arg(r->max_gamma, 0, 'f', 2);
  pass_->setText(tr("<b>γ pass rate %1 %</b><br>(%2 of %3 voxels; DoTA definition %4 %)<br>mean "
                    "γ %5, %6<br><small>%7</small>")
                     .arg(r->pass_rate, 0, 'f', 2)
                     .arg(r->passed)
                     .arg(r->evaluated)
                     .arg(r->pass_rate_dota, 0, 'f', 2)
                     .arg(r->mean_gamma, 0, 'f', 3)
                     .arg(max_text, crit.toHtmlEscaped()));
}

void ComparePanel::showStatistics() {
  if (!stats_diff_) {
    stats_->setText(stats_error_.isEmpty() ? tr("Select two doses to compare.") : stats_error_);
    return;
  }
  stats_->setText(tr("max |Δ| %1 % of ref. max\nmean |Δ| %2 %\nhigh-dose mean rel. %3 %")
                      .arg(stats_diff_->max_abs_percent, 0, 'f', 2)
                      .arg(stats_diff_->mean_abs_percent, 0, 'f', 3)
                      .arg(stats_diff_->high_dose_mean_rel_percent, 0, 'f', 2));
}

void ComparePanel::updateHistogram(const physics::GammaResult* r) {
  hist_->removeAllSeries();
  for (auto* a : hist_->axes()) {
    hist_->removeAxis(a);  // ownership returns to us
    delete a;
  }
  hist_->setTitle(tr("γ histogram"));
  if (!r || r->histogram.empty()) return;
  auto* set = new QBarSet(QStringLiteral("γ"));
  QStringList cats;
  long long mx = 1;
  for (size_t i = 0; i < r->histogram.size(); ++i) {
    *set << double(r->histogram[i]);
    mx = std::max(mx, r->histogram[i]);
    cats << QString::number((i + 0.5) * r->histogram_bin_width, 'f', 2);
    const double centre = (i + 0.5) * r->histogram_bin_width;
    Q_UNUSED(centre);
  }
  set->setColor(QColor(60, 120, 200));
  auto* series = new QBarSeries;
  series->append(set);
  series->setBarWidth(0.95);
  hist_->addSeries(series);
  auto* ax = new QBarCategoryAxis;
  ax->append(cats);
  ax->setTitleText(tr("γ (bin centre)"));
  auto* ay = new QValueAxis;
  ay->setRange(0, double(mx) * 1.05);
  ay->setLabelFormat(QStringLiteral("%d"));
  ay->setTitleText(tr("voxels"));
  hist_->addAxis(ax, Qt::AlignBottom);
  hist_->addAxis(ay, Qt::AlignLeft);
  series->attachAxis(ax);
  series->attachAxis(ay);
  QFont f = ax->labelsFont();
  f.setPointSizeF(std::max(6.0, f.pointSizeF() * 0.75));
  ax->setLabelsFont(f);
  ax->setLabelsAngle(-90);
}

void ComparePanel::retranslate() {
  ref_label_->setText(tr("Reference"));
  eval_label_->setText(tr("Evaluated"));
  kind_label_->setText(tr("Map"));
  range_label_->setText(tr("Range ±"));
  dd_label_->setText(tr("γ dose"));
  dta_label_->setText(tr("γ distance"));
  thr_label_->setText(tr("Threshold"));
  local_->setText(tr("Local γ"));
  dd_->setToolTip(
      tr("Dose-difference criterion: % of the reference maximum (global) or of the "
         "local reference dose (local γ)"));
  dta_->setToolTip(tr("Distance-to-agreement criterion in mm"));
  thr_->setToolTip(
      tr("Low-dose threshold: voxels below this % of the reference maximum are not "
         "evaluated (same default as dotakv compare and dotakv report)"));
  local_->setToolTip(tr("Local γ: the dose criterion is relative to the local reference dose"));
  compute_->setToolTip(tr("γ is searched up to %1 × the distance criterion and capped at %1")
                           .arg(physics::GammaDefaults::max_gamma, 0, 'f', 1));
  dd_->setSuffix(tr(" % of max"));
  thr_->setSuffix(tr(" % of max"));
  compute_->setText(tr("Compute γ"));
  kind_->setItemText(0, tr("Difference (% of reference max)"));
  kind_->setItemText(1, tr("Relative difference (% of local dose)"));
  kind_->setItemText(2, tr("γ index"));
  hist_->setTitle(tr("γ histogram"));
  showStatistics();
  if (model_->gamma())
    showGammaResult();
  else if (!gammaRunning())
    pass_->setText(tr("γ not computed"));
  applyMap();
}

void ComparePanel::showEvent(QShowEvent* e) {
  QWidget::showEvent(e);
  applyMap();
}

void ComparePanel::changeEvent(QEvent* e) {
  if (e->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(e);
}

}  // namespace dotakv::gui
