#include "dotakv/bench_harness.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <numeric>
#include <set>
#include <sstream>

#include "dotakv/atomic_file.hpp"
#include "dotakv/error.hpp"
#include "dotakv/json_file.hpp"
#include "dotakv/sysinfo.hpp"

namespace dotakv::bench {

// ---- statistics ---------------------------------------------------------------------------

double quantile_sorted(const std::vector<double>& v, double p) {
  if (v.empty()) throw ValueError("quantile: empty sample set");
  const double h = (static_cast<double>(v.size()) - 1.0) * std::clamp(p, 0.0, 1.0);
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

Stats compute_stats(const std::vector<double>& samples) {
  if (samples.empty()) throw ValueError("statistics: expected at least one sample, found none");
  for (double x : samples)
    if (!std::isfinite(x)) throw ValueError("statistics: sample is not finite");
  std::vector<double> v = samples;
  std::sort(v.begin(), v.end());
  Stats s;
  s.n = static_cast<int>(v.size());
  s.min = v.front();
  s.max = v.back();
  s.median = quantile_sorted(v, 0.5);
  s.q1 = quantile_sorted(v, 0.25);
  s.q3 = quantile_sorted(v, 0.75);
  s.iqr = s.q3 - s.q1;
  s.mean = std::accumulate(v.begin(), v.end(), 0.0) / s.n;
  double ss = 0;
  for (double x : v) ss += (x - s.mean) * (x - s.mean);
  s.sd = s.n > 1 ? std::sqrt(ss / (s.n - 1)) : 0.0;
  return s;
}

nlohmann::json to_json(const Stats& s) {
  return {{"n", s.n},     {"median", s.median}, {"mean", s.mean}, {"sd", s.sd},  {"min", s.min},
          {"max", s.max}, {"q1", s.q1},         {"q3", s.q3},     {"iqr", s.iqr}};
}

namespace {

// splitmix64: small, portable, deterministic across standard libraries.
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  size_t index(size_t n) { return static_cast<size_t>(next() % n); }
};

double resampled_median(const std::vector<double>& v, SplitMix64& rng, std::vector<double>& buf) {
  buf.resize(v.size());
  for (auto& x : buf) x = v[rng.index(v.size())];
  std::sort(buf.begin(), buf.end());
  return quantile_sorted(buf, 0.5);
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return quantile_sorted(v, 0.5);
}

}  // namespace

SpeedupEstimate bootstrap_speedup(const std::vector<double>& baseline,
                                  const std::vector<double>& candidate, int resamples,
                                  std::uint64_t seed, double level) {
  if (baseline.empty() || candidate.empty())
    throw ValueError("speedup: both sample sets need at least one sample");
  if (resamples < 1) throw ValueError("speedup: resamples must be >= 1");
  if (!(level > 0 && level < 1)) throw ValueError("speedup: level must lie in (0,1)");
  SpeedupEstimate e;
  e.level = level;
  e.resamples = resamples;
  e.seed = seed;
  const double mc = median_of(candidate);
  if (!(mc > 0)) throw ValueError("speedup: candidate median time must be > 0");
  e.point = median_of(baseline) / mc;
  SplitMix64 rng{seed};
  std::vector<double> ratios(resamples), buf;
  for (int i = 0; i < resamples; ++i) {
    const double b = resampled_median(baseline, rng, buf);
    const double c = resampled_median(candidate, rng, buf);
    ratios[i] = b / c;
  }
  std::sort(ratios.begin(), ratios.end());
  e.ci.lo = quantile_sorted(ratios, (1 - level) / 2);
  e.ci.hi = quantile_sorted(ratios, 1 - (1 - level) / 2);
  return e;
}

Interval bootstrap_median_ci(const std::vector<double>& samples, int resamples, std::uint64_t seed,
                             double level) {
  if (samples.empty()) throw ValueError("median CI: expected at least one sample, found none");
  if (resamples < 1) throw ValueError("median CI: resamples must be >= 1");
  if (!(level > 0 && level < 1)) throw ValueError("median CI: level must lie in (0,1)");
  SplitMix64 rng{seed};
  std::vector<double> med(resamples), buf;
  for (int i = 0; i < resamples; ++i) med[i] = resampled_median(samples, rng, buf);
  std::sort(med.begin(), med.end());
  return {quantile_sorted(med, (1 - level) / 2), quantile_sorted(med, 1 - (1 - level) / 2)};
}

// ---- one comparison ------------------------------------------------------------------------

nlohmann::json to_json(const HarnessOptions& o) {
  return {{"warmup", o.warmup},
          {"reps", o.reps},
          {"interleave", o.interleave},
          {"cold", o.cold},
          {"bootstrap_resamples", o.bootstrap_resamples},
          {"seed", o.seed},
          {"ci_level", 0.95},
          {"clock", "std::chrono::steady_clock"}};
}

void compute_speedups(ComparisonResult& c, const HarnessOptions& opts) {
  if (c.results.empty()) return;
  const auto& ref = c.results[c.reference].samples_s;
  for (size_t i = 0; i < c.results.size(); ++i) {
    auto& r = c.results[i];
    r.speedup.reset();
    if (static_cast<int>(i) == c.reference || ref.empty() || r.samples_s.empty()) continue;
    r.speedup = bootstrap_speedup(ref, r.samples_s, opts.bootstrap_resamples, opts.seed);
  }
}

ComparisonResult run_comparison(std::vector<Workload>& w, const HarnessOptions& opts,
                                Progress* progress) {
  if (w.empty()) throw ValueError("benchmark: no settings to compare");
  if (opts.reps < 1)
    throw ValueError("benchmark: reps must be >= 1, found " + std::to_string(opts.reps));
  if (opts.warmup < 0) throw ValueError("benchmark: warmup must be >= 0");
  if (opts.reference < 0 || opts.reference >= static_cast<int>(w.size()))
    throw ValueError("benchmark: reference setting index out of range");
  for (const auto& x : w)
    if (!x.run) throw ValueError("benchmark: setting '" + x.label + "' has no run function");

  const auto now = opts.clock ? opts.clock : [] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  const int n = static_cast<int>(w.size());
  ComparisonResult c;
  c.reference = opts.reference;
  c.results.resize(n);
  for (int i = 0; i < n; ++i) {
    c.results[i].label = w[i].label;
    c.results[i].settings = w[i].settings;
  }
  // Reference first in every round so its output exists before others are checked.
  std::vector<int> idx{opts.reference};
  for (int i = 0; i < n; ++i)
    if (i != opts.reference) idx.push_back(i);

  std::vector<float> ref_out;
  bool have_ref = false;
  const double total = n * ((opts.cold ? 1 : 0) + opts.warmup + opts.reps);
  double done = 0;

  // kind: 0 cold, 1 warm-up (discarded), 2 timed repetition. The sample is stored before
  // progress is reported, so a cancel raised there keeps the finished run.
  auto timed = [&](int i, int kind) {
    if (w[i].before_run) w[i].before_run();
    const double t0 = now();
    RunOutput out = w[i].run();
    const double dt = now() - t0;
    auto& r = c.results[i];
    r.cache_bytes = std::max(r.cache_bytes, out.cache_bytes);
    if (!out.output.empty()) {
      if (i == opts.reference && !have_ref) {
        ref_out = std::move(out.output);
        have_ref = true;
        double m = 0;
        for (float x : ref_out) m = std::max(m, static_cast<double>(std::fabs(x)));
        for (auto& rr : c.results) rr.reference_abs_max = m;
        r.checked = true;
      } else if (have_ref) {
        if (out.output.size() != ref_out.size())
          throw ShapeError("benchmark: setting '" + w[i].label + "' returned " +
                           std::to_string(out.output.size()) + " output values, reference '" +
                           w[opts.reference].label + "' returned " +
                           std::to_string(ref_out.size()));
        double m = 0;
        for (size_t k = 0; k < ref_out.size(); ++k) {
          const double d = std::fabs(static_cast<double>(out.output[k]) - ref_out[k]);
          m = std::max(m, std::isfinite(d) ? d : INFINITY);
        }
        r.max_abs_diff = std::max(r.max_abs_diff, m);
        r.checked = true;
      }
    }
    r.peak_rss_bytes = peak_rss_bytes();
    if (kind == 0) {
      r.cold_s = dt;
      for (const auto& [name, v] : out.metrics) r.cold_metrics[name] = v;
    }
    if (kind == 2) {
      r.samples_s.push_back(dt);
      c.order.push_back(i);
      for (const auto& [name, v] : out.metrics) r.metric_samples[name].push_back(v);
    }
    done += 1;
    report(progress, done, total, w[i].label);
  };

  try {
    for (int i : idx) {
      check_cancel(progress);
      if (w[i].prepare) w[i].prepare();
      if (opts.cold) timed(i, 0);
    }
    if (opts.interleave) {
      for (int k = 0; k < opts.warmup; ++k)
        for (int i : idx) timed(i, 1);
      for (int k = 0; k < opts.reps; ++k)
        for (int i : idx) timed(i, 2);
    } else {
      for (int i : idx) {
        for (int k = 0; k < opts.warmup; ++k) timed(i, 1);
        for (int k = 0; k < opts.reps; ++k) timed(i, 2);
      }
    }
  } catch (const Cancelled&) {
    c.cancelled = true;
  }
  for (int i = 0; i < n; ++i) {
    auto& r = c.results[i];
    if (!r.samples_s.empty()) r.stats = compute_stats(r.samples_s);
    if (w[i].annotate) r.extra.update(w[i].annotate());
  }
  compute_speedups(c, opts);
  return c;
}

// ---- sweeps ---------------------------------------------------------------------------------

namespace {

const std::set<std::string> kWorkloads{"full", "stream", "prefix"};
const std::set<std::string> kCache{"off", "on", "auto"};
const std::set<std::string> kKv{"fp32", "fp16", "int8"};
const std::set<std::string> kPrecision{"fp32", "bf16"};

template <class T>
void need_nonempty(const std::vector<T>& v, const std::string& option) {
  if (v.empty()) throw ValueError("sweep: " + option + ": empty list (give at least one value)");
}
void need_in(const std::vector<std::string>& v, const std::set<std::string>& allowed,
             const std::string& option) {
  need_nonempty(v, option);
  for (const auto& x : v)
    if (!allowed.count(x)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : "|") + a;
      throw ValueError("sweep: " + option + ": unknown value '" + x + "' (expected " + list + ")");
    }
}
void need_range(const std::vector<int>& v, int lo, int hi, const std::string& option) {
  need_nonempty(v, option);
  for (int x : v)
    if (x < lo || x > hi)
      throw ValueError("sweep: " + option + ": value " + std::to_string(x) + " outside " +
                       std::to_string(lo) + ".." + std::to_string(hi));
}
template <class T>
std::vector<T> unique_keep_order(const std::vector<T>& v) {
  std::vector<T> out;
  for (const auto& x : v)
    if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
  return out;
}

}  // namespace

nlohmann::json to_json(const SweepSpec& s) {
  return {{"workload", s.workload},   {"config", s.config},
          {"model", s.model},         {"batch", s.batch},
          {"slices", s.slices},       {"chunk", s.chunk},
          {"depth", s.depth},         {"threads", s.threads},
          {"cache", s.cache},         {"kv_precision", s.kv_precision},
          {"precision", s.precision}, {"policy_profile", s.policy_profile}};
}

void validate_sweep(const SweepSpec& s) {
  if (!kWorkloads.count(s.workload))
    throw ValueError("sweep: --workload: unknown workload '" + s.workload +
                     "' (expected full|stream|prefix)");
  need_range(s.batch, 1, 64, "--batch");
  need_range(s.slices, 1, 150, "--slices");
  need_range(s.chunk, 1, 150, "--chunk");
  need_range(s.threads, 0, 1024, "--threads");
  need_nonempty(s.depth, "--depth");
  if (s.workload == "prefix")
    for (int d : s.depth)
      for (int sl : s.slices)
        if (d < 0 || d >= sl)
          throw ValueError("sweep: --depth: edit depth " + std::to_string(d) +
                           " must lie in 0..slices-1 (slices " + std::to_string(sl) + ")");
  need_in(s.cache, kCache, "--cache");
  need_in(s.kv_precision, kKv, "--kv-precision");
  need_in(s.precision, kPrecision, "--precision");
  if (s.harness.reps < 1) throw ValueError("sweep: --reps must be >= 1");
  if (s.harness.warmup < 0) throw ValueError("sweep: --warmup must be >= 0");
  if (!s.model.empty() && !std::filesystem::exists(s.model))
    throw IoError(s.model + ": model file not found");
}

std::string setting_label(const nlohmann::json& st) {
  std::string l = "cache=" + st.value("cache", std::string("?"));
  const std::string kv = st.value("kv_precision", std::string("fp32"));
  const std::string pr = st.value("precision", std::string("fp32"));
  if (kv != "fp32") l += " kv=" + kv;
  if (pr != "fp32") l += " " + pr;
  return l;
}

std::vector<SweepGroup> expand_sweep(const SweepSpec& s) {
  validate_sweep(s);
  const auto batch = unique_keep_order(s.batch), slices = unique_keep_order(s.slices),
             threads = unique_keep_order(s.threads);
  const auto chunk = s.workload == "stream" ? unique_keep_order(s.chunk) : std::vector<int>{0};
  const auto depth = s.workload == "prefix" ? unique_keep_order(s.depth) : std::vector<int>{0};
  const auto cache = unique_keep_order(s.cache), kv = unique_keep_order(s.kv_precision),
             prec = unique_keep_order(s.precision);
  std::vector<SweepGroup> groups;
  for (int th : threads)
    for (int sl : slices)
      for (int b : batch)
        for (int ch : chunk)
          for (int d : depth) {
            SweepGroup g;
            g.point = {{"workload", s.workload}, {"batch", b}, {"slices", sl}, {"threads", th}};
            g.point["chunk"] = s.workload == "stream" ? nlohmann::json(ch) : nlohmann::json();
            g.point["depth"] = s.workload == "prefix" ? nlohmann::json(d) : nlohmann::json();
            for (const auto& pr : prec)
              for (const auto& c : cache)
                for (const auto& k : kv) {
                  // The KV precision only matters where a cache is used.
                  if (c == "off" && k != kv.front()) continue;
                  nlohmann::json st = g.point;
                  st["cache"] = c;
                  st["kv_precision"] = c == "off" ? std::string("fp32") : k;
                  st["precision"] = pr;
                  st["model"] = s.model;
                  st["config"] = s.config;
                  g.settings.push_back(st);
                }
            // Reference: cache off, fp32 compute if present; it goes first.
            auto is_ref = [](const nlohmann::json& st) {
              return st["cache"] == "off" && st["precision"] == "fp32";
            };
            auto it = std::find_if(g.settings.begin(), g.settings.end(), is_ref);
            if (it == g.settings.end())
              it = std::find_if(g.settings.begin(), g.settings.end(),
                                [](const nlohmann::json& st) { return st["cache"] == "off"; });
            if (it != g.settings.end()) std::rotate(g.settings.begin(), it, it + 1);
            groups.push_back(std::move(g));
          }
  return groups;
}

SweepResult run_sweep(const SweepSpec& spec, const WorkloadFactory& factory, Progress* progress,
                      const GroupHook& hook) {
  if (!factory) throw ValueError("sweep: no workload factory");
  return run_groups(expand_sweep(spec), spec.harness, factory, progress, hook);
}

SweepResult run_groups(const std::vector<SweepGroup>& groups, const HarnessOptions& harness,
                       const WorkloadFactory& factory, Progress* progress, const GroupHook& hook) {
  if (!factory) throw ValueError("sweep: no workload factory");
  SweepResult r;
  double runs_total = 0;
  for (const auto& g : groups)
    runs_total += g.settings.size() * ((harness.cold ? 1 : 0) + harness.warmup + harness.reps);
  double runs_before = 0;
  for (const auto& g : groups) {
    if (progress && progress->cancelled()) {
      r.cancelled = true;
      break;
    }
    std::vector<Workload> w;
    for (const auto& st : g.settings) {
      w.push_back(factory(st));
      if (w.back().label.empty()) w.back().label = setting_label(st);
      nlohmann::json merged = st;  // the sweep's setting, plus whatever the factory adds
      if (w.back().settings.is_object()) merged.update(w.back().settings);
      w.back().settings = merged;
    }
    // Forward per-run progress in sweep-wide units, sharing the caller's cancel flag.
    Progress inner([&](double done, double, const std::string& msg) {
      report(progress, runs_before + done, runs_total,
             "group " + std::to_string(r.groups.size() + 1) + "/" + std::to_string(groups.size()) +
                 ": " + msg);
    });
    Progress* inner_ptr = progress ? &inner : nullptr;
    ComparisonResult c;
    try {
      if (progress && progress->cancelled()) throw Cancelled();
      c = run_comparison(w, harness, inner_ptr);
    } catch (const Cancelled&) {
      r.cancelled = true;
      break;
    }
    if (progress && progress->cancelled()) c.cancelled = true;
    if (hook) hook(g, c);
    r.groups.push_back(g);
    r.comparisons.push_back(std::move(c));
    runs_before += g.settings.size() * ((harness.cold ? 1 : 0) + harness.warmup + harness.reps);
    if (r.comparisons.back().cancelled) {
      r.cancelled = true;
      break;
    }
  }
  return r;
}

// ---- result files ---------------------------------------------------------------------------

namespace {

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::ostringstream os;
  os << std::put_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
  return os.str();
}

}  // namespace

nlohmann::json results_json(const SweepSpec& spec, const SweepResult& r) {
  return results_json(to_json(spec), spec.harness, r);
}

nlohmann::json results_json(const nlohmann::json& sweep, const HarnessOptions& harness,
                            const SweepResult& r) {
  nlohmann::json doc;
  doc["schema"] = "dotakv.bench/1";
  doc["created"] = utc_now();
  doc["machine"] = info_json();
  doc["harness"] = to_json(harness);
  doc["sweep"] = sweep;
  doc["cancelled"] = r.cancelled;
  doc["results"] = nlohmann::json::array();
  doc["order"] = nlohmann::json::array();
  for (size_t g = 0; g < r.comparisons.size(); ++g) {
    const auto& c = r.comparisons[g];
    doc["order"].push_back(c.order);
    for (size_t i = 0; i < c.results.size(); ++i) {
      const auto& x = c.results[i];
      nlohmann::json j;
      j["group"] = g;
      j["label"] = x.label;
      j["settings"] = x.settings;
      j["reference"] = static_cast<int>(i) == c.reference;
      j["reference_label"] = c.results[c.reference].label;
      j["cold_s"] = x.cold_s ? nlohmann::json(*x.cold_s) : nlohmann::json();
      j["samples_s"] = x.samples_s;
      j["stats"] = x.stats.n ? to_json(x.stats) : nlohmann::json();
      j["checked"] = x.checked;
      j["max_abs_diff"] = x.max_abs_diff;
      j["max_abs_diff_rel"] = x.reference_abs_max > 0 ? x.max_abs_diff / x.reference_abs_max : 0.0;
      j["cache_bytes"] = x.cache_bytes;
      j["peak_rss_bytes"] = x.peak_rss_bytes;
      j["cancelled"] = c.cancelled;
      if (x.speedup)
        j["speedup"] = {{"vs", c.results[c.reference].label},
                        {"median_ratio", x.speedup->point},
                        {"ci95", {x.speedup->ci.lo, x.speedup->ci.hi}},
                        {"resamples", x.speedup->resamples}};
      else
        j["speedup"] = nullptr;
      if (!x.metric_samples.empty() || !x.cold_metrics.empty()) {
        nlohmann::json m = nlohmann::json::object();
        for (const auto& [name, v] : x.metric_samples) {
          const Interval ci = bootstrap_median_ci(v, harness.bootstrap_resamples, harness.seed);
          m[name] = {{"samples", v},
                     {"stats", to_json(compute_stats(v))},
                     {"median_ci95", {ci.lo, ci.hi}},
                     {"cold", nullptr}};
        }
        for (const auto& [name, v] : x.cold_metrics) {
          if (!m.contains(name))
            m[name] = {
                {"samples", nlohmann::json::array()}, {"stats", nullptr}, {"median_ci95", nullptr}};
          m[name]["cold"] = v;
        }
        j["metrics"] = m;
      }
      for (const auto& [k, v] : x.extra.items()) j[k] = v;
      doc["results"].push_back(std::move(j));
    }
  }
  return doc;
}

namespace {

std::string csv_field(const nlohmann::json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s.find_first_of(",\"\n") != std::string::npos) {
      std::string q = "\"";
      for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      return q + "\"";
    }
    return s;
  }
  if (v.is_number_float()) {
    std::ostringstream os;
    os << std::setprecision(9) << v.get<double>();
    return os.str();
  }
  return v.dump();
}

const nlohmann::json& at_path(const nlohmann::json& j, const std::vector<std::string>& path) {
  static const nlohmann::json null_value;
  const nlohmann::json* p = &j;
  for (const auto& k : path) {
    if (!p->is_object() || !p->contains(k)) return null_value;
    p = &(*p)[k];
  }
  return *p;
}

}  // namespace

std::string results_csv(const nlohmann::json& doc) {
  struct Col {
    const char* name;
    std::vector<std::string> path;
  };
  const std::vector<Col> cols{
      {"group", {"group"}},
      {"label", {"label"}},
      {"workload", {"settings", "workload"}},
      {"batch", {"settings", "batch"}},
      {"slices", {"settings", "slices"}},
      {"chunk", {"settings", "chunk"}},
      {"depth", {"settings", "depth"}},
      {"threads", {"settings", "threads"}},
      {"cache", {"settings", "cache"}},
      {"kv_precision", {"settings", "kv_precision"}},
      {"precision", {"settings", "precision"}},
      {"n", {"stats", "n"}},
      {"cold_s", {"cold_s"}},
      {"median_s", {"stats", "median"}},
      {"mean_s", {"stats", "mean"}},
      {"sd_s", {"stats", "sd"}},
      {"min_s", {"stats", "min"}},
      {"max_s", {"stats", "max"}},
      {"q1_s", {"stats", "q1"}},
      {"q3_s", {"stats", "q3"}},
      {"iqr_s", {"stats", "iqr"}},
      {"speedup", {"speedup", "median_ratio"}},
      {"ci95_lo", {}},
      {"ci95_hi", {}},
      {"max_abs_diff", {"max_abs_diff"}},
      {"max_abs_diff_rel", {"max_abs_diff_rel"}},
      {"cache_bytes", {"cache_bytes"}},
      {"peak_rss_bytes", {"peak_rss_bytes"}},
      {"predicted_speedup", {"cost_model", "predicted_speedup"}},
      {"predicted_s", {"cost_model", "predicted_s"}},
      {"gflop", {"cost_model", "gflop"}},
      {"gflops_achieved", {"cost_model", "gflops_achieved"}},
      {"auto_choice", {"auto", "choice"}},
      {"auto_regret", {"auto", "regret"}},
  };
  std::ostringstream os;
  for (size_t i = 0; i < cols.size(); ++i) os << (i ? "," : "") << cols[i].name;
  os << "\n";
  for (const auto& r : doc.at("results")) {
    for (size_t i = 0; i < cols.size(); ++i) {
      if (i) os << ",";
      const std::string name = cols[i].name;
      if (name == "ci95_lo" || name == "ci95_hi") {
        const auto& ci = at_path(r, {"speedup", "ci95"});
        if (ci.is_array() && ci.size() == 2) os << csv_field(ci[name == "ci95_lo" ? 0 : 1]);
        continue;
      }
      os << csv_field(at_path(r, cols[i].path));
    }
    os << "\n";
  }
  return os.str();
}

nlohmann::json load_results(const std::string& path) {
  const nlohmann::json doc = read_json_file(path, "benchmark results");
  if (!doc.is_object() || doc.value("schema", std::string()) != "dotakv.bench/1")
    throw FormatError(path + ": field 'schema': expected \"dotakv.bench/1\"");
  if (!doc.contains("results") || !doc["results"].is_array())
    throw FormatError(path + ": field 'results': expected an array");
  for (const auto& r : doc["results"])
    if (!r.is_object() || !r.contains("settings") || !r.contains("samples_s"))
      throw FormatError(path + ": a result lacks 'settings' or 'samples_s'");
  return doc;
}

void save_results_json(const nlohmann::json& doc, const std::string& path) {
  write_text_atomically(path, doc.dump(2) + "\n");
}
void save_results_csv(const nlohmann::json& doc, const std::string& path) {
  write_text_atomically(path, results_csv(doc));
}

}  // namespace dotakv::bench
