#include "slices_panel.hpp"

#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QRegularExpression>
#include <QSplitter>
#include <QVBoxLayout>

#include "count_text.hpp"
#include "dotakv/viz/contour.hpp"

namespace dotakv::gui {

namespace {
// Percent: "% of reference max"; Gy: per primary; GyAbsolute: for DisplaySettings::protons.
QString fmt_dose(double gy, double ref, const DisplaySettings& d) {
  if (d.unit == DoseUnit::Percent) return QStringLiteral("%1 %").arg(gy / ref * 100, 0, 'f', 2);
  return QStringLiteral("%1 Gy").arg(gy * dose_unit_scale(d), 0, 'g', 4);
}
int unit_index(DoseUnit u) {
  return u == DoseUnit::Percent ? 0 : u == DoseUnit::Gy ? 1 : 2;
}
}  // namespace

ReadoutWidget::ReadoutWidget(CaseModel* model, QWidget* parent) : QLabel(parent), model_(model) {
  setTextFormat(Qt::RichText);
  setAlignment(Qt::AlignTop | Qt::AlignLeft);
  setTextInteractionFlags(Qt::TextSelectableByMouse);
  for (auto sig : {&CaseModel::crosshairChanged, &CaseModel::caseChanged, &CaseModel::ctChanged,
                   &CaseModel::gammaChanged, &CaseModel::selectionChanged,
                   &CaseModel::displayChanged, &CaseModel::dosesListChanged})
    connect(model_, sig, this, &ReadoutWidget::refresh);
  connect(model_, &CaseModel::doseChanged, this, &ReadoutWidget::refresh);
  refresh();
}

void ReadoutWidget::refresh() {
  if (!model_->hasCase()) {
    setText(tr("No case loaded"));
    return;
  }
  const auto r = values();
  const double ref = model_->referenceMax();
  const DisplaySettings& unit = model_->display();
  QString s = QStringLiteral("<table cellspacing=2>");
  auto row = [&](const QString& k, const QString& v) {
    s += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
             .arg(k.toHtmlEscaped(), v.toHtmlEscaped());
  };
  row(tr("Voxel"),
      QStringLiteral("z %1, y %2, x %3").arg(r.voxel[0]).arg(r.voxel[1]).arg(r.voxel[2]));
  row(tr("Position"), tr("depth %1 mm, y %2 mm, x %3 mm")
                          .arg(r.mm[0], 0, 'f', 1)
                          .arg(r.mm[1], 0, 'f', 1)
                          .arg(r.mm[2], 0, 'f', 1));
  row(tr("HU"), QString::number(r.hu, 'f', 1));
  row(tr("RSP"), QString::number(r.rsp, 'f', 3));
  for (const auto& [name, v] : r.doses) {
    if (CaseModel::isUncertainty(name, model_->dose(name)) && unit.unit == DoseUnit::Percent)
      row(model_->doseLabel(name),
          fmt_dose(v, ref, DisplaySettings{.unit = DoseUnit::Gy}) + tr(" per primary"));
    else
      row(model_->doseLabel(name), fmt_dose(v, ref, unit));
  }
  if (r.difference) row(tr("Difference"), fmt_dose(*r.difference, ref, unit));
  row(tr("γ"), r.gamma ? QString::number(*r.gamma, 'f', 3) : tr("n/a"));
  s += QStringLiteral("</table>");
  setText(s);
}

void ReadoutWidget::changeEvent(QEvent* e) {
  if (e->type() == QEvent::LanguageChange) refresh();
  QLabel::changeEvent(e);
}

SlicesPanel::SlicesPanel(CaseModel* model, QWidget* parent) : QWidget(parent), model_(model) {
  auto* split = new QSplitter(Qt::Vertical);
  for (auto p : {viz::Plane::DepthRow, viz::Plane::DepthCol, viz::Plane::Lateral}) {
    viewers_[int(p)] = new SliceViewer(model, p);
  }
  split->addWidget(viewers_[int(viz::Plane::DepthRow)]);
  split->addWidget(viewers_[int(viz::Plane::DepthCol)]);
  auto* bottom = new QWidget;
  auto* bl = new QHBoxLayout(bottom);
  bl->setContentsMargins(0, 0, 0, 0);
  bl->addWidget(viewers_[int(viz::Plane::Lateral)], 1);
  readout_box_ = new QGroupBox;
  auto* rl = new QVBoxLayout(readout_box_);
  readout_ = new ReadoutWidget(model);
  rl->addWidget(readout_);
  rl->addStretch();
  bl->addWidget(readout_box_, 1);
  split->addWidget(bottom);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 1);
  split->setStretchFactor(2, 2);

  bar_ = new ColorBarWidget;
  display_box_ = new QGroupBox;
  form_ = new QFormLayout(display_box_);
  preset_ = new QComboBox;
  window_ = new QDoubleSpinBox;
  window_->setRange(1, 5000);
  level_ = new QDoubleSpinBox;
  level_->setRange(-1500, 3000);
  unit_ = new QComboBox;
  unit_->setObjectName(QStringLiteral("doseUnit"));
  protons_ = new QLineEdit;
  protons_->setObjectName(QStringLiteral("protons"));
  lo_ = new QDoubleSpinBox;
  hi_ = new QDoubleSpinBox;
  cut_ = new QDoubleSpinBox;
  for (auto* s : {lo_, hi_, cut_}) {
    s->setRange(0, 200);
    s->setSuffix(QStringLiteral(" %"));
  }
  opacity_ = new QSlider(Qt::Horizontal);
  opacity_->setRange(0, 100);
  levels_ = new QLineEdit;
  wash_ = new QCheckBox;
  iso_ = new QCheckBox;
  cross_ = new QCheckBox;
  form_->addRow(QStringLiteral("-"), preset_);
  form_->addRow(QStringLiteral("-"), window_);
  form_->addRow(QStringLiteral("-"), level_);
  form_->addRow(QStringLiteral("-"), unit_);
  form_->addRow(QStringLiteral("-"), protons_);
  form_->addRow(QStringLiteral("-"), lo_);
  form_->addRow(QStringLiteral("-"), hi_);
  form_->addRow(QStringLiteral("-"), cut_);
  form_->addRow(QStringLiteral("-"), opacity_);
  levels_label_ = new QLabel;
  form_->addRow(levels_label_);  // own rows: the whole list stays visible
  form_->addRow(levels_);
  for (auto* c : {preset_, unit_}) c->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  form_->addRow(wash_);
  form_->addRow(iso_);
  form_->addRow(cross_);

  auto* side = new QWidget;
  auto* sl = new QVBoxLayout(side);
  sl->setContentsMargins(0, 0, 0, 0);
  sl->addWidget(bar_, 1);
  legend_ = new QLabel;
  legend_->setObjectName(QStringLiteral("isodoseLegend"));
  legend_->setTextFormat(Qt::RichText);
  legend_->setWordWrap(true);
  sl->addWidget(legend_);
  sl->addWidget(display_box_);
  side->setMaximumWidth(340);

  auto* lay = new QHBoxLayout(this);
  lay->setContentsMargins(2, 2, 2, 2);
  lay->addWidget(split, 1);
  lay->addWidget(side);

  connect(preset_, &QComboBox::activated, this, [this](int i) {
    if (i <= 0) return;
    const auto& p = viz::window_presets()[i - 1];
    updating_ = true;
    window_->setValue(p.wl.window);
    level_->setValue(p.wl.level);
    updating_ = false;
    pushSettings();
  });
  for (auto* s : {window_, level_, lo_, hi_, cut_})
    connect(s, &QDoubleSpinBox::valueChanged, this, [this] { pushSettings(); });
  connect(unit_, &QComboBox::currentIndexChanged, this, [this] { pushSettings(); });
  connect(opacity_, &QSlider::valueChanged, this, [this] { pushSettings(); });
  connect(levels_, &QLineEdit::editingFinished, this, [this] { pushSettings(); });
  connect(protons_, &QLineEdit::editingFinished, this, [this] { pushSettings(); });
  for (auto* c : {wash_, iso_, cross_})
    connect(c, &QCheckBox::toggled, this, [this] { pushSettings(); });
  connect(model_, &CaseModel::displayChanged, this, [this] {
    pullSettings();
    updateColorBar();
  });
  connect(model_, &CaseModel::selectionChanged, this, &SlicesPanel::updateColorBar);
  connect(model_, &CaseModel::caseChanged, this, &SlicesPanel::updateColorBar);
  connect(model_, &CaseModel::doseChanged, this, &SlicesPanel::updateColorBar);
  retranslate();
  pullSettings();
  updateColorBar();
}

void SlicesPanel::pullSettings() {
  if (updating_) return;
  updating_ = true;
  const auto& d = model_->display();
  window_->setValue(d.window);
  level_->setValue(d.level);
  unit_->setCurrentIndex(unit_index(d.unit));
  protons_->setText(format_count_text(d.protons));
  protons_->setEnabled(d.unit == DoseUnit::GyAbsolute);
  lo_->setValue(d.wash_lo_pct);
  hi_->setValue(d.wash_hi_pct);
  cut_->setValue(d.cut_pct);
  opacity_->setValue(int(d.opacity * 100 + 0.5));
  QStringList l;
  for (double x : d.isodose_pct) l << QString::number(x);
  levels_->setText(l.join(QStringLiteral(", ")));
  wash_->setChecked(d.show_wash);
  iso_->setChecked(d.show_isodose);
  cross_->setChecked(d.show_crosshair);
  preset_->setCurrentIndex(0);
  for (size_t i = 0; i < viz::window_presets().size(); ++i) {
    const auto& p = viz::window_presets()[i];
    if (p.wl.window == d.window && p.wl.level == d.level) preset_->setCurrentIndex(int(i) + 1);
  }
  updating_ = false;
}

void SlicesPanel::pushSettings() {
  if (updating_) return;
  DisplaySettings d = model_->display();
  d.window = window_->value();
  d.level = level_->value();
  const int u = unit_->currentIndex();
  d.unit = u == 0 ? DoseUnit::Percent : u == 1 ? DoseUnit::Gy : DoseUnit::GyAbsolute;
  const auto n = parse_count_text(protons_->text());
  if (n && *n >= 1) {
    d.protons = *n;
    protons_->setStyleSheet(QString());
    protons_->setToolTip(protonsTip());
  } else {
    protons_->setStyleSheet(QStringLiteral("color:#c0392b;"));
    protons_->setToolTip(
        tr("“%1” is not a number of protons: enter e.g. 1e9, 2.5G or 500M").arg(protons_->text()));
  }
  d.wash_lo_pct = lo_->value();
  d.wash_hi_pct = std::max(hi_->value(), lo_->value() + 0.1);
  d.cut_pct = cut_->value();
  d.opacity = opacity_->value() / 100.0;
  std::vector<double> lv;
  for (const auto& s :
       levels_->text().split(QRegularExpression(QStringLiteral("[,; ]+")), Qt::SkipEmptyParts)) {
    bool ok = false;
    const double x = s.toDouble(&ok);
    if (ok && x > 0 && x < 1000) lv.push_back(x);
  }
  if (!lv.empty()) d.isodose_pct = lv;
  d.show_wash = wash_->isChecked();
  d.show_isodose = iso_->isChecked();
  d.show_crosshair = cross_->isChecked();
  model_->setDisplay(d);
}

void SlicesPanel::updateColorBar() {
  const auto& d = model_->display();
  QString html =
      tr("Isodose lines (%1 solid, %2 dashed):")
          .arg(model_->evaluatedName().toHtmlEscaped(), model_->referenceName().toHtmlEscaped());
  for (double p : d.isodose_pct)
    html += QStringLiteral(" <span style='color:%1'>&#9632;</span>&nbsp;%2&nbsp;%")
                .arg(viz::isodose_color(p).name())
                .arg(p, 0, 'g', 3);
  legend_->setText(html);
  if (d.unit == DoseUnit::Percent)
    bar_->setRange(viz::ColorMap::Jet, d.wash_lo_pct, d.wash_hi_pct,
                   tr("Dose [% of reference max]"));
  else {
    const double m = model_->referenceMax();
    const double k = dose_unit_scale(d);
    bar_->setRange(viz::ColorMap::Jet, d.wash_lo_pct / 100 * m * k, d.wash_hi_pct / 100 * m * k,
                   tr("Dose [%1]").arg(dose_unit_label(d)));
  }
}

void SlicesPanel::retranslate() {
  display_box_->setTitle(tr("Display"));
  readout_box_->setTitle(tr("Read-out at the crosshair"));
  {
    QSignalBlocker b(preset_);
    const int cur = preset_->currentIndex();
    preset_->clear();
    preset_->addItem(tr("Custom"));
    // same order as viz::window_presets()
    preset_->addItems({tr("Soft tissue"), tr("Lung"), tr("Bone"), tr("Brain"), tr("Full range")});
    preset_->setCurrentIndex(std::max(cur, 0));
  }
  {
    QSignalBlocker b(unit_);
    const int cur = unit_->currentIndex();
    unit_->clear();
    unit_->addItems({tr("% of reference max"), tr("Gy per primary"), tr("Gy for N protons")});
    unit_->setCurrentIndex(std::max(cur, 0));
  }
  const QStringList labels{tr("CT preset"), tr("Window [HU]"),  tr("Level [HU]"),
                           tr("Dose unit"), tr("Protons (N)"),  tr("Wash from"),
                           tr("Wash to"),   tr("Low-dose cut"), tr("Opacity")};
  levels_label_->setText(tr("Isodose levels [%]"));
  window_->setToolTip(tr("CT window width; right-drag in a slice view: left-right"));
  level_->setToolTip(tr("CT window centre; right-drag in a slice view: up-down"));
  for (int i = 0; i < labels.size(); ++i)
    if (auto* item = form_->itemAt(i, QFormLayout::LabelRole))
      if (auto* l = qobject_cast<QLabel*>(item->widget())) l->setText(labels[i]);
  wash_->setText(tr("Dose colour wash"));
  iso_->setText(tr("Isodose lines (reference dashed)"));
  cross_->setText(tr("Crosshair"));
  levels_->setToolTip(tr("Comma-separated levels in % of the reference maximum"));
  unit_->setToolTip(
      tr("Engines compute Gy per primary proton; “Gy for N protons” shows dose × N "
         "(e.g. N = protons per MU × MU)"));
  protons_->setToolTip(protonsTip());
  updateColorBar();
}

QString SlicesPanel::protonsTip() const {
  return tr("Number of protons N for the absolute dose (dose × N); k, M, G suffixes accepted");
}

void SlicesPanel::changeEvent(QEvent* e) {
  if (e->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(e);
}

}  // namespace dotakv::gui
