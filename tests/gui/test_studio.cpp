// Studio (issue 6 §12): every view renders a non-empty image of a demo case; the crosshair
// read-out equals the voxel values; toggling the KV cache control recomputes and updates the
// badge; a bad file shows an error and leaves the current case intact; the language switch
// retranslates visible widgets; CT edits recompute with prefix reuse and undo restores the CT.
// Runs under xvfb-run (OpenGL for the 3-D view).
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <fstream>

#include "compare_panel.hpp"
#include "dotakv/case_file.hpp"
#include "dotakv/dataset.hpp"
#include "dotakv/pba.hpp"
#include "dotakv/phantom.hpp"
#include "edit_panel.hpp"
#include "main_window.hpp"
#include "projections_panel.hpp"
#include "slices_panel.hpp"
#include "vtk_view.hpp"

using namespace dotakv;
using namespace dotakv::gui;

namespace {
// A water block with a 2 cm bone slab at 60 mm, PBA reference and a 3 % hotter "evaluated"
// dose shifted by one slice: known, non-trivial differences.
Case make_case() {
  Case c;
  c.ct = physics::make_slab_phantom(150, 24, 24, 2.0, 60.0, 20.0, 1200.f);
  c.energy_mev = 120.0;
  physics::PbaOptions o;
  o.energy_mev = c.energy_mev;
  Dose ref{physics::run_pba(c.ct, o), {{"engine", "pba"}}};
  Dose ev = ref;
  for (int z = ev.volume.slices - 1; z > 0; --z)
    for (int y = 0; y < ev.volume.rows; ++y)
      for (int x = 0; x < ev.volume.cols; ++x)
        ev.volume.at(z, y, x) = 1.03f * ref.volume.at(z - 1, y, x);
  c.doses.emplace("mc", std::move(ref));
  c.doses.emplace("shifted", std::move(ev));
  return c;
}

// Number of distinct colours and of "coloured" (non-grey) pixels in an image.
std::pair<int, int> colour_stats(const QImage& img) {
  QSet<QRgb> distinct;
  int coloured = 0;
  const QImage im = img.convertToFormat(QImage::Format_RGB32);
  for (int y = 0; y < im.height(); ++y)
    for (int x = 0; x < im.width(); ++x) {
      const QRgb p = im.pixel(x, y);
      distinct.insert(p);
      if (std::max({std::abs(qRed(p) - qGreen(p)), std::abs(qGreen(p) - qBlue(p)),
                    std::abs(qRed(p) - qBlue(p))}) > 40)
        ++coloured;
    }
  return {int(distinct.size()), coloured};
}
}  // namespace

class TestStudio : public QObject {
  Q_OBJECT
  std::unique_ptr<MainWindow> w_;
  QStringList errors_;

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("dotakv-test"));
    QCoreApplication::setApplicationName(QStringLiteral("studio-test"));
    w_ = std::make_unique<MainWindow>();
    w_->setErrorSink(
        [this](const QString& t, const QString& m) { errors_ << t + QStringLiteral(": ") + m; });
    w_->resize(1400, 900);
    w_->show();
    QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
    w_->setCase(make_case(), QString(), QStringLiteral("test case"));
    QVERIFY(w_->waitIdle(120000));
    QCOMPARE(w_->caseModel()->referenceName(), QStringLiteral("mc"));
  }

  void everyViewRendersTheCase_data() {
    QTest::addColumn<int>("tab");
    QTest::newRow("slices") << int(MainWindow::SlicesTab);
    QTest::newRow("projections") << int(MainWindow::ProjectionsTab);
    QTest::newRow("compare") << int(MainWindow::CompareTab);
    QTest::newRow("3d") << int(MainWindow::View3DTab);
  }
  void everyViewRendersTheCase() {
    QFETCH(int, tab);
    w_->caseModel()->setEvaluated(QStringLiteral("shifted"));
    w_->tabs()->setCurrentIndex(tab);
    QVERIFY(w_->waitIdle(120000));
    QTest::qWait(100);
    QImage img;
    if (tab == MainWindow::View3DTab) {
      img = w_->view3dPanel()->view()->grabFramebuffer();
    } else {
      img = w_->tabs()->currentWidget()->grab().toImage();
    }
    QVERIFY(!img.isNull());
    QVERIFY(img.width() > 200 && img.height() > 200);
    const auto [distinct, coloured] = colour_stats(img);
    // A blank or single-colour widget has a handful of colours and no dose colours.
    QVERIFY2(distinct > 64, qPrintable(QStringLiteral("only %1 colours").arg(distinct)));
    QVERIFY2(coloured > 500, qPrintable(QStringLiteral("only %1 coloured pixels").arg(coloured)));
  }

  void volumeRenderingRenders() {
    w_->tabs()->setCurrentIndex(MainWindow::View3DTab);
    auto* mode = w_->view3dPanel()->findChild<QComboBox*>();
    QVERIFY(mode);
    const QImage surfaces = w_->view3dPanel()->view()->grabFramebuffer();
    mode->setCurrentIndex(1);
    QTest::qWait(100);
    const QImage volume = w_->view3dPanel()->view()->grabFramebuffer();
    QVERIFY(colour_stats(volume).first > 64);
    QVERIFY(volume != surfaces);  // the CT is drawn differently
    mode->setCurrentIndex(0);
  }

  void doseWashFollowsTheDose() {
    // The lateral view at the entrance shows dose colours on the axis and none in the corner.
    auto* view = w_->slicesPanel()->viewer(viz::Plane::Lateral)->view();
    w_->tabs()->setCurrentIndex(MainWindow::SlicesTab);
    w_->caseModel()->setCrosshair(10, 12, 12);
    QTest::qWait(50);
    const QImage img = view->grab().toImage();
    const QPointF axis = view->widgetPos({10, 12, 12}) + QPointF(4, 4);  // off the crosshair ring
    const QPointF corner = view->widgetPos({10, 0, 0});
    auto sat = [&](QPointF p) {
      const QRgb c = img.pixel(p.toPoint() * img.devicePixelRatio());
      return std::max({qRed(c), qGreen(c), qBlue(c)}) - std::min({qRed(c), qGreen(c), qBlue(c)});
    };
    QVERIFY(sat(axis) > 60);
    QVERIFY(sat(corner) < 10);
  }

  void crosshairReadoutEqualsVoxelValues_data() {
    QTest::addColumn<int>("z");
    QTest::addColumn<int>("y");
    QTest::addColumn<int>("x");
    QTest::newRow("entrance axis") << 0 << 12 << 12;
    QTest::newRow("in the bone slab") << 35 << 11 << 13;
    QTest::newRow("corner") << 149 << 23 << 0;
    QTest::newRow("off axis") << 70 << 5 << 17;
  }
  void crosshairReadoutEqualsVoxelValues() {
    QFETCH(int, z);
    QFETCH(int, y);
    QFETCH(int, x);
    CaseModel* m = w_->caseModel();
    m->setEvaluated(QStringLiteral("shifted"));
    // Click on the voxel in the depth view (rows x depth plane through column x).
    auto* dv = w_->slicesPanel()->viewer(viz::Plane::DepthRow)->view();
    w_->tabs()->setCurrentIndex(MainWindow::SlicesTab);
    m->setCrosshair(0, 0, x);  // selects the plane x
    QTest::mouseClick(dv, Qt::LeftButton, {}, dv->widgetPos({z, y, x}).toPoint());
    QCOMPARE(m->crosshair(), (std::array<int, 3>{z, y, x}));
    const auto r = w_->slicesPanel()->readout()->values();
    const Case& c = m->data();
    QCOMPARE(r.voxel, (std::array<int, 3>{z, y, x}));
    QCOMPARE(r.hu, double(c.ct.at(z, y, x)));
    QCOMPARE(r.hu, (z + 0.5) * 2.0 >= 60.0 && (z + 0.5) * 2.0 < 80.0 ? 1200.0 : 0.0);
    QCOMPARE(r.mm[0], (z + 0.5) * 2.0);
    for (const auto& [name, v] : r.doses)
      QCOMPARE(v, double(c.doses.at(name.toStdString()).volume.at(z, y, x)));
    QVERIFY(r.difference.has_value());
    QCOMPARE(*r.difference, double(c.doses.at("shifted").volume.at(z, y, x)) -
                                c.doses.at("mc").volume.at(z, y, x));
    // The label shows the HU value.
    QVERIFY(w_->slicesPanel()->readout()->text().contains(QString::number(r.hu, 'f', 1)));
  }

  void cacheToggleRecomputesAndUpdatesBadge() {
    InferenceController* eng = w_->engine();
    QVERIFY(eng->acceptsGrid(w_->caseModel()->ct()));
    QVERIFY(w_->waitIdle(120000));
    auto* off = w_->findChild<QAction*>(QStringLiteral("cacheOff"));
    auto* on = w_->findChild<QAction*>(QStringLiteral("cacheOn"));
    QVERIFY(off && on);
    QSignalSpy started(eng, &InferenceController::started);
    QSignalSpy finished(eng, &InferenceController::finished);
    QSignalSpy doseChanged(w_->caseModel(), &CaseModel::doseChanged);
    off->trigger();
    QVERIFY(finished.wait(120000) || finished.count() > 0);
    QVERIFY(w_->waitIdle(120000));
    QCOMPARE(started.count(), 1);
    QVERIFY(doseChanged.count() >= 1);
    auto rep = eng->lastReport();
    QVERIFY(rep.has_value());
    QVERIFY(!rep->cache_used);
    QVERIFY(rep->latency_s > 0);
    QVERIFY(rep->other_latency_s.has_value());
    QVERIFY(rep->max_diff_vs_full.has_value());
    // fp32: every mode equals `full` to float rounding (session.hpp).
    QVERIFY(*rep->max_diff_vs_full <= 1e-4 * std::max(rep->dose_max, 1e-30));
    const QString badge_off = w_->timingBadge()->text();
    QVERIFY(badge_off.contains(QStringLiteral("cache Off")));
    QVERIFY(badge_off.contains(QStringLiteral("vs cache on")));

    on->trigger();
    QVERIFY(w_->waitIdle(120000));
    QCOMPARE(started.count(), 2);
    rep = eng->lastReport();
    QVERIFY(rep->cache_used);
    QVERIFY(rep->cache_bytes > 0);
    QVERIFY(w_->timingBadge()->text().contains(QStringLiteral("cache On")));
    QVERIFY(w_->timingBadge()->text() != badge_off);
  }

  void streamingFillsTheDoseSliceBySlice() {
    InferenceController* eng = w_->engine();
    QSignalSpy steps(eng, &InferenceController::stepReady);
    w_->setStreaming(true);
    QVERIFY(w_->waitIdle(120000));
    QVERIFY(steps.count() >= 1);
    const auto first = steps.front();
    const Volume partial = first.at(0).value<Volume>();
    const int end = first.at(1).toInt();
    QVERIFY(end >= 1 && end <= partial.slices);
    for (int z = end; z < partial.slices; ++z)
      for (int i = 0; i < partial.rows * partial.cols; ++i) QCOMPARE(partial.slice(z)[i], 0.f);
    QCOMPARE(steps.back().at(1).toInt(), partial.slices);
    QCOMPARE(eng->lastReport()->mode, QStringLiteral("stream"));
    w_->setStreaming(false);
    QVERIFY(w_->waitIdle(120000));
  }

  void editRecomputesWithPrefixReuseAndUndoRestores() {
    CaseModel* m = w_->caseModel();
    const Volume original = m->ct();
    ShapeEdit s;
    s.kind = ShapeEdit::Block;
    s.hu = -750;
    s.depth_mm = 200;
    s.size_mm = 20;
    s.width_mm = 48;
    w_->editPanel()->setShape(s);
    QSignalSpy finished(w_->engine(), &InferenceController::finished);
    QVERIFY(w_->editPanel()->insertShape());
    QVERIFY(w_->waitIdle(120000));
    QVERIFY(finished.count() >= 1);
    // Voxel centres (z + 0.5) * 2 mm in [190, 210] -> first slice 95.
    QCOMPARE(first_changed_slice(original, m->ct()), 95);
    QCOMPARE(m->ct().at(100, 12, 12), -750.f);
    const auto rep = w_->engine()->lastReport();
    QVERIFY(rep.has_value());
    QVERIFY(rep->prefix);
    QCOMPARE(rep->first_changed_slice, 95);
    QVERIFY(rep->tokens_reused > 0);
    QVERIFY(rep->full_recompute_s.has_value());
    QVERIFY(w_->timingBadge()->text().contains(QStringLiteral("tokens reused")));
    w_->undoStack()->undo();
    QVERIFY(w_->waitIdle(120000));
    QCOMPARE(first_changed_slice(original, m->ct()), -1);
  }

  void brushStrokeIsOneUndoableEdit() {
    CaseModel* m = w_->caseModel();
    w_->tabs()->setCurrentIndex(MainWindow::SlicesTab);
    QVERIFY(w_->waitIdle(120000));
    const Volume original = m->ct();
    ShapeEdit s;
    s.hu = 500;
    w_->editPanel()->setShape(s);  // custom HU 500
    QPushButton* brush = nullptr;
    for (auto* b : w_->editPanel()->findChildren<QPushButton*>())
      if (b->isCheckable()) brush = b;
    QVERIFY(brush);
    brush->setChecked(true);
    m->setCrosshair(30, 12, 12);
    auto* v = w_->slicesPanel()->viewer(viz::Plane::Lateral)->view();
    QVERIFY(v->paintMode());
    const int index = w_->undoStack()->index();
    QTest::mousePress(v, Qt::LeftButton, {}, v->widgetPos({30, 5, 5}).toPoint());
    QTest::mouseMove(v, v->widgetPos({30, 5, 18}).toPoint());
    QTest::mouseRelease(v, Qt::LeftButton, {}, v->widgetPos({30, 5, 18}).toPoint());
    QVERIFY(w_->waitIdle(120000));
    QCOMPARE(m->ct().at(30, 5, 5), 500.f);
    QCOMPARE(m->ct().at(30, 5, 18), 500.f);
    QCOMPARE(m->ct().at(29, 5, 5), original.at(29, 5, 5));       // one slice only
    QCOMPARE(m->crosshair(), (std::array<int, 3>{30, 12, 12}));  // painting does not move it
    QCOMPARE(w_->undoStack()->index(), index + 1);               // the whole stroke is one command
    QCOMPARE(w_->undoStack()->undoText(), QStringLiteral("Paint 500 HU"));
    QCOMPARE(w_->engine()->lastReport()->first_changed_slice, 30);
    w_->undoStack()->undo();
    QVERIFY(w_->waitIdle(120000));
    QVERIFY(m->ct().data == original.data);
    brush->setChecked(false);
    QVERIFY(!v->paintMode());
  }

  void badFileShowsErrorAndKeepsCase_data() {
    QTest::addColumn<QString>("kind");
    QTest::newRow("missing") << QStringLiteral("missing");
    QTest::newRow("not hdf5") << QStringLiteral("text");
    QTest::newRow("truncated") << QStringLiteral("truncated");
  }
  void badFileShowsErrorAndKeepsCase() {
    QFETCH(QString, kind);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad_case.h5"));
    if (kind == QLatin1String("text")) {
      std::ofstream(path.toStdString()) << "this is not an HDF5 file\n";
    } else if (kind == QLatin1String("truncated")) {
      const QString good = dir.filePath(QStringLiteral("good.h5"));
      save_case(w_->caseModel()->data(), good.toStdString());
      QFile f(good);
      QVERIFY(f.open(QIODevice::ReadOnly));
      const QByteArray bytes = f.readAll();
      QFile out(path);
      QVERIFY(out.open(QIODevice::WriteOnly));
      out.write(bytes.left(bytes.size() / 3));
    }
    CaseModel* m = w_->caseModel();
    const Volume ct = m->ct();
    const QStringList doses = m->doseNames();
    const QString name = m->displayName();
    QSignalSpy changed(m, &CaseModel::caseChanged);
    errors_.clear();
    QVERIFY(!w_->openFile(path, 0));
    QCOMPARE(errors_.size(), 1);
    QVERIFY2(errors_.front().contains(QStringLiteral("bad_case.h5")), qPrintable(errors_.front()));
    QCOMPARE(changed.count(), 0);
    QCOMPARE(m->displayName(), name);
    QCOMPARE(m->doseNames(), doses);
    QVERIFY(m->ct().data == ct.data);
  }

  void saveAndReopenRoundTrips() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("case.h5"));
    const Case before = w_->caseModel()->data();
    QVERIFY(w_->saveAs(path));
    QVERIFY(w_->openFile(path));
    QVERIFY(w_->waitIdle(120000));
    const Case& after = w_->caseModel()->data();
    QVERIFY(after.ct.data == before.ct.data);
    QCOMPARE(after.energy_mev, before.energy_mev);
    for (const auto& [n, d] : before.doses) QVERIFY(after.doses.at(n).volume.data == d.volume.data);
    QVERIFY(w_->recentFiles().contains(QFileInfo(path).absoluteFilePath()));
  }

  void exportsCaseReportAsPdfAndHtml() {
    QTemporaryDir dir;
    const QString pdf = dir.filePath(QStringLiteral("case.pdf"));
    const QString html = dir.filePath(QStringLiteral("case.html"));
    QVERIFY(w_->exportCaseReport(pdf));
    QVERIFY(w_->exportCaseReport(html));
    QFile p(pdf);
    QVERIFY(p.open(QIODevice::ReadOnly));
    const QByteArray bytes = p.readAll();
    QVERIFY(bytes.startsWith("%PDF"));
    QVERIFY(bytes.count("/Type /Page\n") + bytes.count("/Type /Page\r") +
                bytes.count("/Type /Page ") + bytes.count("/Type /Page>") >=
            1);
    QFile h(html);
    QVERIFY(h.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(h.readAll());
    QVERIFY(text.contains(QStringLiteral("<svg")) || text.contains(QStringLiteral("<img")));
    // A path that cannot be written reports an error and writes nothing.
    QVERIFY(!w_->exportCaseReport(QStringLiteral("/nonexistent-dir/x.pdf")));
    QVERIFY(!QFile::exists(QStringLiteral("/nonexistent-dir/x.pdf")));
  }

  void opensASampleOfADotaLayoutFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("dota.h5")).toStdString();
    physics::DatasetOptions o;
    o.n = 2;
    o.primaries = 300;
    o.seed = 5;
    o.slices = 40;
    o.rows = 8;
    o.cols = 8;
    o.dota_layout = true;
    physics::generate_dataset(o, path);
    const Case expected = physics::read_dataset_sample(path, 1);
    errors_.clear();
    QVERIFY(w_->openFile(QString::fromStdString(path), 1));
    QVERIFY(w_->waitIdle(120000));
    QVERIFY(errors_.isEmpty());
    const Case& c = w_->caseModel()->data();
    QCOMPARE(c.ct.slices, 40);
    QCOMPARE(c.ct.rows, 8);  // DoTA's 9x9 padding cropped
    QVERIFY(c.ct.data == expected.ct.data);
    QCOMPARE(c.energy_mev, expected.energy_mev);
    QVERIFY(c.doses.at("mc").volume.data == expected.doses.at("mc").volume.data);
    // The model cannot run on this grid: no model dose, no error dialog.
    QVERIFY(!w_->caseModel()->dose(QStringLiteral("model")));
    // A sample index beyond the file is an error that keeps the case.
    QVERIFY(!w_->openFile(QString::fromStdString(path), 5));
    QCOMPARE(errors_.size(), 1);
    QVERIFY(w_->caseModel()->data().ct.data == expected.ct.data);
  }

  void languageSwitchRetranslatesVisibleWidgets() {
    w_->tabs()->setCurrentIndex(MainWindow::CompareTab);
    QVERIFY(w_->switchLanguage(QStringLiteral("de")));
    QCoreApplication::processEvents();
    QCOMPARE(w_->tabs()->tabText(MainWindow::SlicesTab), QStringLiteral("Schichten"));
    QCOMPARE(w_->menuBar()->actions().front()->text(), QStringLiteral("&Datei"));
    QCOMPARE(w_->findChild<QAction*>(QStringLiteral("cacheOff"))->text(), QStringLiteral("Aus"));
    bool found = false;
    for (auto* l : w_->comparePanel()->findChildren<QLabel*>())
      found |= l->text() == QStringLiteral("Referenz");
    QVERIFY(found);
    QVERIFY(w_->switchLanguage(QStringLiteral("fr")));
    QCoreApplication::processEvents();
    QCOMPARE(w_->tabs()->tabText(MainWindow::SlicesTab), QStringLiteral("Coupes"));
    QVERIFY(w_->switchLanguage(QStringLiteral("nl")));
    QCoreApplication::processEvents();
    QCOMPARE(w_->tabs()->tabText(MainWindow::CompareTab), QStringLiteral("Vergelijken"));
    QVERIFY(w_->switchLanguage(QStringLiteral("en")));
    QCoreApplication::processEvents();
    QCOMPARE(w_->tabs()->tabText(MainWindow::SlicesTab), QStringLiteral("Slices"));
    QCOMPARE(w_->menuBar()->actions().front()->text(), QStringLiteral("&File"));
  }

  void cleanupTestCase() { w_.reset(); }
};

int main(int argc, char** argv) {
  VtkView::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  TestStudio t;
  return QTest::qExec(&t, argc, argv);
}

#include "test_studio.moc"
