// Studio defects of issue 15 §3-§5, each checked through the real widgets:
//   errors open the window's (non-blocking) dialog with core's message and the status bar keeps
//   it; cancelling a Monte Carlo run says "Cancelled." (not "Failed."/"std::exception") while a
//   real MC error keeps its message; a case on another grid says what works and drops the old
//   timings; doses computed before a CT edit are marked stale and can be recomputed; a new MC
//   replaces its "_stderr" partner; Gy per primary vs Gy for N protons; primaries with k/M
//   suffixes; the Compare tab's gamma defaults are core's; KV-cache storage vs compute
//   precision; the timing badge shows medians of kTimingRuns runs with an interval and stays
//   visible after an edit at the default width. Runs under xvfb-run.
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QToolBar>
#include <QtTest>
#include <fstream>

#include "compare_panel.hpp"
#include "dotakv/case_file.hpp"
#include "dotakv/gamma.hpp"
#include "dotakv/pba.hpp"
#include "dotakv/phantom.hpp"
#include "edit_panel.hpp"
#include "main_window.hpp"
#include "reference_panel.hpp"
#include "slices_panel.hpp"
#include "vtk_view.hpp"

using namespace dotakv;
using namespace dotakv::gui;

namespace {
Case slab_case(int slices = 150, int rows = 24, int cols = 24, double energy = 120.0) {
  Case c;
  c.ct = physics::make_slab_phantom(slices, rows, cols, 2.0, 60.0, 20.0, 1200.f);
  c.energy_mev = energy;
  physics::PbaOptions o;
  o.energy_mev = std::min(energy, 250.0);
  c.doses.emplace("pba", Dose{physics::run_pba(c.ct, o), {{"engine", "pba"}}});
  return c;
}
bool wait_for(const std::function<bool()>& done, int ms = 120000) {
  QElapsedTimer t;
  t.start();
  while (!done() && t.elapsed() < ms) QTest::qWait(20);
  return done();
}
QMessageBox* error_dialog(MainWindow* w) {
  for (auto* b : w->findChildren<QMessageBox*>(QStringLiteral("errorDialog")))
    if (b->isVisible()) return b;
  return nullptr;
}
// With DOTAKV_TEST_SCREENSHOTS=DIR set, saves the window (for looking at the states tested).
void save_shot(QWidget* w, const char* name) {
  const QString dir = qEnvironmentVariable("DOTAKV_TEST_SCREENSHOTS");
  if (dir.isEmpty()) return;
  QTest::qWait(100);
  w->grab().save(QDir(dir).filePath(QString::fromLatin1(name) + QStringLiteral(".png")));
}
void close_dialogs(MainWindow* w) {
  for (auto* b : w->findChildren<QMessageBox*>(QStringLiteral("errorDialog"))) b->done(0);
  QCoreApplication::processEvents();
}
}  // namespace

class TestStudioDefects : public QObject {
  Q_OBJECT
  std::unique_ptr<MainWindow> w_;

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("dotakv-test"));
    QCoreApplication::setApplicationName(QStringLiteral("studio-defects-test"));
    QSettings().clear();
    w_ = std::make_unique<MainWindow>();  // default error sink: the dialog
    w_->resize(1400, 900);
    w_->show();
    QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
    w_->setCase(slab_case(), QString(), QStringLiteral("slab"));
    QVERIFY(w_->waitIdle(120000));
  }

  void failedOpenShowsDialogWithCoresMessage() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad_case.h5"));
    std::ofstream(path.toStdString()) << "this is not an HDF5 file\n";
    QVERIFY(!w_->openFile(path, 0));
    QMessageBox* box = nullptr;
    QVERIFY(wait_for([&] { return (box = error_dialog(w_.get())) != nullptr; }, 5000));
    QVERIFY2(box->text().contains(QStringLiteral("bad_case.h5")), qPrintable(box->text()));
    QVERIFY(box->windowTitle().contains(QStringLiteral("bad_case.h5")));
    QVERIFY(!box->isModal() || box->windowModality() == Qt::WindowModal);  // did not block us
    // The status bar keeps it, even after other messages and after the dialog is closed.
    const QString kept = w_->lastError();
    QVERIFY2(kept.contains(box->text().left(20)), qPrintable(kept));
    close_dialogs(w_.get());
    w_->statusBar()->showMessage(QStringLiteral("something else"), 10);
    QTest::qWait(50);
    QCOMPARE(w_->lastError(), kept);
    // A successful open clears it.
    const QString good = dir.filePath(QStringLiteral("good.h5"));
    save_case(w_->caseModel()->data(), good.toStdString());
    QVERIFY(w_->openFile(good, 0));
    QVERIFY(w_->lastError().isEmpty());
    QVERIFY(w_->waitIdle(120000));
  }

  void errorBeforeShowAppearsOnceShown() {
    // `dotakv-studio --open bad.h5`: the error happens before the window exists on screen.
    MainWindow w;
    QVERIFY(!w.openFile(QStringLiteral("/nonexistent/missing_case.h5"), 0));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QMessageBox* box = nullptr;
    QVERIFY(wait_for([&] { return (box = error_dialog(&w)) != nullptr; }, 5000));
    QVERIFY2(box->text().contains(QStringLiteral("missing_case.h5")), qPrintable(box->text()));
    QVERIFY(w.lastError().contains(QStringLiteral("missing_case.h5")));
    close_dialogs(&w);
  }

  void primariesAcceptSuffixes() {
    QCOMPARE(parse_primaries(QStringLiteral("20000")).value_or(0), 20000LL);
    QCOMPARE(parse_primaries(QStringLiteral("200k")).value_or(0), 200000LL);
    QCOMPARE(parse_primaries(QStringLiteral("1.5M")).value_or(0), 1500000LL);
    QCOMPARE(parse_primaries(QStringLiteral(" 2e5 ")).value_or(0), 200000LL);
    QString err;
    QVERIFY(!parse_primaries(QStringLiteral("lots"), &err));
    QVERIFY2(err.contains(QStringLiteral("lots")) && err.contains(QStringLiteral("200k")),
             qPrintable(err));
    QVERIFY(!parse_primaries(QStringLiteral("0"), &err));
    QVERIFY(!parse_primaries(QStringLiteral("1.5"), &err));
    // Invalid text in the panel: nothing starts, the status line says why.
    ReferencePanel* p = w_->referencePanel();
    p->setEngine(true);
    p->primariesEdit()->setText(QStringLiteral("12 apples"));
    QVERIFY(!p->start());
    QVERIFY(!p->running());
    QVERIFY(p->statusLabel()->text().contains(QStringLiteral("12 apples")));
  }

  void cancellingMonteCarloSaysCancelled() {
    ReferencePanel* p = w_->referencePanel();
    QSignalSpy failed(p, &ReferencePanel::failed);
    p->setEngine(true);
    p->primariesEdit()->setText(QStringLiteral("50M"));
    QVERIFY(p->start());
    QVERIFY(p->statusLabel()->text().contains(QStringLiteral("50,000,000")) ||
            p->statusLabel()->text().contains(QStringLiteral("50000000")));
    QTest::qWait(300);
    p->cancel();
    QVERIFY(wait_for([&] { return !p->running(); }, 60000));
    QTest::qWait(50);
    QCOMPARE(p->statusLabel()->text(), QStringLiteral("Cancelled."));
    QCOMPARE(failed.count(), 0);
    QVERIFY(!error_dialog(w_.get()));
    QVERIFY(!w_->caseModel()->dose(QStringLiteral("mc")));
  }

  void monteCarloErrorKeepsItsMessage() {
    // 400 MeV is outside the MC's range: core's ValueError must reach the user verbatim.
    Case c = slab_case(10, 7, 5, 400.0);
    w_->setCase(std::move(c), QString(), QStringLiteral("too energetic"));
    ReferencePanel* p = w_->referencePanel();
    QSignalSpy failed(p, &ReferencePanel::failed);
    p->primariesEdit()->setText(QStringLiteral("1k"));
    QVERIFY(p->start());
    QVERIFY(wait_for([&] { return !p->running(); }));
    QTest::qWait(50);
    QCOMPARE(failed.count(), 1);
    const QString msg = failed.front().front().toString();
    QVERIFY2(msg.contains(QStringLiteral("energy")), qPrintable(msg));
    QVERIFY(!msg.contains(QStringLiteral("std::exception")));
    QVERIFY(p->statusLabel()->text().contains(msg));
    QMessageBox* box = nullptr;
    QVERIFY(wait_for([&] { return (box = error_dialog(w_.get())) != nullptr; }, 5000));
    QVERIFY(box->text().contains(msg));
    save_shot(box, "mc_error_dialog");
    close_dialogs(w_.get());
    save_shot(w_.get(), "mc_error_window");
  }

  void otherGridSaysWhatWorksAndDropsOldTimings() {
    w_->setCase(slab_case(), QString(), QStringLiteral("slab"));
    QVERIFY(w_->waitIdle(120000));
    QVERIFY(w_->engine()->lastReport().has_value());
    QVERIFY(w_->timingBadge()->text().contains(QStringLiteral("median")));
    w_->setCase(slab_case(10, 7, 5), QString(), QStringLiteral("small"));
    QVERIFY(w_->waitIdle(120000));
    QVERIFY(!w_->engine()->lastReport().has_value());
    const QString badge = w_->timingBadge()->text();
    QVERIFY2(
        badge.contains(QStringLiteral("150×24×24")) && badge.contains(QStringLiteral("10×7×5")),
        qPrintable(badge));
    QVERIFY(badge.contains(QStringLiteral("MC, PBA")));
    QVERIFY(!badge.contains(QStringLiteral("median")));
    QVERIFY(w_->gridNote().contains(QStringLiteral("cannot be computed")));
    QVERIFY(!w_->findChild<QAction*>(QStringLiteral("recompute"))->isEnabled());
    QVERIFY(!w_->caseModel()->dose(QStringLiteral("model")));
    save_shot(w_.get(), "other_grid");
  }

  void newMonteCarloReplacesItsUncertainty() {
    Case c = slab_case();
    Dose old_err{Volume(150, 24, 24, 7.f), {{"quantity", "standard_error"}}};
    old_err.volume.spacing_mm = c.ct.spacing_mm;
    c.doses.emplace("mc", c.doses.at("pba"));
    c.doses.emplace("mc_stderr", old_err);
    w_->setCase(std::move(c), QString(), QStringLiteral("with stderr"));
    QVERIFY(w_->waitIdle(120000));
    ReferencePanel* p = w_->referencePanel();
    p->setEngine(true);
    p->primariesEdit()->setText(QStringLiteral("2k"));
    QVERIFY(p->start());
    QVERIFY(wait_for([&] { return !p->running(); }));
    QTest::qWait(50);
    CaseModel* m = w_->caseModel();
    const Dose* mc = m->dose(QStringLiteral("mc"));
    const Dose* err = m->dose(QStringLiteral("mc_stderr"));
    QVERIFY(mc && err);
    QCOMPARE(mc->attributes["primaries"].get<long long>(), 2000LL);
    QCOMPARE(err->attributes["primaries"].get<long long>(), 2000LL);
    QVERIFY(std::none_of(err->volume.data.begin(), err->volume.data.end(),
                         [](float x) { return x == 7.f; }));
    // A dose set without an uncertainty drops the old partner.
    m->setDose(QStringLiteral("mc"), *m->dose(QStringLiteral("pba")));
    QVERIFY(!m->dose(QStringLiteral("mc_stderr")));
  }

  void dosesOfAnEarlierCtAreStale() {
    w_->setCase(slab_case(), QString(), QStringLiteral("slab"));
    QVERIFY(w_->waitIdle(120000));
    CaseModel* m = w_->caseModel();
    QVERIFY(m->staleDoses().isEmpty());
    ShapeEdit s;
    s.kind = ShapeEdit::Block;
    s.hu = -750;
    s.depth_mm = 100;
    s.size_mm = 20;
    s.width_mm = 48;
    w_->editPanel()->setShape(s);
    QVERIFY(w_->editPanel()->insertShape());
    QVERIFY(w_->waitIdle(120000));
    // pba was computed on the CT before the edit; the model dose follows the edit.
    QVERIFY(m->isStale(QStringLiteral("pba")));
    QVERIFY(!m->isStale(QStringLiteral("model")));
    QCOMPARE(m->staleNote(QStringLiteral("pba")),
             QStringLiteral("stale: computed on the CT before edit 1"));
    m->setReference(QStringLiteral("pba"));
    w_->tabs()->setCurrentIndex(MainWindow::CompareTab);
    QVERIFY(w_->waitIdle(120000));
    QVERIFY2(w_->comparePanel()->staleText().contains(QStringLiteral("before edit 1")),
             qPrintable(w_->comparePanel()->staleText()));
    bool labelled = false;
    for (auto* box : w_->findChildren<QComboBox*>())
      for (int i = 0; i < box->count(); ++i)
        labelled |= box->itemText(i) == QStringLiteral("pba (stale)") &&
                    box->itemData(i).toString() == QStringLiteral("pba");
    QVERIFY(labelled);
    save_shot(w_.get(), "stale_compare");
    // Offer to recompute; the new dose is fresh.
    ReferencePanel* p = w_->referencePanel();
    QVERIFY(p->recomputeStaleButton()->isVisibleTo(p));
    QVERIFY(p->recomputeStaleButton()->text().contains(QStringLiteral("pba")));
    p->recomputeStaleButton()->click();
    QVERIFY(wait_for([&] { return !p->running(); }));
    QVERIFY(w_->waitIdle(120000));
    QVERIFY(!m->isStale(QStringLiteral("pba")));
    QVERIFY(w_->comparePanel()->staleText().isEmpty());
    QVERIFY(!p->recomputeStaleButton()->isVisibleTo(p));
    // Undo: the recomputed pba belongs to the edited CT, so it is stale on the original one.
    w_->undoStack()->undo();
    QVERIFY(w_->waitIdle(120000));
    QVERIFY(m->isStale(QStringLiteral("pba")));
    w_->undoStack()->redo();
    QVERIFY(w_->waitIdle(120000));
    QVERIFY(!m->isStale(QStringLiteral("pba")));
    w_->tabs()->setCurrentIndex(MainWindow::SlicesTab);
  }

  void stalenessSurvivesSaveAndReopen() {
    CaseModel* m = w_->caseModel();
    m->setDose(QStringLiteral("old"), *m->dose(QStringLiteral("pba")), std::nullopt,
               m->ctFingerprint() ^ 1);  // computed on some other CT
    QVERIFY(m->isStale(QStringLiteral("old")));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stale.h5"));
    QVERIFY(w_->saveAs(path));
    QVERIFY(w_->openFile(path));
    QVERIFY(w_->waitIdle(120000));
    QVERIFY(m->isStale(QStringLiteral("old")));
    QCOMPARE(m->staleNote(QStringLiteral("old")),
             QStringLiteral("stale: computed on a different CT"));
    QVERIFY(!m->isStale(QStringLiteral("pba")));
    // A dose from a file that does not record its CT belongs to that file's CT.
    Case c = slab_case();
    const QString plain = dir.filePath(QStringLiteral("plain.h5"));
    save_case(c, plain.toStdString());
    QVERIFY(w_->openFile(plain));
    QVERIFY(w_->waitIdle(120000));
    QVERIFY(m->staleDoses().isEmpty());
  }

  void doseUnitsSayPerPrimaryOrForNProtons() {
    CaseModel* m = w_->caseModel();
    w_->tabs()->setCurrentIndex(MainWindow::SlicesTab);
    auto* unit = w_->slicesPanel()->findChild<QComboBox*>(QStringLiteral("doseUnit"));
    auto* protons = w_->slicesPanel()->findChild<QLineEdit*>(QStringLiteral("protons"));
    QVERIFY(unit && protons);
    QCOMPARE(unit->itemText(1), QStringLiteral("Gy per primary"));
    unit->setCurrentIndex(1);
    QCOMPARE(m->display().unit, DoseUnit::Gy);
    QCOMPARE(dose_unit_label(m->display()), QStringLiteral("Gy per primary"));
    protons->setText(QStringLiteral("2G"));
    unit->setCurrentIndex(2);
    QCOMPARE(m->display().unit, DoseUnit::GyAbsolute);
    QCOMPARE(m->display().protons, 2e9);
    QCOMPARE(dose_unit_label(m->display()), QStringLiteral("Gy for 2e+09 protons"));
    // The read-out shows dose × N.
    m->setCrosshair(20, 12, 12);
    const double d = m->dose(QStringLiteral("pba"))->volume.at(20, 12, 12);
    QVERIFY(d > 0);
    QVERIFY2(w_->slicesPanel()->readout()->text().contains(QString::number(d * 2e9, 'g', 4)),
             qPrintable(w_->slicesPanel()->readout()->text()));
    save_shot(w_.get(), "absolute_dose");
    unit->setCurrentIndex(0);
  }

  void compareUsesTheSharedGammaDefaults() {
    const GammaSettings g = w_->comparePanel()->currentGammaSettings();
    QCOMPARE(g.threshold_pct, physics::GammaDefaults::threshold_percent);
    QCOMPARE(g.dose_pct, physics::GammaDefaults::dose_percent);
    QCOMPARE(g.dist_mm, physics::GammaDefaults::dta_mm);
    QCOMPARE(g.local, physics::GammaDefaults::local);
    CaseModel* m = w_->caseModel();
    m->setReference(QStringLiteral("pba"));
    m->setEvaluated(QStringLiteral("model"));
    w_->tabs()->setCurrentIndex(MainWindow::CompareTab);
    w_->comparePanel()->setMapKind(ComparePanel::MapKind::Gamma);
    w_->comparePanel()->computeGamma();
    QVERIFY(w_->waitIdle(120000));
    const QString t = w_->comparePanel()->passRateText();
    QVERIFY2(t.contains(QStringLiteral("γ pass rate")), qPrintable(t));
    QVERIFY(t.contains(QStringLiteral("% of reference max")));
    QVERIFY(t.contains(QStringLiteral("γ capped at 2.00")) || t.contains(QStringLiteral("max γ")));
    QVERIFY(!t.contains(QStringLiteral("max γ 2.00")));
    w_->tabs()->setCurrentIndex(MainWindow::SlicesTab);
  }

  void computePrecisionIsSeparateFromKvStorage() {
    bool storage_label = false;
    for (auto* l : w_->findChildren<QLabel*>())
      storage_label |= l->text().contains(QStringLiteral("KV-cache storage"));
    QVERIFY(storage_label);
    auto* compute = w_->findChild<QComboBox*>(QStringLiteral("computePrecision"));
    QVERIFY(compute);
    QCOMPARE(compute->count(), 2);
    w_->setComputePrecision(ComputePrecision::bf16);
    QVERIFY(w_->waitIdle(120000));
    const auto& r = w_->engine()->lastReport();
    QVERIFY(r.has_value());
    QCOMPARE(r->settings.compute, ComputePrecision::bf16);
    QVERIFY(r->precision == QStringLiteral("bf16") || r->precision == QStringLiteral("fp32"));
    QCOMPARE(compute->currentIndex(), 1);
    QCOMPARE(w_->engine()->settings().kv, KvPrecision::fp32);  // storage untouched
    w_->setComputePrecision(ComputePrecision::fp32);
    QVERIFY(w_->waitIdle(120000));
  }

  void timingBadgeShowsMediansAndStaysVisible() {
    w_->resize(1400, 900);
    w_->recompute();
    QVERIFY(w_->waitIdle(120000));
    auto r = w_->engine()->lastReport();
    QVERIFY(r && r->this_stats && r->other_stats && r->speedup_estimate);
    QCOMPARE(r->this_stats->n, kTimingRuns);
    QCOMPARE(r->other_stats->n, kTimingRuns);
    QVERIFY(r->this_stats->q1 <= r->this_stats->median &&
            r->this_stats->median <= r->this_stats->q3);
    const auto& sp = *r->speedup_estimate;
    QVERIFY(sp.ci.lo <= sp.point && sp.point <= sp.ci.hi);
    QCOMPARE(*r->speedup(), sp.point);
    const QString badge = w_->timingBadge()->text();
    QVERIFY2(badge.contains(QStringLiteral("median")) &&
                 badge.contains(QStringLiteral("n = %1").arg(kTimingRuns)),
             qPrintable(badge));
    QVERIFY(badge.contains(QStringLiteral("IQR")));
    QVERIFY(badge.contains(QStringLiteral("[")));  // the ratio's interval
    // After an edit (longest badge) it is still shown, not in a toolbar's overflow menu.
    ShapeEdit s;
    s.kind = ShapeEdit::Block;
    s.hu = 1200;
    s.depth_mm = 150;
    s.size_mm = 10;
    s.width_mm = 48;
    w_->editPanel()->setShape(s);
    QVERIFY(w_->editPanel()->insertShape());
    QVERIFY(w_->waitIdle(120000));
    r = w_->engine()->lastReport();
    QVERIFY(r && r->prefix && r->this_stats && r->full_recompute_s);
    QVERIFY(w_->timingBadge()->text().contains(QStringLiteral("tokens reused")));
    QVERIFY(w_->timingBadge()->isVisible());
    QVERIFY(w_->statusBar()->isAncestorOf(w_->timingBadge()));
    const QRect g(w_->timingBadge()->mapTo(w_.get(), QPoint(0, 0)), w_->timingBadge()->size());
    QVERIFY(w_->rect().contains(g));
    // Not squeezed by the status bar (with the last error shown beside it).
    QVERIFY2(w_->timingBadge()->width() >= w_->timingBadge()->sizeHint().width(),
             qPrintable(QStringLiteral("badge %1 px of %2")
                            .arg(w_->timingBadge()->width())
                            .arg(w_->timingBadge()->sizeHint().width())));
    save_shot(w_.get(), "badge_after_edit");
    w_->undoStack()->undo();
    QVERIFY(w_->waitIdle(120000));
  }

  void cleanupTestCase() {
    close_dialogs(w_.get());
    w_.reset();
  }
};

int main(int argc, char** argv) {
  VtkView::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  TestStudioDefects t;
  return QTest::qExec(&t, argc, argv);
}

#include "test_studio_defects.moc"
