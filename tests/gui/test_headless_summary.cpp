// The studio's main job headless (dotakv-studio --summary, scripts/run.sh without a display):
// the shipped model runs on a demo case with cache off/on and streaming, each timed with spread
// (median, IQR, min–max over several runs after warm-up), and γ against the Monte Carlo dose
// with the studio's defaults. Checks the lines are there and their numbers are sane.
#include <QRegularExpression>
#include <QtTest>
#include <sstream>

#include "dotakv/case_file.hpp"
#include "headless_summary.hpp"
#include "inference_controller.hpp"
#include "studio_app.hpp"
#include "test_support.hpp"

using namespace dotakv;

class TestHeadlessSummary : public QObject {
  Q_OBJECT
 private slots:
  void modelTimingAndGamma() {
    if (!gui::load_default_model()) QSKIP("no shipped model in resources/models");
    const Case c = load_case(test::source_path("resources/demo/water_150MeV.h5"));
    QVERIFY(c.doses.count("mc"));
    std::ostringstream os;
    gui::print_case_summary(os, c, QStringLiteral("water_150MeV.h5"));
    gui::HeadlessOptions o;
    o.warmup = 1;
    o.reps = 4;
    QVERIFY(gui::print_model_summary(os, c, o));
    const QString out = QString::fromStdString(os.str());
    qInfo().noquote() << out;
    QVERIFY(out.contains(QStringLiteral("case:     water_150MeV.h5")));
    QVERIFY(out.contains(QStringLiteral("model:    dotakv-compact.h5")));

    // One timing line per setting, min <= median <= max, IQR <= max - min, positive.
    const QRegularExpression timing(QStringLiteral(
        R"(timing:\s+(cache off|cache on|stream \+ cache)\s+(full|stream)\s+median ([0-9.]+) ms, )"
        R"(IQR ([0-9.]+) ms, min–max ([0-9.]+)–([0-9.]+) ms \((\d+) runs, 1 warm-up\))"));
    QStringList seen;
    for (auto it = timing.globalMatch(out); it.hasNext();) {
      const auto m = it.next();
      seen << m.captured(1);
      const double med = m.captured(3).toDouble(), iqr = m.captured(4).toDouble(),
                   lo = m.captured(5).toDouble(), hi = m.captured(6).toDouble();
      QCOMPARE(m.captured(7).toInt(), 4);
      QVERIFY2(lo > 0 && lo <= med && med <= hi, qPrintable(m.captured(0)));
      QVERIFY2(iqr >= 0 && iqr <= hi - lo + 1e-9, qPrintable(m.captured(0)));
      QVERIFY2(hi < 60000, qPrintable(m.captured(0)));
      QCOMPARE(m.captured(2), m.captured(1) == QLatin1String("stream + cache")
                                  ? QStringLiteral("stream")
                                  : QStringLiteral("full"));
    }
    QCOMPARE(seen, (QStringList{"cache off", "cache on", "stream + cache"}));

    // The model dose line and γ with the studio's defaults against mc.
    QVERIFY(QRegularExpression(QStringLiteral(R"(\n  model\s+max [0-9.e+-]+ Gy/primary)"))
                .match(out)
                .hasMatch());
    const auto g =
        QRegularExpression(
            QStringLiteral(R"(gamma:\s+1 %/3 mm global, threshold 10 % of the reference )"
                           R"(max \(model vs mc\): pass ([0-9.]+) % of (\d+) voxels)"))
            .match(out);
    QVERIFY2(g.hasMatch(), qPrintable(out));
    const double pass = g.captured(1).toDouble();
    QVERIFY2(pass > 50 && pass <= 100, qPrintable(g.captured(0)));  // trained model vs MC
    QVERIFY(g.captured(2).toLongLong() > 0);
  }

  void wrongGridSaysSo() {
    if (!gui::load_default_model()) QSKIP("no shipped model in resources/models");
    Case c;
    c.ct = Volume(10, 8, 8, 0.f);
    c.energy_mev = 100;
    std::ostringstream os;
    QVERIFY(!gui::print_model_summary(os, c));
    QVERIFY(QString::fromStdString(os.str()).contains(QStringLiteral("does not match")));
  }
};

QTEST_GUILESS_MAIN(TestHeadlessSummary)
#include "test_headless_summary.moc"
