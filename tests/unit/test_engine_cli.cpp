// `dotakv init`, `dotakv infer`, `dotakv demo`: outputs, JSON, and bad input -> one-line error,
// exit 1, nothing written.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>

#include "dotakv/case_file.hpp"
#include "dotakv/kernels.hpp"
#include "dotakv/model.hpp"
#include "test_support.hpp"

using dotakv::test::run_cli;

namespace {
const char* kTinyConfig =
    R"({"num_slices": 10, "data_shape": [8, 8, 1], "projection_dim": [2, 2, 4],
  "conv_channels": 16, "num_heads": 2, "key_dim": 8, "kernel_size": 3})";
QJsonObject json_of(const QString& s) {
  return QJsonDocument::fromJson(s.toUtf8()).object();
}
void expect_one_line_error(const dotakv::test::CliResult& r, const QString& needle) {
  QCOMPARE(r.exit_code, 1);
  QVERIFY2(r.err.trimmed().count('\n') == 0, qPrintable(r.err));
  QVERIFY2(r.err.contains(needle), qPrintable(r.err));
}
}  // namespace

class TestEngineCli : public QObject {
  Q_OBJECT
  QTemporaryDir dir;
  QString cfg, model, ct;

 private slots:
  void initTestCase() {
    cfg = dir.filePath("tiny.json");
    std::ofstream(cfg.toStdString()) << kTinyConfig;
    model = dir.filePath("w.h5");
    const auto r = run_cli({"init", "--config", cfg, "--seed", "3", "--out", model});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    dotakv::Case c;
    c.ct = dotakv::Volume(10, 8, 8, 0.f);
    for (int z = 3; z < 5; ++z)
      for (int i = 0; i < 64; ++i) c.ct.slice(z)[i] = 1200.f;
    c.energy_mev = 150.0;
    ct = dir.filePath("case.h5");
    dotakv::save_case(c, ct.toStdString());
  }
  void initIsSeededAndLoadable() {
    const QString other = dir.filePath("w2.h5");
    QCOMPARE(run_cli({"init", "--config", cfg, "--seed", "3", "--out", other}).exit_code, 0);
    const auto a = dotakv::Model::load(model.toStdString()),
               b = dotakv::Model::load(other.toStdString());
    QCOMPARE(a.weights().blocks[0].wq.data, b.weights().blocks[0].wq.data);
    QCOMPARE(a.config().num_slices, 10);
    const auto r = run_cli(
        {"init", "--config", "compact", "--seed", "1", "--out", dir.filePath("c.h5"), "--json"});
    QCOMPARE(r.exit_code, 0);
    QCOMPARE(json_of(r.out)["config"].toObject()["conv_channels"].toInt(), 32);
  }
  void initRejectsBadConfig() {
    const QString bad = dir.filePath("bad.json"), out = dir.filePath("never.h5");
    std::ofstream(bad.toStdString()) << R"({"num_slices": 10, "colour": "red"})";
    expect_one_line_error(run_cli({"init", "--config", bad, "--out", out}), "colour");
    expect_one_line_error(run_cli({"init", "--config", "giant", "--out", out}), "giant");
    QVERIFY(!QFile::exists(out));
  }
  void inferWritesDoseAndVerifies_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("full") << QStringList{"--mode", "full"};
    QTest::newRow("stream cache") << QStringList{"--mode", "stream",  "--cache",
                                                 "on",     "--chunk", "3"};
    QTest::newRow("stream nocache") << QStringList{"--mode", "stream", "--cache", "off"};
    QTest::newRow("fp16 cache") << QStringList{"--mode", "stream", "--kv-precision", "fp16"};
  }
  void inferWritesDoseAndVerifies() {
    QFETCH(QStringList, args);
    const QString out = dir.filePath("dose.h5");
    QFile::remove(out);
    const auto r = run_cli(
        QStringList{"infer", "--model", model, "--ct", ct, "--out", out, "--verify", "--json"} +
        args);
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const QJsonObject j = json_of(r.out);
    QVERIFY(j["stats"].toObject()["latency_s"].toDouble() > 0);
    const double diff = j["verify"].toObject()["max_diff_over_dose_max"].toDouble();
    if (!args.contains("fp16")) QVERIFY2(diff <= 1e-5, qPrintable(QString::number(diff)));
    const dotakv::Case c = dotakv::load_case(out.toStdString());
    QVERIFY(c.doses.count("dota"));
    QVERIFY(c.doses.at("dota").volume.same_grid(c.ct));
    QCOMPARE(c.energy_mev, 150.0);
    // the human-readable form names latency and cache bytes
    const auto h = run_cli(QStringList{"infer", "--model", model, "--ct", ct} + args);
    QVERIFY(h.out.contains("latency") && h.out.contains("cache"));
  }
  void inferRejectsBadInputWritingNothing() {
    const QString out = dir.filePath("nothing.h5");
    expect_one_line_error(
        run_cli({"infer", "--model", model, "--ct", ct, "--energy", "250", "--out", out}),
        "energy");
    expect_one_line_error(
        run_cli({"infer", "--model", model, "--ct", ct, "--energy", "50", "--out", out}), "energy");
    expect_one_line_error(
        run_cli({"infer", "--model", model, "--ct", ct, "--mode", "fast", "--out", out}), "mode");
    expect_one_line_error(
        run_cli({"infer", "--model", model, "--ct", ct, "--kv-precision", "int4", "--out", out}),
        "int4");
    expect_one_line_error(
        run_cli({"infer", "--model", model, "--ct", ct, "--precision", "fp8", "--out", out}),
        "fp8");
    expect_one_line_error(
        run_cli({"infer", "--model", model, "--ct", ct, "--cache", "maybe", "--out", out}),
        "--cache");
    // CT grid different from the model's
    dotakv::Case c;
    c.ct = dotakv::Volume(12, 8, 8, 0.f);
    c.energy_mev = 100;
    const QString wrong = dir.filePath("wrong.h5");
    dotakv::save_case(c, wrong.toStdString());
    expect_one_line_error(run_cli({"infer", "--model", model, "--ct", wrong, "--out", out}),
                          "[10,8,8]");
    // model file: not HDF5, truncated, missing
    const QString txt = dir.filePath("m.txt");
    std::ofstream(txt.toStdString()) << "not a model";
    expect_one_line_error(run_cli({"infer", "--model", txt, "--ct", ct, "--out", out}), "HDF5");
    const QString trunc = dir.filePath("trunc.h5");
    std::filesystem::copy_file(model.toStdString(), trunc.toStdString());
    std::filesystem::resize_file(trunc.toStdString(),
                                 std::filesystem::file_size(trunc.toStdString()) / 3);
    QCOMPARE(run_cli({"infer", "--model", trunc, "--ct", ct, "--out", out}).exit_code, 1);
    expect_one_line_error(
        run_cli({"infer", "--model", dir.filePath("none.h5"), "--ct", ct, "--out", out}),
        "none.h5");
    QVERIFY(!QFile::exists(out));
  }
  void demoRunsOnASmallModel() {
    const auto r = run_cli({"demo", "--model", model, "--reps", "1", "--baseline", "--json"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const QJsonArray rows = json_of(r.out)["rows"].toArray();
    // full, stream+cache, fp16 KV, int8 KV, bf16, stream no cache, prefix reuse
    QCOMPARE(rows.size(), 7);
    for (int i : {1, 5, 6})
      QVERIFY(rows[i].toObject()["max_diff_over_dose_max"].toDouble() <= 1e-5);
    for (int i : {2, 3}) QVERIFY(rows[i].toObject()["max_diff_over_dose_max"].toDouble() > 0);
    // bf16 really changes the result where it runs; elsewhere it falls back to fp32
    if (dotakv::kernels::bf16_supported())
      QVERIFY(rows[4].toObject()["max_diff_over_dose_max"].toDouble() > 0);
    QVERIFY(rows[6].toObject()["tokens_reused"].toInt() > 0);
  }
};

QTEST_GUILESS_MAIN(TestEngineCli)
#include "test_engine_cli.moc"
