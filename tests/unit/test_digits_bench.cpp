// Digits benchmark and calibration (issue #16): the roofline FLOP/byte formulas against counts
// done by hand for small configurations, the least-squares fit against synthetic timings of
// known constants, the calibration file's round trip and its bad files, the harness's per-run
// metrics, the summary logic, and the CLI (`bench --family digits`, `calibrate --family digits`,
// bad options).
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <fstream>

#include "dotakv/bench_harness.hpp"
#include "dotakv/digits/bench.hpp"
#include "dotakv/error.hpp"
#include "test_support.hpp"

using namespace dotakv::digits;
using dotakv::test::run_cli;

namespace {

// D 4, F 8, 2 heads, one encoder and one decoder layer, stems 2/2/2.
DigitsConfig small_cfg() {
  DigitsConfig c;
  c.d_model = 4;
  c.heads = 2;
  c.ffn = 8;
  c.encoder_layers = 1;
  c.decoder_layers = 1;
  c.stem1 = c.stem2 = c.stem3 = 2;
  return c;
}

DecodeShape shape(int steps, int beam, std::vector<int> te) {
  DecodeShape s;
  s.steps = steps;
  s.beam = beam;
  s.encoder_tokens = std::move(te);
  return s;
}

bool close(double a, double b, double rel = 1e-9) {
  return std::fabs(a - b) <= rel * std::max(1.0, std::max(std::fabs(a), std::fabs(b)));
}

nlohmann::json read_json(const QString& path) {
  std::ifstream f(path.toStdString());
  return nlohmann::json::parse(f);
}

}  // namespace

class TestDigitsBench : public QObject {
  Q_OBJECT
 private slots:
  // ---- roofline ----
  void flopsOfSmallConfigByHand() {
    const DigitsConfig c = small_cfg();
    // One image of 3 encoder tokens, greedy, 2 steps. Per layer, step 0 (n = 1, p0 = 0):
    //   self qkv 2*1*4*12 = 96, self attention 4*4*1 = 16, self out 32, cross q 32,
    //   cross attention 4*4*1*3 = 48, cross out 32, FFN 4*4*8 = 128, cross K/V 4*16*3 = 192
    //   -> 576; logits 2*4*13 = 104 -> 680.
    // step 1 (n = 1, p0 = 1): self attention 4*4*2 = 32 -> 592 (+ 104) = 696 with the cross K/V
    //   recomputed (self), 696 - 192 = 504 without (full).
    // off step 1 (n = 2, p0 = 0, keys 1 + 2 = 3): qkv 192, attention 48, out 64, cross q 64,
    //   cross attention 4*4*2*3 = 96, cross out 64, FFN 256, cross K/V 192 -> 976 (+ 104) = 1080.
    const auto self = decode_step_costs(c, CacheMode::self, shape(2, 1, {3}), dotakv::KvPrecision::fp32);
    const auto full = decode_step_costs(c, CacheMode::full, shape(2, 1, {3}), dotakv::KvPrecision::fp32);
    const auto off = decode_step_costs(c, CacheMode::off, shape(2, 1, {3}), dotakv::KvPrecision::fp32);
    QCOMPARE(int(self.size()), 2);
    QCOMPARE(self[0].flops, 680.0);
    QCOMPARE(self[1].flops, 696.0);
    QCOMPARE(full[0].flops, 680.0);
    QCOMPARE(full[1].flops, 504.0);
    QCOMPARE(off[0].flops, 680.0);
    QCOMPARE(off[1].flops, 1080.0);
    // Batch 2 x beam 2 (4 rows), images of 3 and 5 tokens, full, step 1 (n = 1, p0 = 1):
    //   rows-linear 4 * (96 + 32 + 32 + 32 + 128) = 1280, self attention 4*4*4*2 = 128,
    //   cross attention 4*4*1*(3+3+5+5) = 256 -> 1664; logits 2*4*4*13 = 416 -> 2080.
    const auto fb = decode_step_costs(c, CacheMode::full, shape(2, 2, {3, 5}), dotakv::KvPrecision::fp32);
    QCOMPARE(fb[1].flops, 2080.0);
    // step 0 adds the cross K/V of both images: 4*16*(3+5) = 512 and has 4*4*4*1 = 64 of self
    // attention: 1280 + 64 + 256 + 512 + 416 = 2528.
    QCOMPARE(fb[0].flops, 2528.0);
  }
  void bytesOfSmallConfigByHand() {
    const DigitsConfig c = small_cfg();
    // decoder weights without cross K/V: layer 6*16 + 2*4*8 + 8 + 4 + 6*4 = 196, plus logits
    // 4*13 + 13 and the final norm 8 -> 269 floats = 1076 bytes; with cross K/V +2*16 floats.
    QCOMPARE(decoder_weight_bytes(c, false), 1076.0);
    QCOMPARE(decoder_weight_bytes(c, true), 1076.0 + 128.0);
    QCOMPARE(kv_token_bytes(c, dotakv::KvPrecision::fp32), 32.0);
    QCOMPARE(kv_token_bytes(c, dotakv::KvPrecision::fp16), 16.0);
    QCOMPARE(kv_token_bytes(c, dotakv::KvPrecision::int8), 8.0 + 16.0);  // + 2 x 2 heads scales
    // full step 1, one image of 3 tokens: weights 1076 + embedding 16 + self read 2 tokens (64)
    // + appended 1 (32) + cross read 3 (96) = 1284.
    const auto full = decode_step_costs(c, CacheMode::full, shape(2, 1, {3}), dotakv::KvPrecision::fp32);
    QCOMPARE(full[1].bytes, 1284.0);
    // step 0 recomputes: weights 1204 + embedding 16 + self 32 + 32 + cross read 96 + memory
    // 4*4*3 = 48 + written 3 tokens 96 = 1524.
    QCOMPARE(full[0].bytes, 1524.0);
    // working set: all weights (1204) + self K/V of 1 row x 3 positions + cross K/V of 3 tokens,
    // 32 bytes each, 1 layer: 1204 + 192 = 1396
    QCOMPARE(roofline_working_set_bytes(c, 2, 1, {24}, dotakv::KvPrecision::fp32), 1396.0);
  }
  void encoderFlopsByHand() {
    const DigitsConfig c = small_cfg();
    // width 8 (1 token): conv1 2*256*9*2 = 9216, conv2 2*64*9*4 = 4608, conv3 2*16*9*4 = 1152,
    // projection 2*1*8*4 = 64, layer 1*(8*16 + 4*4*8) + 4*1*4 = 272 -> 15312.
    QCOMPARE(encoder_flops(c, 8), 15312.0);
  }
  void rooflineTakesTheLargerBoundPerStep() {
    const DigitsConfig c = small_cfg();
    dotakv::bench::Ceilings ceil;
    ceil.fp32_gflops = 1e-6;   // 1000 FLOP/s: compute bound
    ceil.bandwidth_gbs = 1e-9;  // 1 B/s: memory bound wins (bytes > flops / 1000)
    const auto p = predict_roofline(c, CacheMode::full, 2, 1, {24}, dotakv::KvPrecision::fp32, ceil);
    QCOMPARE(p.steps, 2);
    QCOMPARE(p.memory_bound_steps, 2);
    QVERIFY(close(p.decode_s, p.decode_bytes));  // 1 byte per second
    QVERIFY(close(p.total_s, p.encoder_s + p.decode_s));
    QVERIFY(close(p.first_token_s - p.encoder_s,
                  decode_step_costs(c, CacheMode::full, shape(2, 1, {3}), dotakv::KvPrecision::fp32)[0].bytes));
    QVERIFY_THROWS_EXCEPTION(dotakv::ValueError,
                             predict_roofline(c, CacheMode::automatic, 2, 1, {24},
                                              dotakv::KvPrecision::fp32, ceil));
  }
  void syntheticWidthIsTheComposedMean() {
    QCOMPARE(synthetic_string_width(1), 40);    // 4 + 27 + 4 = 35 -> 40
    QCOMPARE(synthetic_string_width(10), 296);  // 4 + 270 + 18 + 4 = 296 (a multiple of 8)
    const GrayImage im = synthetic_string_image(5, 3);
    QCOMPARE(im.width, synthetic_string_width(5));
    float mx = 0, mn = 1;
    for (float v : im.pixels) mx = std::max(mx, v), mn = std::min(mn, v);
    QVERIFY(mx > 0.9f && mn >= 0.f);
  }

  // ---- calibration fit ----
  void fitRecoversKnownConstants() {
    DigitsConfig c = small_cfg();
    c.decoder_layers = 2;
    AutoCalibration truth;
    truth.step_overhead_s = 2e-5;
    truth.row_token_s = 3e-7;
    truth.cross_token_s = 5e-8;
    truth.attn_s = 2e-9;
    std::vector<CalibrationSample> s;
    for (CacheMode m : {CacheMode::off, CacheMode::self, CacheMode::full})
      for (int L : {2, 8, 24})
        for (int B : {1, 4})
          for (int te : {30, 146}) {
            CalibrationSample x;
            x.mode = m;
            x.steps = L;
            x.encoder_tokens.assign(std::size_t(B), te);
            x.seconds = predict_calibrated(c, truth, x);
            s.push_back(x);
          }
    const AutoCalibration fit = fit_calibration(c, s);
    QVERIFY(fit.valid);
    QVERIFY2(close(fit.step_overhead_s, truth.step_overhead_s, 1e-6), qPrintable(QString::number(fit.step_overhead_s)));
    QVERIFY(close(fit.row_token_s, truth.row_token_s, 1e-6));
    QVERIFY(close(fit.cross_token_s, truth.cross_token_s, 1e-6));
    QVERIFY(close(fit.attn_s, truth.attn_s, 1e-6));
    // a zero constant stays zero (non-negative fit of exact data)
    truth.attn_s = 0;
    for (auto& x : s) x.seconds = predict_calibrated(c, truth, x);
    const AutoCalibration fit0 = fit_calibration(c, s);
    QVERIFY(fit0.attn_s >= 0 && fit0.attn_s < 1e-15);
    QVERIFY(close(fit0.row_token_s, truth.row_token_s, 1e-6));
    QVERIFY_THROWS_EXCEPTION(dotakv::ValueError,
                             fit_calibration(c, std::vector<CalibrationSample>(s.begin(), s.begin() + 3)));
  }
  void featuresByHand() {
    DigitsConfig c = small_cfg();
    c.decoder_layers = 2;
    CalibrationSample x;
    x.mode = CacheMode::off;
    x.steps = 2;
    x.beam = 1;
    x.encoder_tokens = {3, 5};  // R = 2
    // rows: 2*1 + 2*2 = 6; cross: 8 + 8 = 16; attn: step 0 n=1: 2 rows * 1 + (3+5) = 10,
    // step 1 n=2: 2 * (2 * 2 + 8) = 24 -> 34; each times Ld = 2.
    const auto f = calibration_features(c, x);
    QCOMPARE(f[0], 2.0);
    QCOMPARE(f[1], 12.0);
    QCOMPARE(f[2], 32.0);
    QCOMPARE(f[3], 68.0);
    x.mode = CacheMode::full;
    const auto g = calibration_features(c, x);
    QCOMPARE(g[1], 8.0);   // 2 rows per step
    QCOMPARE(g[2], 16.0);  // cross once
    QCOMPARE(g[3], 2.0 * (10 + 12));
  }
  void nnlsClampsNegativeCoefficients() {
    // b = 1*x0 - 1*x1 exactly: unconstrained fit has x1 = -1; non-negative: x1 = 0.
    std::vector<std::array<double, 4>> A;
    std::vector<double> b;
    for (int i = 0; i < 6; ++i) {
      A.push_back({1.0, double(i), 0.0, 0.0});
      b.push_back(1.0 - i);
    }
    const auto x = nnls_small(A, b);
    QVERIFY(x[1] == 0.0 && x[0] >= 0 && x[2] == 0 && x[3] == 0);
    for (double v : x) QVERIFY(v >= 0);
  }

  // ---- calibration file ----
  void calibrationRoundTripAndBadFiles() {
    QTemporaryDir dir;
    const std::string p = dir.filePath("cal.json").toStdString();
    AutoCalibration k;
    k.valid = true;
    k.cpu = "Test CPU";
    k.step_overhead_s = 1.5e-5;
    k.row_token_s = 2.25e-7;
    k.cross_token_s = 3e-8;
    k.attn_s = 4e-10;
    save_calibration(p, k);
    const AutoCalibration r = load_calibration(p);
    QVERIFY(r.valid);
    QCOMPARE(QString::fromStdString(r.cpu), QString("Test CPU"));
    QCOMPARE(r.step_overhead_s, k.step_overhead_s);
    QCOMPARE(r.row_token_s, k.row_token_s);
    QCOMPARE(r.cross_token_s, k.cross_token_s);
    QCOMPARE(r.attn_s, k.attn_s);

    auto write = [&](const std::string& name, const std::string& text) {
      const std::string f = dir.filePath(QString::fromStdString(name)).toStdString();
      std::ofstream(f) << text;
      return f;
    };
    auto expect_error = [&](const std::string& f, const char* needle) {
      try {
        load_calibration(f);
        QFAIL(qPrintable("no error for " + QString::fromStdString(f)));
      } catch (const dotakv::Error& e) {
        const QString msg = e.what();
        QVERIFY2(msg.contains(QString::fromStdString(f)) || msg.contains("calibration"),
                 qPrintable(msg));
        QVERIFY2(msg.contains(needle), qPrintable(msg + " lacks " + needle));
      }
    };
    try {
      load_calibration(dir.filePath("missing.json").toStdString());
      QFAIL("missing file accepted");
    } catch (const dotakv::IoError& e) {
      QVERIFY(QString(e.what()).contains("missing.json"));
    }
    expect_error(write("notjson.json", "{ this is not json"), "JSON");
    expect_error(write("nodigits.json", R"({"schema": "x"})"), "digits");
    expect_error(write("nofield.json",
                       R"({"digits": {"valid": true, "step_overhead_s": 1e-5, "row_token_s": 1e-7,
                                      "cross_token_s": 1e-8}})"),
                 "attn_s");
    expect_error(write("negative.json",
                       R"({"digits": {"valid": true, "step_overhead_s": -1e-5, "row_token_s": 1e-7,
                                      "cross_token_s": 1e-8, "attn_s": 0}})"),
                 ">= 0");
  }

  // ---- harness extension ----
  void harnessKeepsPerRunMetricsOfTimedRuns() {
    double t = 0;
    dotakv::bench::HarnessOptions h;
    h.warmup = 2;
    h.reps = 5;
    h.clock = [&t] { return t; };
    auto calls = std::make_shared<int>(0);
    dotakv::bench::Workload w;
    w.label = "a";
    w.run = [&t, calls] {
      const int k = (*calls)++;
      t += 1.0;
      dotakv::bench::RunOutput o;
      o.metrics = {{"first", double(k)}};  // 0 cold, 1-2 warm-up, 3..7 timed
      return o;
    };
    std::vector<dotakv::bench::Workload> ws{w};
    const auto c = dotakv::bench::run_comparison(ws, h);
    const auto& r = c.results[0];
    QCOMPARE(r.cold_metrics.at("first"), 0.0);
    QCOMPARE(r.metric_samples.at("first"), (std::vector<double>{3, 4, 5, 6, 7}));
    const auto ci = dotakv::bench::bootstrap_median_ci(r.metric_samples.at("first"));
    QVERIFY(ci.lo >= 3 && ci.lo <= 5 && ci.hi >= 5 && ci.hi <= 7);
    dotakv::bench::SweepResult sr;
    sr.groups.push_back({});
    sr.comparisons.push_back(c);
    const auto doc = dotakv::bench::results_json(nlohmann::json{{"family", "test"}}, h, sr);
    QCOMPARE(doc["results"][0]["metrics"]["first"]["stats"]["median"].get<double>(), 5.0);
    QCOMPARE(doc["results"][0]["metrics"]["first"]["cold"].get<double>(), 0.0);
  }

  // ---- summary ----
  void summaryFlagsSlowerAndGrowth() {
    auto res = [](int L, const char* mode, double p, double lo, double hi) {
      return nlohmann::json{{"digits", {{"batch", 1}, {"beam", 1}, {"kv_precision", "fp32"},
                                        {"mode", mode}, {"length", L}}},
                            {"speedup", {{"median_ratio", p}, {"ci95", {lo, hi}}}}};
    };
    nlohmann::json doc{{"results", nlohmann::json::array()}};
    doc["results"].push_back(res(5, "full", 1.1, 1.0, 1.2));
    doc["results"].push_back(res(10, "full", 1.5, 1.4, 1.6));
    doc["results"].push_back(res(80, "full", 4.0, 3.8, 4.2));
    doc["results"].push_back(res(5, "self", 0.9, 0.85, 0.95));  // slower beyond noise
    doc["results"].push_back(res(10, "self", 1.0, 0.9, 1.1));
    doc["results"].push_back(res(80, "self", 0.95, 0.9, 1.05));
    const auto s = summarize(doc);
    QCOMPARE(int(s.size()), 1);
    QCOMPARE(int(s[0].modes.size()), 2);
    for (const auto& m : s[0].modes) {
      if (m.mode == "full") {
        QVERIFY(m.slower_at.empty());
        QVERIFY(m.grows);
      } else {
        QCOMPARE(m.slower_at, std::vector<int>{5});
        QVERIFY(!m.grows);
      }
    }
  }

  // ---- CLI ----
  void benchDigitsRunsAndWritesTheSchema() {
    QTemporaryDir dir;
    const QString json = dir.filePath("b.json"), csv = dir.filePath("b.csv");
    qputenv("DOTAKV_DIGITS_POLICY", dir.filePath("no_calibration.json").toUtf8());
    const auto r = run_cli({"bench", "--family", "digits", "--config", "digits-tiny", "--length",
                            "2,4", "--reps", "2", "--warmup", "1", "--json", json, "--csv", csv,
                            "--quiet"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.out.contains("resolves to full"), qPrintable(r.out));
    QVERIFY2(r.out.contains("summary"), qPrintable(r.out));
    const auto doc = read_json(json);
    QCOMPARE(QString::fromStdString(doc["schema"].get<std::string>()), QString("dotakv.bench/1"));
    QCOMPARE(QString::fromStdString(doc["sweep"]["family"].get<std::string>()), QString("digits"));
    QVERIFY(!doc["machine"]["cpu"]["model"].get<std::string>().empty());
    QVERIFY(doc["machine"]["cpu"]["logical_cores"].get<int>() > 0);
    // 2 lengths x 1 batch x 1 beam points, 4 modes each (default off,self,full,auto)
    QCOMPARE(int(doc["results"].size()), 8);
    QVERIFY(doc["digits"]["summary"].is_array());
    QVERIFY(doc["digits"]["ceilings"]["fp32_gemm_gflops"].get<double>() > 0);
    for (const auto& x : doc["results"]) {
      const auto& d = x["digits"];
      QVERIFY(d["per_string_s"]["median"].get<double>() > 0);
      QVERIFY(d["per_string_s"]["ci95"].size() == 2);
      QVERIFY(d["first_token_s"]["median"].get<double>() > 0);
      QVERIFY(d["per_token_s"]["median"].get<double>() > 0);
      QVERIFY(d["roofline"]["total_s"].get<double>() > 0);
      QVERIFY(d["roofline"]["first_token_s"].get<double>() > 0);
      QCOMPARE(int(x["samples_s"].size()), 2);
      QVERIFY(!x["cold_s"].is_null());
      QVERIFY(x["metrics"].contains("first_token_s"));
      QVERIFY(x["cache_bytes"].get<double>() > 0);
      QCOMPARE(x["max_abs_diff"].get<double>(), 0.0);  // same tokens in every fp32 mode
      QCOMPARE(x["kv_effect"]["token_agreement"].get<double>(), 1.0);
      QVERIFY(x["kv_effect"]["max_abs_logit_diff"].get<double>() < 1e-4);
      if (x["reference"].get<bool>()) {
        QVERIFY(x["speedup"].is_null());
      } else {
        QVERIFY(x["speedup"]["ci95"].size() == 2);
      }
      if (d["mode"] == "auto") {
        QCOMPARE(QString::fromStdString(x["auto"]["choice"].get<std::string>()), QString("full"));
        QVERIFY(!x["auto"]["calibrated"].get<bool>());
        QVERIFY(x["auto"]["regret_ci95"].size() == 2);
      }
    }
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QStringList lines = QString(f.readAll()).trimmed().split('\n');
    QCOMPARE(lines.size(), 9);
    QVERIFY(lines[0].startsWith("group,label,length,batch,beam,cache"));
  }
  void benchDigitsKvPrecisionEffect() {
    QTemporaryDir dir;
    const QString json = dir.filePath("kv.json");
    const auto r = run_cli({"bench", "--family", "digits", "--config", "digits-tiny", "--length",
                            "3", "--beam", "2", "--cache", "off,full", "--kv", "fp32,fp16,int8",
                            "--reps", "1", "--warmup", "0", "--json", json, "--quiet"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.out.contains("token agreement"), qPrintable(r.out));
    const auto doc = read_json(json);
    QCOMPARE(int(doc["results"].size()), 4);  // off, full x fp32/fp16/int8
    for (const auto& x : doc["results"]) {
      const double a = x["kv_effect"]["token_agreement"].get<double>();
      QVERIFY(a >= 0 && a <= 1);
      QVERIFY(x["kv_effect"]["max_abs_logit_diff"].get<double>() >= 0);
    }
  }
  void calibrateDigitsWritesAValidFile() {
    QTemporaryDir dir;
    const QString out = dir.filePath("cal.json");
    const auto r = run_cli({"calibrate", "--family", "digits", "--config", "digits-tiny",
                            "--reps", "1", "--out", out});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.out.contains("step_overhead_s") && r.out.contains("break-even"),
             qPrintable(r.out));
    const AutoCalibration k = load_calibration(out.toStdString());
    QVERIFY(k.valid);
    QVERIFY(k.step_overhead_s >= 0 && k.row_token_s >= 0 && k.cross_token_s >= 0 &&
            k.attn_s >= 0);
    // the bench then uses it
    const QString json = dir.filePath("b.json");
    const auto b = run_cli({"bench", "--family", "digits", "--config", "digits-tiny", "--length",
                            "2", "--reps", "1", "--warmup", "0", "--calibration", out, "--json",
                            json, "--quiet"});
    QVERIFY2(b.exit_code == 0, qPrintable(b.err + b.out));
    const auto doc = read_json(json);
    for (const auto& x : doc["results"])
      if (x["digits"]["mode"] == "auto") {
        QVERIFY(x["auto"]["calibrated"].get<bool>());
        QVERIFY(x["auto"]["predicted_decode_s"].contains("off"));
      }
  }
  void badOptionsAreOneLineUsageErrors() {
    QTemporaryDir dir;
    const QString json = dir.filePath("bad.json");
    struct Case {
      QStringList args;
      QString expect;
    };
    const QList<Case> cases{
        {{"--family", "digits", "--length", "0"}, "--length"},
        {{"--family", "digits", "--length", "97"}, "--length"},
        {{"--family", "digits", "--beam", "99"}, "--beam"},
        {{"--family", "digits", "--batch", "0"}, "--batch"},
        {{"--family", "digits", "--cache", "self,full"}, "off"},
        {{"--family", "digits", "--cache", "sometimes"}, "sometimes"},
        {{"--family", "digits", "--kv", "fp8"}, "fp8"},
        {{"--family", "digits", "--slices", "10"}, "--slices"},
        {{"--family", "foo"}, "--family"},
        {{"--family", "dota", "--length", "5"}, "--length"},
        {{"--length", "5"}, "--length"},
    };
    for (const auto& c : cases) {
      QStringList args{"bench", "--config", "digits-tiny", "--json", json, "--quiet"};
      if (c.args.contains("dota") || !c.args.contains("--family")) args[2] = "compact";
      args += c.args;
      const auto r = run_cli(args);
      QVERIFY2(r.exit_code == 2, qPrintable(c.args.join(' ') + " -> " +
                                            QString::number(r.exit_code) + " " + r.err));
      QVERIFY2(r.err.contains("error") && r.err.contains(c.expect),
               qPrintable(c.args.join(' ') + " -> " + r.err));
      QCOMPARE(r.err.trimmed().count('\n'), 0);  // one line
      QVERIFY(!QFile::exists(json));
    }
    const auto r = run_cli({"calibrate", "--family", "foo"});
    QCOMPARE(r.exit_code, 2);
    QCOMPARE(r.err.trimmed().count('\n'), 0);
    // a missing model file: an error (exit 1) naming it
    const auto m = run_cli({"bench", "--family", "digits", "--model", dir.filePath("none.h5"),
                            "--json", json, "--quiet"});
    QCOMPARE(m.exit_code, 1);
    QVERIFY(m.err.contains("none.h5"));
  }
};

QTEST_GUILESS_MAIN(TestDigitsBench)
#include "test_digits_bench.moc"
