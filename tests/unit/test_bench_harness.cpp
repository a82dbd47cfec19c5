// Benchmark harness on synthetic workloads with KNOWN timings (injected clock) and known
// statistics: the numbers expected here are computed by hand, not by the code under test.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <fstream>

#include "dotakv/bench_harness.hpp"
#include "dotakv/error.hpp"

using namespace dotakv::bench;

namespace {

// A fake monotonic clock: run functions advance it by scripted durations.
struct FakeClock {
  double t = 0;
  std::function<double()> fn() {
    return [this] { return t; };
  }
};

Workload fixed_workload(FakeClock& clk, const std::string& label, std::vector<double> script,
                        double steady, std::vector<float> out = {}) {
  auto calls = std::make_shared<size_t>(0);
  Workload w;
  w.label = label;
  w.settings = {{"name", label}};
  w.run = [&clk, calls, script, steady, out] {
    const size_t k = (*calls)++;
    clk.t += k < script.size() ? script[k] : steady;
    return RunOutput{out, 1000};
  };
  return w;
}

}  // namespace

class TestBenchHarness : public QObject {
  Q_OBJECT
 private slots:
  void statsOfKnownOddSet() {
    const Stats s = compute_stats({3, 1, 100, 2, 4});
    QCOMPARE(s.n, 5);
    QCOMPARE(s.median, 3.0);
    QCOMPARE(s.mean, 22.0);
    QCOMPARE(s.min, 1.0);
    QCOMPARE(s.max, 100.0);
    QCOMPARE(s.q1, 2.0);
    QCOMPARE(s.q3, 4.0);
    QCOMPARE(s.iqr, 2.0);
    // sum of squared deviations from 22: 361+400+6084+441+324 = 7610; /4 -> 1902.5
    QVERIFY(std::fabs(s.sd - std::sqrt(1902.5)) < 1e-12);
  }
  void statsOfKnownEvenSet() {
    const Stats s = compute_stats({4, 1, 3, 2});
    QCOMPARE(s.median, 2.5);
    QCOMPARE(s.q1, 1.75);  // h = 3*0.25 = 0.75 between 1 and 2
    QCOMPARE(s.q3, 3.25);
    QCOMPARE(compute_stats({7}).sd, 0.0);
  }
  void statsRejectEmptyAndNonFinite() {
    QVERIFY_THROWS_EXCEPTION(dotakv::ValueError, compute_stats({}));
    QVERIFY_THROWS_EXCEPTION(dotakv::ValueError, compute_stats({1.0, NAN}));
  }
  void bootstrapOfIdenticalSamplesIsExact() {
    const auto e = bootstrap_speedup(std::vector<double>(20, 2.0), std::vector<double>(20, 1.0));
    QCOMPARE(e.point, 2.0);
    QCOMPARE(e.ci.lo, 2.0);
    QCOMPARE(e.ci.hi, 2.0);
  }
  void bootstrapIsDeterministicAndCoversTheTruth() {
    // baseline ~ 2 s, candidate ~ 1 s, each with a deterministic +-5 % spread.
    std::vector<double> a, b;
    for (int i = 0; i < 20; ++i) {
      const double jitter = std::sin(i * 12.9898) * 0.05;
      a.push_back(2.0 * (1 + jitter));
      b.push_back(1.0 * (1 - jitter * 0.7));
    }
    const auto e1 = bootstrap_speedup(a, b, 2000, 42);
    const auto e2 = bootstrap_speedup(a, b, 2000, 42);
    QCOMPARE(e1.ci.lo, e2.ci.lo);
    QCOMPARE(e1.ci.hi, e2.ci.hi);
    QVERIFY(e1.ci.lo <= e1.point && e1.point <= e1.ci.hi);
    QVERIFY(e1.ci.lo < 2.0 && 2.0 < e1.ci.hi);
    QVERIFY(e1.ci.lo > 1.7 && e1.ci.hi < 2.3);
    QVERIFY(e1.ci.hi > e1.ci.lo);  // spread gives a real interval
  }
  void warmupAndColdExcludedFromSamples() {
    FakeClock clk;
    HarnessOptions o;
    o.clock = clk.fn();
    o.warmup = 3;
    o.reps = 5;
    // cold 10 s, warm-up runs 5 s each, then steady 1 s (A) and 0.5 s (B).
    std::vector<Workload> w{fixed_workload(clk, "A", {10, 5, 5, 5}, 1.0),
                            fixed_workload(clk, "B", {8, 4, 4, 4}, 0.5)};
    const auto c = run_comparison(w, o);
    QCOMPARE(*c.results[0].cold_s, 10.0);
    QCOMPARE(*c.results[1].cold_s, 8.0);
    QCOMPARE(c.results[0].samples_s, std::vector<double>(5, 1.0));
    QCOMPARE(c.results[1].samples_s, std::vector<double>(5, 0.5));
    QVERIFY(!c.results[0].speedup.has_value());
    QCOMPARE(c.results[1].speedup->point, 2.0);
    QCOMPARE(c.results[1].speedup->ci.lo, 2.0);
    QCOMPARE(c.results[0].cache_bytes, std::uint64_t(1000));
  }
  void interleavingOrderIsRecorded() {
    FakeClock clk;
    HarnessOptions o;
    o.clock = clk.fn();
    o.warmup = 1;
    o.reps = 4;
    o.reference = 1;  // the reference always runs first in a round
    std::vector<Workload> w{fixed_workload(clk, "A", {}, 1), fixed_workload(clk, "B", {}, 1),
                            fixed_workload(clk, "C", {}, 1)};
    const auto c = run_comparison(w, o);
    QCOMPARE(c.order, (std::vector<int>{1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2}));
    o.interleave = false;
    const auto d = run_comparison(w, o);
    QCOMPARE(d.order, (std::vector<int>{1, 1, 1, 1, 0, 0, 0, 0, 2, 2, 2, 2}));
  }
  void interleavingCancelsLinearDrift() {
    // Two identical workloads on a machine that slows down 1 % per run: interleaving keeps
    // the speedup near 1, running them in blocks reports a spurious ~0.85x.
    FakeClock clk;
    auto drifting = [&](const std::string& label, int& counter) {
      Workload w;
      w.label = label;
      w.run = [&clk, &counter] {
        clk.t += 1.0 + 0.01 * counter++;
        return RunOutput{};
      };
      return w;
    };
    HarnessOptions o;
    o.clock = clk.fn();
    o.warmup = 0;
    o.cold = false;
    o.reps = 20;
    int n1 = 0;
    std::vector<Workload> w{drifting("A", n1), drifting("B", n1)};
    const double inter = run_comparison(w, o).results[1].speedup->point;
    int n2 = 0;
    std::vector<Workload> w2{drifting("A", n2), drifting("B", n2)};
    o.interleave = false;
    const double blocked = run_comparison(w2, o).results[1].speedup->point;
    // Interleaved: A at runs 0,2,..,38 (median 1.19), B at 1,3,..,39 (median 1.20).
    QVERIFY(std::fabs(inter - 1.19 / 1.20) < 1e-9);
    // Blocked: A runs 0..19 (median 1.095), B runs 20..39 (median 1.295).
    QVERIFY(std::fabs(blocked - 1.095 / 1.295) < 1e-9);
  }
  void outputsAreCheckedOnEveryRun() {
    FakeClock clk;
    HarnessOptions o;
    o.clock = clk.fn();
    o.warmup = 1;
    o.reps = 3;
    auto ref = fixed_workload(clk, "ref", {}, 1, {1.f, -4.f, 2.f});
    // The candidate is exact on its first runs and drifts by 0.5 on its last run.
    auto calls = std::make_shared<int>(0);
    Workload cand;
    cand.label = "cand";
    cand.run = [&clk, calls] {
      clk.t += 0.5;
      const float e = ++*calls == 5 ? 0.5f : 0.f;
      return RunOutput{{1.f, -4.f + e, 2.f}, 0};
    };
    std::vector<Workload> w{ref, cand};
    const auto c = run_comparison(w, o);
    QCOMPARE(c.results[1].max_abs_diff, 0.5);
    QCOMPARE(c.results[1].reference_abs_max, 4.0);
    QVERIFY(c.results[1].checked);

    Workload bad;
    bad.label = "bad";
    bad.run = [&clk] {
      clk.t += 1;
      return RunOutput{{1.f, 2.f}, 0};
    };
    std::vector<Workload> w2{ref, bad};
    QVERIFY_THROWS_EXCEPTION(dotakv::ShapeError, run_comparison(w2, o));
  }
  void cancelKeepsFinishedRuns() {
    FakeClock clk;
    HarnessOptions o;
    o.clock = clk.fn();
    o.warmup = 0;
    o.cold = false;
    o.reps = 10;
    int reports = 0;
    dotakv::Progress p([&](double, double, const std::string&) {
      if (++reports == 5) p.cancel();
    });
    std::vector<Workload> w{fixed_workload(clk, "A", {}, 2), fixed_workload(clk, "B", {}, 1)};
    const auto c = run_comparison(w, o, &p);
    QVERIFY(c.cancelled);
    QCOMPARE(c.results[0].samples_s.size(), size_t(3));
    QCOMPARE(c.results[1].samples_s.size(), size_t(2));
    QCOMPARE(c.order.size(), size_t(5));
    QCOMPARE(c.results[1].speedup->point, 2.0);
  }
  void badComparisonsThrow() {
    std::vector<Workload> none;
    QVERIFY_THROWS_EXCEPTION(dotakv::ValueError, run_comparison(none, {}));
    std::vector<Workload> norun(1);
    QVERIFY_THROWS_EXCEPTION(dotakv::ValueError, run_comparison(norun, {}));
  }

  // ---- sweeps -------------------------------------------------------------------------
  void sweepValidationNamesTheProblem() {
    SweepSpec s;
    s.batch = {};
    try {
      validate_sweep(s);
      QFAIL("empty batch list accepted");
    } catch (const dotakv::ValueError& e) {
      QVERIFY(QString(e.what()).contains("--batch"));
      QVERIFY(QString(e.what()).contains("empty"));
    }
    s = SweepSpec{};
    s.workload = "decode";
    try {
      validate_sweep(s);
      QFAIL("unknown workload accepted");
    } catch (const dotakv::ValueError& e) {
      QVERIFY(QString(e.what()).contains("decode"));
    }
    s = SweepSpec{};
    s.model = "/nonexistent/weights.h5";
    QVERIFY_THROWS_EXCEPTION(dotakv::IoError, validate_sweep(s));
    s = SweepSpec{};
    s.workload = "prefix";
    s.slices = {20};
    s.depth = {20};
    QVERIFY_THROWS_EXCEPTION(dotakv::ValueError, validate_sweep(s));
    s = SweepSpec{};
    s.cache = {"maybe"};
    QVERIFY_THROWS_EXCEPTION(dotakv::ValueError, validate_sweep(s));
    s = SweepSpec{};
    s.batch = {0};
    QVERIFY_THROWS_EXCEPTION(dotakv::ValueError, validate_sweep(s));
  }
  void sweepExpandsTheIssueExample() {
    SweepSpec s;
    s.workload = "stream";
    s.batch = {1, 2, 4, 8};
    s.slices = {20, 50, 150};
    s.cache = {"on", "off"};  // the reference (off) still goes first
    const auto g = expand_sweep(s);
    QCOMPARE(g.size(), size_t(12));
    for (const auto& x : g) {
      QCOMPARE(x.settings.size(), size_t(2));
      QCOMPARE(x.settings[0]["cache"].get<std::string>(), std::string("off"));
      QCOMPARE(x.settings[1]["cache"].get<std::string>(), std::string("on"));
    }
    // Irrelevant axes collapse; duplicates are removed; kv precision only varies with a cache.
    SweepSpec f;
    f.workload = "full";
    f.chunk = {1, 5, 10};
    f.batch = {2, 2};
    f.kv_precision = {"fp32", "fp16", "int8"};
    const auto gf = expand_sweep(f);
    QCOMPARE(gf.size(), size_t(1));
    QVERIFY(gf[0].point["chunk"].is_null());
    QCOMPARE(gf[0].settings.size(), size_t(4));  // off + on x {fp32, fp16, int8}
  }
  void sweepRunsAndWritesDocuments() {
    FakeClock clk;
    SweepSpec s;
    s.workload = "stream";
    s.batch = {1, 4};
    s.cache = {"off", "on"};
    s.harness.clock = clk.fn();
    s.harness.reps = 4;
    s.harness.warmup = 1;
    auto factory = [&clk](const nlohmann::json& st) {
      const double t = (st["cache"] == "on" ? 1.0 : 3.0) * st["batch"].get<int>();
      return fixed_workload(clk, "", {}, t, {1.f, 2.f});
    };
    const auto r = run_sweep(s, factory);
    QVERIFY(!r.cancelled);
    QCOMPARE(r.comparisons.size(), size_t(2));
    const auto doc = results_json(s, r);
    QCOMPARE(doc["schema"].get<std::string>(), std::string("dotakv.bench/1"));
    QVERIFY(doc["machine"].contains("cpu"));
    QVERIFY(doc["machine"].contains("git_revision"));
    QCOMPARE(doc["results"].size(), size_t(4));
    const auto& on = doc["results"][1];
    QCOMPARE(on["settings"]["cache"].get<std::string>(), std::string("on"));
    QCOMPARE(on["samples_s"].size(), size_t(4));
    QCOMPARE(on["speedup"]["median_ratio"].get<double>(), 3.0);
    QCOMPARE(on["speedup"]["ci95"][0].get<double>(), 3.0);
    QCOMPARE(on["max_abs_diff"].get<double>(), 0.0);
    QVERIFY(doc["results"][0]["speedup"].is_null());

    const std::string csv = results_csv(doc);
    QCOMPARE(QString::fromStdString(csv).count('\n'), 5);  // header + 4 rows
    QVERIFY(csv.rfind("group,label,workload,batch", 0) == 0);

    QTemporaryDir dir;
    const std::string path = dir.filePath("r.json").toStdString();
    save_results_json(doc, path);
    const auto back = load_results(path);
    QCOMPARE(back["results"].size(), size_t(4));
    std::ofstream(dir.filePath("bad.json").toStdString()) << "{\"schema\":\"other\"}";
    QVERIFY_THROWS_EXCEPTION(dotakv::FormatError,
                             load_results(dir.filePath("bad.json").toStdString()));
    std::ofstream(dir.filePath("trunc.json").toStdString()) << "{\"schema\":\"dotakv.be";
    QVERIFY_THROWS_EXCEPTION(dotakv::FormatError,
                             load_results(dir.filePath("trunc.json").toStdString()));
    QVERIFY_THROWS_EXCEPTION(dotakv::IoError,
                             load_results(dir.filePath("missing.json").toStdString()));
  }
  void cancelledSweepKeepsFinishedGroups() {
    FakeClock clk;
    SweepSpec s;
    s.workload = "full";
    s.batch = {1, 2, 4};
    s.harness.clock = clk.fn();
    s.harness.reps = 3;
    s.harness.warmup = 0;
    s.harness.cold = false;
    int runs = 0;
    dotakv::Progress p;
    auto factory = [&](const nlohmann::json&) {
      Workload w;
      w.run = [&] {
        clk.t += 1;
        if (++runs == 8) p.cancel();  // during the second group
        return RunOutput{};
      };
      return w;
    };
    const auto r = run_sweep(s, factory, &p);
    QVERIFY(r.cancelled);
    QCOMPARE(r.comparisons.size(), size_t(2));
    QCOMPARE(r.comparisons[0].results[0].samples_s.size(), size_t(3));
    QVERIFY(r.comparisons[1].cancelled);
    QCOMPARE(r.comparisons[1].order.size(), size_t(2));  // runs 7 and 8 of 12
    const auto doc = results_json(s, r);
    QVERIFY(doc["cancelled"].get<bool>());
  }
};

QTEST_GUILESS_MAIN(TestBenchHarness)
#include "test_bench_harness.moc"
