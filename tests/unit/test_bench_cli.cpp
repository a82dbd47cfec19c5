// `dotakv bench` bad input (empty sweep, unknown workload, missing model, ...): one clear error
// line, a non-zero exit and no output file. The runs themselves:
// tests/slow/test_bench_cli_runs.cpp.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "test_support.hpp"

using dotakv::test::run_cli;

class TestBenchCli : public QObject {
  Q_OBJECT
 private slots:
  void badInputIsOneClearError() {
    QTemporaryDir dir;
    const QString json = dir.filePath("bad.json");
    struct Case {
      QStringList args;
      QString expect;
    };
    const QList<Case> cases{
        {{"--batch", ","}, "--batch"},
        {{"--workload", "decode"}, "decode"},
        {{"--model", dir.filePath("none.h5")}, "none.h5"},
        {{"--cache", "sometimes"}, "sometimes"},
        {{"--workload", "prefix", "--slices", "10", "--depth", "10"}, "depth"},
        {{"--slices", "151"}, "--slices"},
        {{"--reps", "0"}, "reps"},
    };
    for (const auto& c : cases) {
      QStringList args{"bench", "--config", "compact", "--json", json, "--quiet"};
      args += c.args;
      const auto r = run_cli(args);
      QVERIFY2(r.exit_code != 0, qPrintable(c.args.join(' ')));
      QVERIFY2(r.err.contains("error") && r.err.contains(c.expect),
               qPrintable(c.args.join(' ') + " -> " + r.err));
      QCOMPARE(r.err.trimmed().count('\n'), 0);  // one line
      QVERIFY(!QFile::exists(json));
    }
  }
};

QTEST_GUILESS_MAIN(TestBenchCli)
#include "test_bench_cli.moc"
