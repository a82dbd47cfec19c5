// `dotakv digits read|evaluate|train` end to end and on bad input: a random tiny model reads a
// composed test string (text, JSON, beams, every cache mode); wrong-family models, missing or
// broken PNGs, wrong heights, empty canvases, out-of-range indices, bad options: one clear line,
// exit 1 (input errors) or 2 (usage errors), nothing written.
#include <QtTest>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "dotakv/digits/data.hpp"
#include "dotakv/digits/model.hpp"
#include "dotakv/model.hpp"
#include "test_support.hpp"

using namespace dotakv;
using dotakv::test::run_cli;

namespace {
std::string dir() {
  const auto d = std::filesystem::temp_directory_path() / "dotakv_test_digits_cli";
  std::filesystem::create_directories(d);
  return d.string();
}
QString q(const std::string& s) {
  return QString::fromStdString(s);
}
void expect_error(const dotakv::test::CliResult& r, int code, const char* needle) {
  if (r.exit_code != code)
    QFAIL(qPrintable(QString("exit %1 (expected %2): %3").arg(r.exit_code).arg(code).arg(r.err)));
  if (!r.err.contains(needle))
    QFAIL(qPrintable(QString("stderr lacks '%1': %2").arg(needle, r.err)));
  if (code == 1) QCOMPARE(r.err.trimmed().count('\n'), 0);
}
}  // namespace

class TestDigitsCli : public QObject {
  Q_OBJECT
  std::string model_, data_;
 private slots:
  void initTestCase() {
    model_ = dir() + "/tiny.h5";
    digits::DigitsModel::random(digits::DigitsConfig::preset("digits-tiny"), 5).save(model_);
    data_ = dir() + "/test.h5";
    const auto r = run_cli({"digits", "strings", "--split", "test", "--count", "6", "--len", "2:5",
                            "--seed", "3", "--out", q(data_)});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
  }

  void readsAStringInEveryMode() {
    QString first;
    for (const char* mode : {"off", "self", "full", "auto"}) {
      const auto r = run_cli({"digits", "read", "--model", q(model_), "--data", q(data_), "--index",
                              "2", "--cache", mode, "--beam", "3", "--json"});
      QVERIFY2(r.exit_code == 0, qPrintable(r.err));
      const auto j = nlohmann::json::parse(r.out.toStdString());
      QVERIFY(j.contains("truth"));
      QCOMPARE(int(j["beams"].size()), 3);
      QVERIFY(j["stats"]["mode"].get<std::string>() != "auto");  // auto is resolved
      QVERIFY(j["stats"]["cross_cache_bytes"].get<long long>() > 0);
      const QString text = q(j["text"].get<std::string>());
      if (first.isNull()) first = text;
      QCOMPARE(text, first);  // identical tokens in every mode
    }
    const auto r =
        run_cli({"digits", "evaluate", "--model", q(model_), "--data", q(data_), "--json"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const auto j = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(j["all"]["strings"].get<int>(), 6);
    QVERIFY(j["by_length"].size() >= 1);
  }

  void readsAPng() {
    const std::string png = dir() + "/ok.png";
    const auto set = digits::load_strings(data_);
    const auto s = set.string(0);
    // dark ink on white paper, as a user would draw it: inverted on load
    std::vector<float> paper(s.pixels.size());
    for (std::size_t i = 0; i < paper.size(); ++i) paper[i] = 1.f - s.pixels[i];
    digits::save_png(png, paper, 32, s.width);
    const auto r = run_cli({"digits", "read", "--model", q(model_), "--image", q(png)});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("per token"));
  }

  void averagesCheckpoints() {
    const std::string other = dir() + "/tiny_b.h5", mean = dir() + "/mean.h5";
    digits::DigitsModel::random(digits::DigitsConfig::preset("digits-tiny"), 6).save(other);
    std::filesystem::remove(mean);
    auto r = run_cli({"digits", "average", q(model_), q(other), "--out", q(mean)});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const auto a = digits::DigitsModel::load(model_), b = digits::DigitsModel::load(other),
               m = digits::DigitsModel::load(mean);
    const float want = float((double(a.tensors()[0].data[0]) + b.tensors()[0].data[0]) / 2);
    QCOMPARE(m.tensors()[0].data[0], want);
    QVERIFY(m.description().find("tiny_b.h5") != std::string::npos);
    // another config, a DoTA file, one model only: an error, nothing written
    const std::string small = dir() + "/small.h5", never = dir() + "/mean_never.h5";
    digits::DigitsModel::random(digits::DigitsConfig::preset("digits-small"), 1).save(small);
    expect_error(run_cli({"digits", "average", q(model_), q(small), "--out", q(never)}), 1,
                 "config differs");
    const std::string dota = dir() + "/dota_avg.h5";
    Model::random(ModelConfig::preset("compact"), 1).save(dota);
    expect_error(run_cli({"digits", "average", q(model_), q(dota), "--out", q(never)}), 1,
                 "family");
    expect_error(run_cli({"digits", "average", q(model_), "--out", q(never)}), 2, "models");
    QVERIFY(!std::filesystem::exists(never));
  }

  void badInputGivesOneLine() {
    // a DoTA model given to digits, and a digits model given to DoTA
    const std::string dota = dir() + "/dota.h5";
    Model::random(ModelConfig::preset("compact"), 1).save(dota);
    expect_error(run_cli({"digits", "read", "--model", q(dota), "--data", q(data_)}), 1,
                 "expected 'digits', found 'dota'");
    const std::string demo = dotakv::test::source_path("resources/demo/bone_slab_120MeV.h5");
    expect_error(run_cli({"infer", "--model", q(model_), "--ct", q(demo), "--out",
                          q(dir() + "/dose_never.h5")}),
                 1, "family");
    QVERIFY(!std::filesystem::exists(dir() + "/dose_never.h5"));
    expect_error(run_cli({"digits", "read", "--model", q(dir() + "/none.h5"), "--data", q(data_)}),
                 1, "no such file");
    // PNGs: not a PNG, truncated, wrong height, empty canvas
    const std::string notpng = dir() + "/not.png", trunc = dir() + "/trunc.png",
                      tall = dir() + "/tall.png", empty = dir() + "/empty.png";
    {
      std::ofstream f(notpng);
      f << "hello";
    }
    digits::save_png(tall, std::vector<float>(40 * 40, 0.f), 40, 40);
    digits::save_png(empty, std::vector<float>(32 * 64, 0.f), 32, 64);
    {
      const std::string ok = dir() + "/full.png";
      digits::save_png(ok, std::vector<float>(32 * 64, 0.5f), 32, 64);
      std::ifstream in(ok, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), {});
      std::ofstream(trunc, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    }
    expect_error(run_cli({"digits", "read", "--model", q(model_), "--image", q(notpng)}), 1, "PNG");
    expect_error(run_cli({"digits", "read", "--model", q(model_), "--image", q(trunc)}), 1,
                 "trunc.png");
    expect_error(run_cli({"digits", "read", "--model", q(model_), "--image", q(tall)}), 1,
                 "height 32");
    expect_error(run_cli({"digits", "read", "--model", q(model_), "--image", q(empty)}), 1,
                 "empty canvas");
    expect_error(
        run_cli({"digits", "read", "--model", q(model_), "--data", q(data_), "--index", "99"}), 1,
        "index 99");
    expect_error(run_cli({"digits", "evaluate", "--model", q(model_), "--data", q(dota)}), 1,
                 "dota.h5");
    // usage errors
    expect_error(run_cli({"digits", "read", "--model", q(model_)}), 2, "--image");
    expect_error(run_cli({"digits", "read", "--model", q(model_), "--data", q(data_), "--cache",
                          "sometimes"}),
                 2, "--cache");
    expect_error(
        run_cli({"digits", "read", "--model", q(model_), "--data", q(data_), "--beam", "0"}), 2,
        "--beam");
    const std::string out = dir() + "/run_bad";
    std::filesystem::remove_all(out);
    expect_error(run_cli({"digits", "train", "--out", q(out), "--len", "5:3"}), 2, "--len");
    expect_error(run_cli({"digits", "train", "--out", q(out), "--len", "1:500"}), 2, "--len");
    expect_error(run_cli({"digits", "train", "--out", q(out), "--init", q(dota)}), 1, "family");
    QVERIFY(!std::filesystem::exists(out));
  }
};

QTEST_GUILESS_MAIN(TestDigitsCli)
#include "test_digits_cli.moc"
