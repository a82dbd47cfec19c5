#include "reference_panel.hpp"

#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QPointer>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "dotakv/error.hpp"
#include "dotakv/mc.hpp"
#include "dotakv/pba.hpp"

namespace dotakv::gui {

ReferencePanel::ReferencePanel(CaseModel* model, QWidget* parent) : QWidget(parent), model_(model) {
  engine_ = new QComboBox;
  engine_->addItems({QString(), QString()});
  primaries_k_ = new QSpinBox;
  primaries_k_->setRange(1, 100000);
  primaries_k_->setValue(100);
  primaries_k_->setSuffix(QStringLiteral(" k"));
  seed_ = new QSpinBox;
  seed_->setRange(1, 1 << 30);
  seed_->setValue(1);
  sigma_ = new QDoubleSpinBox;
  sigma_->setRange(0, 20);
  sigma_->setValue(3.0);
  sigma_->setSuffix(QStringLiteral(" mm"));
  run_ = new QPushButton;
  stop_ = new QPushButton;
  stop_->setEnabled(false);
  bar_ = new QProgressBar;
  bar_->setRange(0, 1000);
  status_ = new QLabel;
  status_->setWordWrap(true);
  form_ = new QFormLayout;
  for (QWidget* w : std::initializer_list<QWidget*>{engine_, primaries_k_, seed_, sigma_})
    form_->addRow(QStringLiteral("-"), w);
  auto* b = new QHBoxLayout;
  b->addWidget(run_);
  b->addWidget(stop_);
  auto* lay = new QVBoxLayout(this);
  lay->addLayout(form_);
  lay->addLayout(b);
  lay->addWidget(bar_);
  lay->addWidget(status_);
  lay->addStretch();
  connect(engine_, &QComboBox::currentIndexChanged, this, [this](int i) {
    primaries_k_->setEnabled(i == 0);
    seed_->setEnabled(i == 0);
  });
  connect(run_, &QPushButton::clicked, this, &ReferencePanel::start);
  connect(stop_, &QPushButton::clicked, this, &ReferencePanel::cancel);
  connect(&watcher_, &QFutureWatcher<Dose>::finished, this, [this] {
    run_->setEnabled(true);
    stop_->setEnabled(false);
    const bool mc = engine_->currentIndex() == 0;
    try {
      Dose d = watcher_.result();
      const QString name = mc ? QStringLiteral("mc") : QStringLiteral("pba");
      model_->setDose(name, std::move(d));
      bar_->setValue(1000);
      status_->setText(tr("Added dose “%1”.").arg(name));
      emit done(name);
    } catch (const Cancelled&) {
      bar_->setValue(0);
      status_->setText(tr("Cancelled."));
    } catch (const std::exception& e) {
      status_->setText(tr("Failed."));
      emit failed(QString::fromStdString(e.what()));
    }
  });
  retranslate();
}

void ReferencePanel::start() {
  if (!model_->hasCase() || watcher_.isRunning()) return;
  const bool mc = engine_->currentIndex() == 0;
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
  const long long primaries = primaries_k_->value() * 1000LL;
  const auto seed = uint64_t(seed_->value());
  const double sigma = sigma_->value();
  auto prog = progress_;
  run_->setEnabled(false);
  stop_->setEnabled(true);
  bar_->setValue(0);
  status_->setText(mc ? tr("Monte Carlo running…") : tr("Pencil beam running…"));
  watcher_.setFuture(QtConcurrent::run([=]() -> Dose {
    Dose d;
    if (mc) {
      physics::McOptions o;
      o.energy_mev = energy;
      o.primaries = primaries;
      o.seed = seed;
      o.spot_sigma_mm = sigma;
      auto r = physics::run_mc(ct, o, prog.get());
      d.volume = std::move(r.dose);
      d.attributes = {{"engine", "mc"},
                      {"primaries", primaries},
                      {"seed", seed},
                      {"seconds", r.seconds},
                      {"max_dose_rel_uncertainty", r.max_dose_rel_uncertainty}};
    } else {
      physics::PbaOptions o;
      o.energy_mev = energy;
      o.spot_sigma_mm = sigma;
      d.volume = physics::run_pba(ct, o);
      d.attributes = {{"engine", "pba"}};
    }
    return d;
  }));
}

void ReferencePanel::cancel() {
  if (progress_) progress_->cancel();
}

void ReferencePanel::retranslate() {
  engine_->setItemText(0, tr("Monte Carlo"));
  engine_->setItemText(1, tr("Pencil beam (analytic)"));
  const QStringList labels{tr("Engine"), tr("Primaries"), tr("Seed"), tr("Spot σ")};
  for (int i = 0; i < labels.size(); ++i)
    if (auto* item = form_->itemAt(i, QFormLayout::LabelRole))
      if (auto* l = qobject_cast<QLabel*>(item->widget())) l->setText(labels[i]);
  run_->setText(tr("Compute"));
  stop_->setText(tr("Cancel"));
}

void ReferencePanel::changeEvent(QEvent* e) {
  if (e->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(e);
}

}  // namespace dotakv::gui
