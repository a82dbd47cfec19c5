#include "reference_panel.hpp"

#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QPointer>
#include <QSettings>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <cmath>

#include "count_text.hpp"
#include "dotakv/error.hpp"
#include "dotakv/mc.hpp"
#include "dotakv/pba.hpp"

namespace dotakv::gui {

std::optional<long long> parse_primaries(const QString& text, QString* error) {
  const auto v = parse_count_text(text);
  if (!v) {
    if (error)
      *error = ReferencePanel::tr(
                   "“%1” is not a number of primaries: enter e.g. 200000, 200k or "
                   "1.5M.")
                   .arg(text.trimmed());
    return std::nullopt;
  }
  if (std::abs(*v - std::round(*v)) > 1e-6 || *v < 1 || *v > 1e10) {
    if (error)
      *error = ReferencePanel::tr("Primaries must be a whole number from 1 to 10^10, found “%1”.")
                   .arg(text.trimmed());
    return std::nullopt;
  }
  return static_cast<long long>(std::llround(*v));
}

ReferencePanel::ReferencePanel(CaseModel* model, QWidget* parent) : QWidget(parent), model_(model) {
  QSettings s;
  engine_ = new QComboBox;
  engine_->addItems({QString(), QString()});
  primaries_ = new QLineEdit(
      s.value(QStringLiteral("reference/primaries"), QStringLiteral("100k")).toString());
  primaries_->setObjectName(QStringLiteral("primaries"));
  seed_ = new QSpinBox;
  seed_->setRange(1, 1 << 30);
  seed_->setValue(s.value(QStringLiteral("reference/seed"), 1).toInt());
  sigma_ = new QDoubleSpinBox;
  sigma_->setRange(0, 20);
  sigma_->setValue(s.value(QStringLiteral("reference/sigmaMm"), 3.0).toDouble());
  sigma_->setSuffix(QStringLiteral(" mm"));
  run_ = new QPushButton;
  stop_ = new QPushButton;
  stop_->setEnabled(false);
  bar_ = new QProgressBar;
  bar_->setRange(0, 1000);
  status_ = new QLabel;
  status_->setWordWrap(true);
  stale_ = new QLabel;
  stale_->setWordWrap(true);
  stale_->setStyleSheet(QStringLiteral("color:#c0392b;"));
  recompute_stale_ = new QPushButton;
  form_ = new QFormLayout;
  for (QWidget* w : std::initializer_list<QWidget*>{engine_, primaries_, seed_, sigma_})
    form_->addRow(QStringLiteral("-"), w);
  auto* b = new QHBoxLayout;
  b->addWidget(run_);
  b->addWidget(stop_);
  auto* lay = new QVBoxLayout(this);
  lay->addLayout(form_);
  lay->addLayout(b);
  lay->addWidget(bar_);
  lay->addWidget(status_);
  lay->addWidget(stale_);
  lay->addWidget(recompute_stale_);
  lay->addStretch();
  connect(engine_, &QComboBox::currentIndexChanged, this, [this](int i) {
    primaries_->setEnabled(i == 0);
    seed_->setEnabled(i == 0);
  });
  engine_->setCurrentIndex(s.value(QStringLiteral("reference/engine"), 0).toInt() == 1 ? 1 : 0);
  connect(run_, &QPushButton::clicked, this, &ReferencePanel::start);
  connect(primaries_, &QLineEdit::returnPressed, this, &ReferencePanel::start);
  connect(stop_, &QPushButton::clicked, this, &ReferencePanel::cancel);
  connect(recompute_stale_, &QPushButton::clicked, this, &ReferencePanel::recomputeStale);
  connect(model_, &CaseModel::stalenessChanged, this, &ReferencePanel::updateStale);
  connect(model_, &CaseModel::caseChanged, this, [this] {
    if (watcher_.isRunning()) return;  // its outcome still belongs to the user
    status_->clear();
    bar_->setValue(0);
  });
  connect(&watcher_, &QFutureWatcher<WorkerResult<Output>>::finished, this, [this] {
    run_->setEnabled(true);
    stop_->setEnabled(false);
    auto r = watcher_.result();
    if (r.cancelled) {
      bar_->setValue(0);
      status_->setText(tr("Cancelled."));
    } else if (!r.ok()) {
      bar_->setValue(0);
      status_->setText(tr("Failed: %1").arg(r.error));
      emit failed(r.error);
    } else {
      const QString name = running_mc_ ? QStringLiteral("mc") : QStringLiteral("pba");
      try {
        model_->setDose(name, std::move(r.value->dose), std::move(r.value->uncertainty),
                        running_ct_);
      } catch (const std::exception& e) {  // the case changed grid meanwhile
        status_->setText(tr("Failed: %1").arg(QString::fromStdString(e.what())));
        emit failed(QString::fromStdString(e.what()));
        return;
      }
      bar_->setValue(1000);
      status_->setText(model_->isStale(name)
                           ? tr("Added dose “%1” (%2).").arg(name, model_->staleNote(name))
                           : tr("Added dose “%1”.").arg(name));
      emit done(name);
    }
    updateStale();
  });
  retranslate();
}

ReferencePanel::~ReferencePanel() {
  QSettings s;
  s.setValue(QStringLiteral("reference/engine"), engine_->currentIndex());
  s.setValue(QStringLiteral("reference/primaries"), primaries_->text());
  s.setValue(QStringLiteral("reference/seed"), seed_->value());
  s.setValue(QStringLiteral("reference/sigmaMm"), sigma_->value());
  cancel();
  watcher_.waitForFinished();
}

void ReferencePanel::setEngine(bool monte_carlo) {
  engine_->setCurrentIndex(monte_carlo ? 0 : 1);
}

bool ReferencePanel::start() {
  if (!model_->hasCase() || watcher_.isRunning()) return false;
  const bool mc = engine_->currentIndex() == 0;
  long long primaries = 0;
  if (mc) {
    QString err;
    const auto n = parse_primaries(primaries_->text(), &err);
    if (!n) {
      status_->setText(err);
      return false;
    }
    primaries = *n;
  }
  progress_ = std::make_shared<Progress>(
      [bar = QPointer<QProgressBar>(bar_)](double done, double total, const std::string&) {
        const int v = total > 0 ? int(1000 * done / total) : 0;
        QMetaObject::invokeMethod(
            bar,
            [bar, v] {
              if (bar) bar->setValue(v);
            },
            Qt::QueuedConnection);
      });
  const Volume ct = model_->ct();
  const double energy = model_->energy();
  const auto seed = uint64_t(seed_->value());
  const double sigma = sigma_->value();
  auto prog = progress_;
  running_mc_ = mc;
  running_ct_ = model_->ctFingerprint();
  run_->setEnabled(false);
  stop_->setEnabled(true);
  bar_->setValue(0);
  status_->setText(mc ? tr("Monte Carlo running (%L1 primaries)…").arg(primaries)
                      : tr("Pencil beam running…"));
  watcher_.setFuture(QtConcurrent::run([=] {
    return run_caught([&] {
      Output out;
      if (mc) {
        physics::McOptions o;
        o.energy_mev = energy;
        o.primaries = primaries;
        o.seed = seed;
        o.spot_sigma_mm = sigma;
        auto r = physics::run_mc(ct, o, prog.get());
        out.dose.volume = std::move(r.dose);
        out.dose.attributes = {
            {"engine", "mc"},       {"primaries", primaries},
            {"seed", seed},         {"spot_sigma_mm", sigma},
            {"seconds", r.seconds}, {"max_dose_rel_uncertainty", r.max_dose_rel_uncertainty}};
        out.uncertainty = Dose{std::move(r.uncertainty),
                               {{"engine", "mc"},
                                {"quantity", "standard_error"},
                                {"of", "mc"},
                                {"primaries", primaries},
                                {"seed", seed}}};
      } else {
        physics::PbaOptions o;
        o.energy_mev = energy;
        o.spot_sigma_mm = sigma;
        out.dose.volume = physics::run_pba(ct, o);
        out.dose.attributes = {{"engine", "pba"}, {"spot_sigma_mm", sigma}};
      }
      return out;
    });
  }));
  return true;
}

void ReferencePanel::cancel() {
  if (progress_) progress_->cancel();
}

void ReferencePanel::updateStale() {
  QStringList notes;
  QString target;
  for (const QString& n : model_->staleDoses()) {
    if (CaseModel::isUncertainty(n, model_->dose(n))) continue;
    notes << QStringLiteral("“%1”: %2").arg(n, model_->staleNote(n));
    if (target.isEmpty() && (n == QLatin1String("mc") || n == QLatin1String("pba"))) target = n;
  }
  stale_->setVisible(!notes.isEmpty());
  stale_->setText(notes.join(QLatin1Char('\n')));
  recompute_stale_->setVisible(!target.isEmpty());
  recompute_stale_->setEnabled(!watcher_.isRunning());
  recompute_stale_->setProperty("target", target);
  recompute_stale_->setText(tr("Recompute “%1” on the current CT").arg(target));
}

void ReferencePanel::recomputeStale() {
  const QString target = recompute_stale_->property("target").toString();
  const Dose* d = model_->dose(target);
  if (!d) return;
  const bool mc = target == QLatin1String("mc");
  setEngine(mc);
  const auto& a = d->attributes;
  if (a.is_object()) {  // the same settings as the stale dose where it recorded them
    if (mc && a.contains("primaries") && a["primaries"].is_number_integer())
      primaries_->setText(QString::number(a["primaries"].get<long long>()));
    if (mc && a.contains("seed") && a["seed"].is_number_integer())
      seed_->setValue(int(a["seed"].get<long long>()));
    if (a.contains("spot_sigma_mm") && a["spot_sigma_mm"].is_number())
      sigma_->setValue(a["spot_sigma_mm"].get<double>());
  }
  start();
}

void ReferencePanel::retranslate() {
  engine_->setItemText(0, tr("Monte Carlo"));
  engine_->setItemText(1, tr("Pencil beam (analytic)"));
  const QStringList labels{tr("Engine"), tr("Primaries"), tr("Seed"), tr("Spot σ")};
  for (int i = 0; i < labels.size(); ++i)
    if (auto* item = form_->itemAt(i, QFormLayout::LabelRole))
      if (auto* l = qobject_cast<QLabel*>(item->widget())) l->setText(labels[i]);
  primaries_->setToolTip(
      tr("Number of primary protons; k and M suffixes accepted (200k = 200000, 1.5M = 1500000)"));
  primaries_->setPlaceholderText(tr("e.g. 200k"));
  run_->setText(tr("Compute"));
  stop_->setText(tr("Cancel"));
  updateStale();
}

void ReferencePanel::changeEvent(QEvent* e) {
  if (e->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(e);
}

}  // namespace dotakv::gui
