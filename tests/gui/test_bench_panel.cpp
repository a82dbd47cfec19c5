// The studio's benchmark panel: table sorting, charts from one results document, JSON/CSV/PNG/SVG
// export, and a real (tiny) sweep on the engine in a worker thread with progress and cancel.
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtCharts/QChartView>
#include <QtTest>
#include <cmath>

#include "bench_panel.hpp"
#include "dotakv/bench_harness.hpp"
#include "dotakv/error.hpp"

using namespace dotakv::bench;
using dotakv::gui::BenchPanel;
using dotakv::gui::BenchResultsModel;

namespace {

nlohmann::json synthetic_results() {
  auto t = std::make_shared<double>(0);
  SweepSpec s;
  s.workload = "stream";
  s.batch = {1, 2, 4};
  s.slices = {10, 20};
  s.harness.reps = 5;
  s.harness.warmup = 0;
  s.harness.clock = [t] { return *t; };
  auto factory = [t](const nlohmann::json& st) {
    Workload w;
    const double dt =
        (st["cache"] == "on" ? 1.0 : 2.5) * st["batch"].get<int>() * st["slices"].get<int>();
    w.run = [t, dt] {
      *t += dt;
      return RunOutput{{0.f}, 4096};
    };
    return w;
  };
  return results_json(s, run_sweep(s, factory));
}

SweepSpec tiny_sweep(int reps) {
  SweepSpec s;
  s.workload = "full";
  s.config = "compact";
  s.batch = {1, 2};
  s.slices = {4};
  s.cache = {"off", "on"};
  s.harness.reps = reps;
  s.harness.warmup = 0;
  return s;
}

}  // namespace

class TestBenchPanel : public QObject {
  Q_OBJECT
 private slots:
  void tableAndChartsFollowTheDocument() {
    BenchPanel p(nullptr);
    p.setResults(synthetic_results());
    QCOMPARE(p.resultsModel()->rowCount(), 12);
    QCOMPARE(p.chartCount(), 4);  // speedup vs batch, time vs slices, cold vs warm, cache vs slices
    QVERIFY(p.chartView()->chart()->series().size() > 0);
    // Sorting by the median column orders the rows by the raw number.
    p.table()->sortByColumn(BenchResultsModel::Median, Qt::AscendingOrder);
    auto* m = p.sortedModel();
    for (int r = 1; r < m->rowCount(); ++r)
      QVERIFY(m->index(r - 1, BenchResultsModel::Median).data(Qt::UserRole).toDouble() <=
              m->index(r, BenchResultsModel::Median).data(Qt::UserRole).toDouble());
    // The speedup column shows the known ratio 2.5 for every cached row.
    int cached = 0;
    for (int r = 0; r < p.resultsModel()->rowCount(); ++r) {
      const auto v =
          p.resultsModel()->index(r, BenchResultsModel::Speedup).data(Qt::UserRole).toDouble();
      if (v > 0) {
        QCOMPARE(v, 2.5);
        ++cached;
      }
    }
    QCOMPARE(cached, 6);
  }
  void exportsAndRoundTrip() {
    QTemporaryDir dir;
    BenchPanel p(nullptr);
    p.setResults(synthetic_results());
    QString err;
    QVERIFY2(p.exportChart(dir.filePath("c.png"), &err), qPrintable(err));
    QVERIFY2(p.exportChart(dir.filePath("c.svg"), &err), qPrintable(err));
    const QImage png(dir.filePath("c.png"));
    QVERIFY(!png.isNull());
    QCOMPARE(png.size(), QSize(900, 520));
    QFile svg(dir.filePath("c.svg"));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    QVERIFY(svg.readAll().contains("<svg"));
    QVERIFY(p.saveJson(dir.filePath("r.json"), &err));
    QVERIFY(p.exportCsv(dir.filePath("r.csv"), &err));
    QFile csv(dir.filePath("r.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readAll().count('\n'), 13);
    BenchPanel q(nullptr);
    QVERIFY(q.loadJson(dir.filePath("r.json"), &err));
    QCOMPARE(q.resultsModel()->rowCount(), 12);
    QVERIFY(!q.loadJson(dir.filePath("missing.json"), &err));
    QVERIFY(err.contains("missing.json"));
    QVERIFY2(p.exportReport(dir.filePath("r.html"), &err), qPrintable(err));
    QVERIFY2(p.exportReport(dir.filePath("r.pdf"), &err), qPrintable(err));
    QVERIFY(QFileInfo(dir.filePath("r.pdf")).size() > 10000);
  }
  void badSweepIsRejectedBeforeStarting() {
    BenchPanel p(nullptr);
    auto s = tiny_sweep(2);
    s.batch.clear();
    QVERIFY_THROWS_EXCEPTION(dotakv::ValueError, p.startSweep(s));
    QVERIFY(!p.running());
  }
  void sweepRunsOnTheEngineInAWorker() {
    BenchPanel p(nullptr);
    QSignalSpy done(&p, &BenchPanel::sweepFinished);
    QSignalSpy progress(&p, &BenchPanel::progressChanged);
    p.startSweep(tiny_sweep(2));
    QVERIFY(p.running());
    QVERIFY(done.wait(240000));
    QCOMPARE(done.at(0).at(1).toString(), QString());
    QCOMPARE(done.at(0).at(0).toBool(), false);
    QVERIFY(progress.size() > 0);
    QCOMPARE(p.resultsModel()->rowCount(), 4);
    // Same random weights and input: cache on gives the same dose within float rounding.
    for (const auto& r : p.results()["results"])
      QVERIFY(r["max_abs_diff_rel"].get<double>() < 1e-5);
  }
  void cancelKeepsFinishedRuns() {
    BenchPanel p(nullptr);
    QSignalSpy done(&p, &BenchPanel::sweepFinished);
    connect(&p, &BenchPanel::progressChanged, &p, [&p](double d, double) {
      if (d >= 6) p.cancelSweep();
    });
    p.startSweep(tiny_sweep(500));
    QVERIFY(done.wait(240000));
    QCOMPARE(done.at(0).at(0).toBool(), true);
    QVERIFY(p.results()["cancelled"].get<bool>());
    QVERIFY(p.resultsModel()->rowCount() >= 2);
    size_t samples = 0;
    for (const auto& r : p.results()["results"]) samples += r["samples_s"].size();
    QVERIFY(samples >= 2);  // the finished runs survive
    QVERIFY(samples < 1000);
  }
};

QTEST_MAIN(TestBenchPanel)
#include "test_bench_panel.moc"
