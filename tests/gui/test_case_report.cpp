// The studio's case report (File → Export case report): names the case the user opened (not the
// temporary file the studio writes for the report), lists uncertainty maps (mc_stderr) apart from
// the doses, shows dose attributes as text (no raw JSON), gives every image a colour bar, and
// states the γ criteria and low-dose threshold set in the Compare tab. HTML is checked directly;
// the PDF through pdftotext/pdftoppm (poppler-utils).
#include <QApplication>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "compare_panel.hpp"
#include "main_window.hpp"
#include "test_support.hpp"
#include "vtk_view.hpp"

using namespace dotakv::gui;

class TestCaseReport : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("dotakv-test"));
    QCoreApplication::setApplicationName(QStringLiteral("case-report-test"));
    w_ = std::make_unique<MainWindow>();
    w_->setErrorSink([this](const QString& t, const QString& m) { errors_ << t + ": " + m; });
    QVERIFY(w_->openFile(
        QString::fromStdString(dotakv::test::source_path("resources/demo/bone_slab_120MeV.h5")),
        0));
    QVERIFY(w_->waitIdle(120000));
    auto* thr = w_->comparePanel()->findChild<QDoubleSpinBox*>(QStringLiteral("gammaThreshold"));
    auto* dd = w_->comparePanel()->findChild<QDoubleSpinBox*>(QStringLiteral("gammaDose"));
    QVERIFY(thr && dd);
    thr->setValue(25);
    dd->setValue(2);
  }

  void htmlNamesTheCaseAndStatesTheSettings() {
    QTemporaryDir dir;
    const QString html = dir.filePath("report.html");
    QVERIFY2(w_->exportCaseReport(html), qPrintable(errors_.join('\n')));
    QFile f(html);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString t = QString::fromUtf8(f.readAll());
    QVERIFY2(t.contains("<h2>Case: bone_slab_120MeV.h5</h2>"), qPrintable(t.left(2000)));
    QVERIFY(!t.contains("case.h5<"));  // the temporary file's name
    QVERIFY2(t.contains("gamma 2%/3mm, global") && t.contains("low-dose threshold 25 %"),
             "the Compare tab's criteria and threshold are not stated");
    // Doses table: mc, model, pba; the uncertainty map only in its own table.
    const int doses = t.indexOf("Dose metrics"), unc = t.indexOf("Uncertainty maps");
    QVERIFY(doses >= 0 && unc > doses);
    const QString dose_table = t.mid(doses, t.indexOf("</table>", doses) - doses);
    QVERIFY(dose_table.contains("<td>mc</td>") && dose_table.contains("<td>model</td>"));
    QVERIFY2(!dose_table.contains("stderr"), "mc_stderr is listed as a dose");
    QVERIFY(t.mid(unc, 400).contains("<td>mc_stderr</td>"));
    QVERIFY2(!t.contains("{&quot;") && !t.contains("{\""), "raw JSON in the report");
    QVERIFY(dose_table.contains("engine: dotakv"));
    // Comparison rows: doses only, never the uncertainty map.
    const int cmp = t.indexOf("Comparison with 'mc'");
    QVERIFY(cmp > 0);
    const QString cmp_table = t.mid(cmp, t.indexOf("</table>", cmp) - cmp);
    QVERIFY(cmp_table.contains("<td>model</td>") && !cmp_table.contains("stderr"));
    // Every image figure carries a colour bar (a second svg with the unit).
    const auto figs = QRegularExpression(
                          "<figure id='(ct_side|dose_|uncertainty_|diff_|gamma_)"
                          "[^']*'>(.*?)</figure>",
                          QRegularExpression::DotMatchesEverythingOption)
                          .globalMatch(t);
    int n = 0;
    for (auto it = figs; it.hasNext(); ++n) {
      const auto m = it.next();
      QVERIFY2(m.captured(2).count("<svg") == 2, qPrintable(m.captured(1) + ": no colour bar"));
    }
    QVERIFY(n >= 8);
  }

  void pdfNamesTheCaseAndStatesTheThreshold() {
    QTemporaryDir dir;
    const QString pdf = dir.filePath("report.pdf");
    QVERIFY2(w_->exportCaseReport(pdf), qPrintable(errors_.join('\n')));
    QProcess p;
    p.start("pdftotext", {"-layout", pdf, "-"});
    QVERIFY(p.waitForFinished(60000));
    if (p.exitCode() != 0) QSKIP("pdftotext not available");
    const QString t = QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY2(t.contains("Case: bone_slab_120MeV.h5"), qPrintable(t.left(1500)));
    QVERIFY(t.contains("low-dose threshold 25 %"));
    QVERIFY(t.contains("Uncertainty maps"));
    QVERIFY(!t.contains("{\""));
    QVERIFY(t.contains("Gy/primary"));  // colour bar units
  }

 private:
  std::unique_ptr<MainWindow> w_;
  QStringList errors_;
};

int main(int argc, char** argv) {
  VtkView::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  TestCaseReport t;
  return QTest::qExec(&t, argc, argv);
}

#include "test_case_report.moc"
