// `dotakv bench` / `dotakv calibrate` end to end on a tiny model: both command forms of issues 3
// and 7, the JSON/CSV they write, calibration and --cache auto. Slow (each bench run measures
// the machine's GEMM peak and bandwidth): ~30-70 s on 2 cores.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "test_support.hpp"

using dotakv::test::run_cli;

class TestBenchCliRuns : public QObject {
  Q_OBJECT
 private slots:
  void issue3FormWritesJson() {
    QTemporaryDir dir;
    const QString json = dir.filePath("r.json");
    const auto r = run_cli({"bench", "--workload",  "stream", "--config", "compact", "--slices",
                            "4",     "--batch",     "1",      "--cache",  "on",      "--chunk",
                            "2",     "--precision", "fp32",   "--reps",   "2",       "--warmup",
                            "0",     "--json",      json,     "--quiet"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("GFLOP per forward"));
    QVERIFY(r.out.contains("fp32 GEMM peak"));
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto doc = QJsonDocument::fromJson(f.readAll()).object();
    QCOMPARE(doc["schema"].toString(), QString("dotakv.bench/1"));
    const auto res = doc["results"].toArray();
    QCOMPARE(res.size(), 1);
    const auto r0 = res[0].toObject();
    QCOMPARE(r0["samples_s"].toArray().size(), 2);
    QVERIFY(r0["cold_s"].toDouble() > 0);
    QVERIFY(r0["cost_model"].toObject()["gflop"].toDouble() > 0);
    QCOMPARE(r0["engine"].toObject()["steps"].toInt(), 2);
  }
  void issue7SweepFormWritesJsonAndCsv() {
    QTemporaryDir dir;
    const QString json = dir.filePath("s.json"), csv = dir.filePath("s.csv");
    const auto r =
        run_cli({"bench",    "--config", "compact", "--workload", "stream", "--batch", "1,2",
                 "--slices", "3,5",      "--cache", "off,on",     "--reps", "2",       "--warmup",
                 "0",        "--json",   json,      "--csv",      csv,      "--quiet"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto res = QJsonDocument::fromJson(f.readAll()).object()["results"].toArray();
    QCOMPARE(res.size(), 8);  // 2 batches x 2 slice counts x {off, on}
    for (const auto& v : res) {
      const auto o = v.toObject();
      // Streaming with and without the cache computes the same dose (fp32): float rounding only.
      QVERIFY(o["max_abs_diff_rel"].toDouble() < 1e-5);
      if (o["settings"].toObject()["cache"].toString() == "on")
        QCOMPARE(o["speedup"].toObject()["ci95"].toArray().size(), 2);
    }
    QFile c(csv);
    QVERIFY(c.open(QIODevice::ReadOnly));
    QCOMPARE(c.readAll().count('\n'), 9);
  }
  void calibrateWritesAProfileThatAutoUses() {
    QTemporaryDir dir;
    const QString policy = dir.filePath("policy.json"), json = dir.filePath("auto.json");
    auto r = run_cli({"calibrate", "--config", "compact", "--chunk", "1", "--reps", "1", "--depth",
                      "0,60,149", "--out", policy});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("cache pays off from"));
    r = run_cli({"bench", "--config", "compact", "--workload", "stream", "--slices", "6", "--cache",
                 "off,on,auto", "--policy", policy, "--reps", "2", "--warmup", "0", "--json", json,
                 "--quiet"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("auto:"));
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto res = QJsonDocument::fromJson(f.readAll()).object()["results"].toArray();
    QCOMPARE(res.size(), 3);
    const auto a = res[2].toObject();
    QCOMPARE(a["settings"].toObject()["cache"].toString(), QString("auto"));
    QVERIFY(a["auto"].toObject().contains("regret"));
    QVERIFY(a["auto"].toObject()["reason"].toString().contains("measured-profile prediction"));
    // Without a profile, auto says what to do.
    r = run_cli({"bench", "--config", "compact", "--slices", "4", "--cache", "auto", "--policy",
                 dir.filePath("nothing.json"), "--reps", "1", "--quiet"});
    QVERIFY(r.exit_code != 0);
    QVERIFY(r.err.contains("dotakv calibrate"));
  }
};

QTEST_GUILESS_MAIN(TestBenchCliRuns)
#include "test_bench_cli_runs.moc"
