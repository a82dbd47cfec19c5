// Gamma options of `dotakv compare` and `dotakv report` (issue 15 §4): one set of defaults
// (physics::GammaDefaults, also the studio's), thresholds in percent everywhere, and a threshold
// outside 0-100 % is a usage error (exit 2, message naming the option), never a silent 1000 %.
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "dotakv/bench_report.hpp"
#include "dotakv/case_file.hpp"
#include "dotakv/gamma.hpp"
#include "dotakv/pba.hpp"
#include "dotakv/phantom.hpp"
#include "test_support.hpp"

using dotakv::test::run_cli;
namespace ph = dotakv::physics;

class TestGammaCli : public QObject {
  Q_OBJECT
  QTemporaryDir dir;
  QString c;

  QJsonObject gamma_json(const QStringList& extra) {
    QStringList args{"compare", "--ref", c + ":ref", "--eval", c + ":hot", "--json"};
    args << extra;
    const auto r = run_cli(args);
    if (r.exit_code != 0) qWarning("%s", qPrintable(r.err));
    return QJsonDocument::fromJson(r.out.toUtf8()).object()["gamma"].toObject();
  }

 private slots:
  void initTestCase() {
    dotakv::Case k;
    k.ct = ph::make_slab_phantom(40, 8, 8, 2.0, 30.0, 10.0, 1200.f);
    k.energy_mev = 80.0;
    ph::PbaOptions o;
    o.energy_mev = k.energy_mev;
    dotakv::Dose ref{ph::run_pba(k.ct, o), {{"engine", "pba"}}};
    dotakv::Dose hot = ref;
    for (float& x : hot.volume.data) x *= 1.05f;
    k.doses.emplace("ref", std::move(ref));
    k.doses.emplace("hot", std::move(hot));
    c = dir.filePath("c.h5");
    dotakv::save_case(k, c.toStdString());
  }

  void parsesPercentages() {
    QCOMPARE(ph::parse_threshold_percent("10"), 10.0);
    QCOMPARE(ph::parse_threshold_percent("10%"), 10.0);
    QCOMPARE(ph::parse_threshold_percent("2.5 %"), 2.5);
    QCOMPARE(ph::parse_threshold_percent("0"), 0.0);
    QCOMPARE(ph::parse_threshold_percent("100"), 100.0);
    QVERIFY_THROWS_EXCEPTION(dotakv::ValueError, ph::parse_threshold_percent("150"));
    QVERIFY_THROWS_EXCEPTION(dotakv::ValueError, ph::parse_threshold_percent("-1"));
    QVERIFY_THROWS_EXCEPTION(dotakv::ValueError, ph::parse_threshold_percent("ten"));
    QVERIFY_THROWS_EXCEPTION(dotakv::ValueError, ph::parse_threshold_percent(""));
  }

  void compareUsesTheSharedDefaults() {
    const auto g = gamma_json({});
    QCOMPARE(g["threshold_percent"].toDouble(), ph::GammaDefaults::threshold_percent);
    QCOMPARE(g["dose_percent"].toDouble(), ph::GammaDefaults::dose_percent);
    QCOMPARE(g["dta_mm"].toDouble(), ph::GammaDefaults::dta_mm);
    QCOMPARE(g["max_gamma_cap"].toDouble(), ph::GammaDefaults::max_gamma);
    QCOMPARE(g["local"].toBool(), ph::GammaDefaults::local);
    // The default equals giving it explicitly, and "10" equals "10%".
    const auto explicit_ =
        gamma_json({"--threshold", QString::number(ph::GammaDefaults::threshold_percent)});
    QCOMPARE(g["evaluated_voxels"].toInt(), explicit_["evaluated_voxels"].toInt());
    QCOMPARE(gamma_json({"--threshold", "10%"})["evaluated_voxels"].toInt(),
             gamma_json({"--threshold", "10"})["evaluated_voxels"].toInt());
    // A threshold cuts voxels: 0 % evaluates every voxel, 10 % fewer.
    QCOMPARE(gamma_json({"--threshold", "0"})["evaluated_voxels"].toInt(), 40 * 8 * 8);
    QVERIFY(g["evaluated_voxels"].toInt() < 40 * 8 * 8);
  }

  void reportUsesTheSharedDefaults() {
    const dotakv::bench::CaseReportOptions o;
    QCOMPARE(o.threshold_percent, ph::GammaDefaults::threshold_percent);
    QCOMPARE(QString::fromStdString(o.gamma_criteria), QString(ph::GammaDefaults::criteria));
    const QString html = dir.filePath("r.html");
    const auto r = run_cli({"report", "--case", c, "--html", html});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QFile f(html);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    QVERIFY2(text.contains("low-dose threshold 10 % of reference max"), "threshold not shown");
    // 10 means 10 %, not 1000 %: the pass rate of a 5 % hotter dose at 1 %/3 mm is not 0.
    const auto r10 = run_cli({"report", "--case", c, "--html", html, "--threshold", "10"});
    QCOMPARE(r10.exit_code, 0);
  }

  void outOfRangeThresholdIsAUsageError_data() {
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("value");
    for (const char* cmd : {"compare", "report"})
      for (const char* v : {"150", "-5", "ten"})
        QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(cmd, v))) << cmd << v;
  }
  void outOfRangeThresholdIsAUsageError() {
    QFETCH(QString, command);
    QFETCH(QString, value);
    const QString html = dir.filePath("bad.html");
    QStringList args{command};
    if (command == "compare")
      args << "--ref" << c + ":ref"
           << "--eval" << c + ":hot";
    else
      args << "--case" << c << "--html" << html;
    args << QStringLiteral("--threshold=%1").arg(value);
    const auto r = run_cli(args);
    QCOMPARE(r.exit_code, 2);
    QVERIFY2(r.err.contains("--threshold"), qPrintable(r.err));
    QVERIFY2(r.err.contains("0-100") || r.err.contains("percentage"), qPrintable(r.err));
    QVERIFY(!QFile::exists(html));
  }
};

QTEST_GUILESS_MAIN(TestGammaCli)
#include "test_gamma_cli.moc"
