// `dotakv bench`: honest benchmark of cache settings (issues 3 and 7).
//   dotakv bench --workload full|stream|prefix --config full|compact [--model W.h5] --batch B
//                --cache on|off --chunk c --precision fp32|bf16 --reps N [--json F]
//   dotakv bench --model W.h5 --workload stream --batch 1,2,4,8 --slices 20,50,150
//                --cache off,on --reps 20 --json out.json --csv out.csv
// Every list option takes comma-separated values; the sweep is their cartesian product, and
// the cache/kv-precision/precision settings of one point are measured interleaved. Prints a
// table (FLOPs per forward, median latency, GFLOP/s against the measured fp32 GEMM peak,
// weight bytes per step against the measured bandwidth, speedup with its 95 % CI, the cost
// model's predicted speedup); --json/--csv write the full results (docs/format_bench.md).
// Ctrl-C stops after the current run and still writes the runs finished so far.
//
//   dotakv bench --family digits [--model M | --config digits-small] --length 5,10,20,30,50,80
//                --batch 1,8 --beam 1,4 --cache off,self,full,auto --kv fp32,fp16,int8 --reps N
//                [--threads T] [--point-budget S] [--calibration F] [--json F] [--csv F]
// The digits family (digits/bench.hpp) runs on the same harness: per (length, batch, beam) the
// cache modes and KV precisions interleaved, time per string, first token, per token, cache
// bytes and the roofline prediction; auto's choice and regret; the KV precision's effect.
#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <set>

#include "command.hpp"
#include "dotakv/atomic_file.hpp"
#include "dotakv/bench_harness.hpp"
#include "dotakv/bench_report.hpp"
#include "dotakv/bench_workloads.hpp"
#include "dotakv/digits/bench.hpp"
#include "dotakv/error.hpp"

namespace {

dotakv::Progress* g_progress = nullptr;
extern "C" void on_sigint(int) {
  if (g_progress) g_progress->cancel();
}

struct BenchOptions {
  std::string workload = "full", config = "full", model, batch = "1", slices, chunk = "1", depth,
              threads = "0", cache = "off,on", kv = "fp32", precision = "fp32", policy, json, csv;
  int reps = 20, warmup = 3;
  bool no_interleave = false, quiet = false, no_cold = false;
  // --family digits
  std::string family = "dota", length = "5,10,20,30,50,80", beam = "1", calibration, mnist_dir;
  double point_budget = 0;
  int min_reps = 5;
};

std::string fmt(const char* f, double v) {
  return dotakv::bench::format_number(f, v);
}
std::string fmt_time(double s) {
  return dotakv::bench::format_duration(s);
}

void print_table(const nlohmann::json& doc) {
  const auto& r0 = doc["results"];
  if (r0.empty()) {
    std::cout << "no finished runs\n";
    return;
  }
  if (r0[0].contains("cost_model")) {
    const auto& c = r0[0]["cost_model"]["ceilings"];
    std::cout << "machine: " << doc["machine"]["cpu"]["model"].get<std::string>() << ", "
              << doc["machine"]["threads"].get<int>() << " threads; measured fp32 GEMM peak "
              << fmt("%.0f", c["fp32_gemm_gflops"].get<double>()) << " GFLOP/s, bf16 "
              << fmt("%.0f", c["bf16_gemm_gflops"].get<double>()) << " GFLOP/s, bandwidth "
              << fmt("%.1f", c["bandwidth_gbs"].get<double>()) << " GB/s\n";
  }
  std::cout << "warm-up " << doc["harness"]["warmup"] << " runs excluded, "
            << doc["harness"]["reps"] << " reps "
            << (doc["harness"]["interleave"].get<bool>() ? "interleaved" : "in blocks")
            << "; speedup = median(reference)/median(setting), 95 % bootstrap CI\n";
  int group = -1;
  for (const auto& r : r0) {
    if (r["group"].get<int>() != group) {
      group = r["group"].get<int>();
      const auto& s = r["settings"];
      std::cout << "\n[" << group << "] " << s["workload"].get<std::string>() << " batch "
                << s["batch"] << " slices " << s["slices"];
      if (!s["chunk"].is_null()) std::cout << " chunk " << s["chunk"];
      if (!s["depth"].is_null()) std::cout << " depth " << s["depth"];
      if (s["threads"].get<int>() > 0) std::cout << " threads " << s["threads"];
      if (r.contains("cost_model"))
        std::cout << "   (" << fmt("%.2f", r["cost_model"]["gflop_per_forward"].get<double>())
                  << " GFLOP per forward of one beamlet, "
                  << fmt("%.1f", r["cost_model"]["weight_bytes_per_step"].get<double>() / 1e6)
                  << " MB weights per step)";
      std::cout << "\n";
      std::printf("  %-22s %10s %11s %10s %9s %7s %17s %8s %10s %9s\n", "setting", "cold", "median",
                  "IQR", "GFLOP/s", "%peak", "speedup [95% CI]", "model", "max|diff|", "cache MB");
    }
    std::string sp = "reference", pred;
    if (!r["speedup"].is_null())
      sp = fmt("%.2f", r["speedup"]["median_ratio"].get<double>()) + " [" +
           fmt("%.2f", r["speedup"]["ci95"][0].get<double>()) + "," +
           fmt("%.2f", r["speedup"]["ci95"][1].get<double>()) + "]";
    double gf = 0, frac = 0;
    if (r.contains("cost_model")) {
      pred = fmt("%.2fx", r["cost_model"].value("predicted_speedup", 0.0));
      gf = r["cost_model"].value("gflops_achieved", 0.0);
      frac = r["cost_model"].value("fraction_of_peak", 0.0);
    }
    const bool has = !r["stats"].is_null();
    std::printf("  %-22s %10s %11s %10s %9.1f %6.1f%% %17s %8s %10.2e %9.2f\n",
                r["label"].get<std::string>().c_str(),
                r["cold_s"].is_null() ? "-" : fmt_time(r["cold_s"].get<double>()).c_str(),
                has ? fmt_time(r["stats"]["median"].get<double>()).c_str() : "-",
                has ? fmt_time(r["stats"]["iqr"].get<double>()).c_str() : "-", gf, frac * 100,
                sp.c_str(), pred.c_str(), r["max_abs_diff"].get<double>(),
                r["cache_bytes"].get<double>() / 1e6);
    if (r.contains("auto")) {
      std::cout << "      auto: " << r["auto"]["reason"].get<std::string>();
      if (r["auto"].contains("regret"))
        std::cout << "; regret vs best fixed "
                  << fmt("%+.1f %%", r["auto"]["regret"].get<double>() * 100);
      std::cout << "\n";
    }
    if (r.contains("cost_model") && r["settings"]["workload"] == "stream" && has) {
      const auto& cm = r["cost_model"];
      std::cout << "      " << cm["steps"] << " steps; predicted "
                << fmt_time(cm["predicted_s"].get<double>()) << " (compute bound "
                << fmt_time(cm["compute_bound_s"].get<double>()) << ", memory bound "
                << fmt_time(cm["memory_bound_s"].get<double>()) << "); measured/predicted "
                << fmt("%.2f", cm.value("measured_over_predicted", 0.0)) << "; weights+KV read "
                << fmt("%.1f", cm.value("bytes_gbs_achieved", 0.0)) << " GB/s vs "
                << fmt("%.1f", cm["ceilings"]["bandwidth_gbs"].get<double>()) << " GB/s measured\n";
    }
  }
  if (doc["cancelled"].get<bool>())
    std::cout << "\n(cancelled: results hold the runs finished so far)\n";
}

std::string ms(double s) {
  return fmt(s < 0.01 ? "%.3f" : s < 1 ? "%.2f" : "%.1f", s * 1e3);
}
std::string ms_ci(const nlohmann::json& m) {
  if (m.is_null()) return "-";
  return ms(m["median"].get<double>()) + " [" + ms(m["ci95"][0].get<double>()) + "," +
         ms(m["ci95"][1].get<double>()) + "]";
}

void print_digits_table(const nlohmann::json& doc) {
  const auto& dg = doc["digits"];
  const auto& ceil = dg["ceilings"];
  std::cout << "machine: " << doc["machine"]["cpu"]["model"].get<std::string>() << ", "
            << doc["machine"]["cpu"]["logical_cores"].get<int>() << " logical cores, "
            << doc["machine"]["threads"].get<int>() << " threads; measured fp32 GEMM peak "
            << fmt("%.0f", ceil["fp32_gemm_gflops"].get<double>()) << " GFLOP/s, bandwidth "
            << fmt("%.1f", ceil["bandwidth_gbs"].get<double>()) << " GB/s\n";
  const auto& sw = doc["sweep"];
  std::cout << "model: "
            << (sw["model"].get<std::string>().empty()
                    ? "random weights of " + sw["config"].get<std::string>()
                    : sw["model"].get<std::string>())
            << " (" << dg["parameters"] << " parameters)\n";
  std::set<std::string> sources;
  for (const auto& im : dg["images"]) sources.insert(im["source"].get<std::string>());
  for (const auto& src : sources) std::cout << "images: " << src << "\n";
  std::cout << "auto: " << dg["calibration_note"].get<std::string>() << "\n";
  std::cout << "warm-up " << doc["harness"]["warmup"] << " runs excluded, up to "
            << doc["harness"]["reps"] << " reps per setting "
            << (doc["harness"]["interleave"].get<bool>() ? "interleaved" : "in blocks")
            << " (n per row); medians with 95 % bootstrap CIs; speedup = median(off)/median(mode);"
               " (roofline) = max(compute, memory) per step at the measured ceilings\n";
  int batch = -1, beam = -1;
  std::vector<const nlohmann::json*> kvrows;
  double fp32_agree = 1, fp32_diff = 0;
  int fp32_n = 0;
  auto flush_kv = [&] {
    if (fp32_n > 0)
      std::printf(
          "  fp32 cache vs off: token agreement %.2f %% (lowest), max|logit diff| %.2e "
          "(one untimed read with logits per setting)\n",
          fp32_agree * 100, fp32_diff);
    fp32_agree = 1, fp32_diff = 0, fp32_n = 0;
    if (kvrows.empty()) return;
    std::cout << "  cache precision effect (one untimed read with logits, vs off fp32; logits "
                 "compared up to the first differing token):\n";
    for (const auto* r : kvrows)
      std::printf("    L=%-3d %-20s token agreement %6.2f %%   max|logit diff| %.2e\n",
                  (*r)["digits"]["length"].get<int>(), (*r)["label"].get<std::string>().c_str(),
                  (*r)["kv_effect"]["token_agreement"].get<double>() * 100,
                  (*r)["kv_effect"]["max_abs_logit_diff"].get<double>());
    kvrows.clear();
  };
  for (const auto& r : doc["results"]) {
    const auto& d = r["digits"];
    if (d["batch"].get<int>() != batch || d["beam"].get<int>() != beam) {
      flush_kv();
      batch = d["batch"].get<int>();
      beam = d["beam"].get<int>();
      std::cout << "\nbatch " << batch << ", "
                << (beam == 1 ? std::string("greedy") : "beam " + std::to_string(beam)) << "\n";
      std::printf("  %4s %-16s %3s %24s %16s %16s %19s %9s %9s %9s\n", "len", "setting", "n",
                  "ms/string [95% CI]", "first tok ms", "per tok ms", "speedup [95% CI]",
                  "cache KiB", "cold ms", "roof ms");
    }
    const auto& rf = d["roofline"];
    std::string sp = "reference";
    if (!r["speedup"].is_null())
      sp = fmt("%.2f", r["speedup"]["median_ratio"].get<double>()) + " [" +
           fmt("%.2f", r["speedup"]["ci95"][0].get<double>()) + "," +
           fmt("%.2f", r["speedup"]["ci95"][1].get<double>()) + "]";
    std::string label = r["label"].get<std::string>();
    if (d["mode"] == "auto") label += "->" + d["effective_mode"].get<std::string>();
    const bool has = !d["first_token_s"].is_null();
    std::printf("  %4d %-16s %3d %24s %16s %16s %19s %9.1f %9s %9s\n", d["length"].get<int>(),
                label.c_str(), d["reps"].get<int>(), ms_ci(d["per_string_s"]).c_str(),
                has ? (ms(d["first_token_s"]["median"].get<double>()) + " (" +
                       ms(rf["first_token_s"].get<double>()) + ")")
                          .c_str()
                    : "-",
                has ? (ms(d["per_token_s"]["median"].get<double>()) + " (" +
                       ms(rf["per_token_s"].get<double>()) + ")")
                          .c_str()
                    : "-",
                sp.c_str(), r["cache_bytes"].get<double>() / 1024.0,
                d["cold_per_string_s"].is_null()
                    ? "-"
                    : ms(d["cold_per_string_s"].get<double>() * batch).c_str(),
                ms(rf["per_string_s"].get<double>()).c_str());
    if (r.contains("auto") && r["auto"].contains("regret") && !r["auto"]["regret"].is_null())
      std::printf("       auto chose %s%s; best fixed %s; regret %s [%s, %s]\n",
                  r["auto"]["choice"].get<std::string>().c_str(),
                  r["auto"]["calibrated"].get<bool>() ? "" : " (no calibration)",
                  r["auto"]["best_fixed"].get<std::string>().c_str(),
                  fmt("%+.1f %%", r["auto"]["regret"].get<double>() * 100).c_str(),
                  fmt("%+.1f %%", r["auto"]["regret_ci95"][0].get<double>() * 100).c_str(),
                  fmt("%+.1f %%", r["auto"]["regret_ci95"][1].get<double>() * 100).c_str());
    if (r.contains("kv_effect") && !r["reference"].get<bool>()) {
      if (d["kv_precision"] == "fp32") {
        fp32_agree = std::min(fp32_agree, r["kv_effect"]["token_agreement"].get<double>());
        fp32_diff = std::max(fp32_diff, r["kv_effect"]["max_abs_logit_diff"].get<double>());
        ++fp32_n;
      } else {
        kvrows.push_back(&r);
      }
    }
  }
  flush_kv();
  std::cout << "\nsummary (slower = speedup CI entirely below 1; grows = no drop beyond noise "
               "between lengths and the longest length's CI above the shortest's):\n";
  for (const auto& s : dg["summary"]) {
    std::string slower, grows;
    for (const auto& m : s["modes"]) {
      if (!m["slower_than_off_at"].empty()) {
        if (!slower.empty()) slower += "; ";
        slower += m["mode"].get<std::string>();
        slower += " at L=";
        bool first = true;
        for (const auto& L : m["slower_than_off_at"]) {
          if (!first) slower += ",";
          slower += std::to_string(L.get<int>());
          first = false;
        }
      }
      if (!grows.empty()) grows += ", ";
      grows += m["mode"].get<std::string>();
      grows += m["speedup_grows_with_length"].get<bool>() ? " yes" : " no";
    }
    std::cout << "  batch " << s["batch"] << " beam " << s["beam"] << " kv "
              << s["kv_precision"].get<std::string>() << ": "
              << (slower.empty() ? "no cached mode slower than off beyond noise"
                                 : "SLOWER than off beyond noise: " + slower)
              << "; speedup grows with length: " << grows << "\n";
  }
  if (doc["cancelled"].get<bool>())
    std::cout << "\n(cancelled: results hold the runs finished so far)\n";
}

void probe_writable(const std::string& f) {
  if (f.empty()) return;
  FILE* probe = std::fopen((f + ".probe").c_str(), "w");
  if (!probe) throw dotakv::IoError(f + ": cannot write here");
  std::fclose(probe);
  std::remove((f + ".probe").c_str());
}

void run_digits_bench(const BenchOptions& o, bool config_given, bool cache_given) {
  using dotakv::cli::parse_int_list;
  using dotakv::cli::parse_string_list;
  using dotakv::cli::UsageError;
  dotakv::digits::DigitsBenchSpec s;
  s.model = o.model;
  s.config = config_given ? o.config : "digits-small";
  s.cache = cache_given ? parse_string_list(o.cache)
                        : std::vector<std::string>{"off", "self", "full", "auto"};
  s.kv_precision = parse_string_list(o.kv);
  s.calibration = o.calibration;
  s.mnist_dir = o.mnist_dir;
  s.point_budget_s = o.point_budget;
  s.min_reps = o.min_reps;
  s.harness.reps = o.reps;
  s.harness.warmup = o.warmup;
  s.harness.interleave = !o.no_interleave;
  s.harness.cold = !o.no_cold;
  try {
    s.lengths = parse_int_list(o.length, "--length");
    s.batches = parse_int_list(o.batch, "--batch");
    s.beams = parse_int_list(o.beam, "--beam");
    const auto th = parse_int_list(o.threads, "--threads");
    if (th.size() != 1) throw dotakv::ValueError("--threads: one value with --family digits");
    s.threads = th.front();
    // Options checked before the model loads (a bad value is a usage error, exit 2).
    dotakv::digits::DigitsConfig bound;  // the largest values any model accepts
    bound.max_digits = 96;
    dotakv::digits::validate(s, bound);
  } catch (const dotakv::ValueError& e) {
    throw UsageError(e.what());
  }
  if (!s.model.empty() && !std::filesystem::exists(s.model))
    throw dotakv::IoError(s.model + ": model file not found");
  std::unique_ptr<dotakv::digits::DigitsBench> bench;
  try {
    bench = std::make_unique<dotakv::digits::DigitsBench>(s);
  } catch (const dotakv::ValueError& e) {  // a value beyond this model's limits
    throw UsageError(e.what());
  }
  probe_writable(o.json);  // fail before minutes of work, not after
  probe_writable(o.csv);
  const bool tty = isatty(2);
  dotakv::Progress progress([&](double done, double total, const std::string& msg) {
    if (o.quiet) return;
    if (tty)
      dotakv::cli::progress_printf("\r[%4.0f/%4.0f] %-70.70s", done, total, msg.c_str());
    else if (int(done) % 50 == 0)
      std::fprintf(stderr, "[%.0f/%.0f] %s\n", done, total, msg.c_str());
  });
  g_progress = &progress;
  auto old = std::signal(SIGINT, on_sigint);
  nlohmann::json doc;
  try {
    doc = bench->run(&progress);
  } catch (...) {
    std::signal(SIGINT, old);
    g_progress = nullptr;
    throw;
  }
  std::signal(SIGINT, old);
  g_progress = nullptr;
  if (tty && !o.quiet) std::fprintf(stderr, "\n");
  if (!o.json.empty()) dotakv::bench::save_results_json(doc, o.json);
  if (!o.csv.empty()) dotakv::write_text_atomically(o.csv, dotakv::digits::digits_results_csv(doc));
  print_digits_table(doc);
  if (doc["cancelled"].get<bool>()) throw dotakv::Cancelled();
}

void setup_bench(CLI::App& app) {
  auto* cmd = app.add_subcommand("bench",
                                 "Benchmark cache settings honestly (warm-up excluded, "
                                 "interleaved reps, CIs, cost model)");
  auto o = std::make_shared<BenchOptions>();
  cmd->add_option("--workload", o->workload, "full | stream | prefix")->capture_default_str();
  cmd->add_option("--config", o->config,
                  "Model configuration without --model: full | compact | C.json")
      ->capture_default_str();
  cmd->add_option("--model", o->model, "Weights file (HDF5); default: seeded random weights");
  cmd->add_option("--batch", o->batch, "Batch sizes, e.g. 1,2,4,8")->capture_default_str();
  cmd->add_option("--slices", o->slices, "Slice counts (<= the model's), e.g. 20,50,150");
  cmd->add_option("--chunk", o->chunk, "stream: slices per step, e.g. 1,10")->capture_default_str();
  cmd->add_option("--depth", o->depth, "prefix: first edited slice k (default slices/2)");
  cmd->add_option("--threads", o->threads, "Thread counts, 0 = all cores, e.g. 1,2")
      ->capture_default_str();
  cmd->add_option("--cache", o->cache, "off,on,auto (compared interleaved)")->capture_default_str();
  cmd->add_option("--kv-precision,--kv", o->kv, "fp32,fp16,int8")->capture_default_str();
  cmd->add_option("--precision", o->precision, "Compute precision fp32,bf16")
      ->capture_default_str();
  cmd->add_option("--reps", o->reps, "Timed repetitions per setting")->capture_default_str();
  cmd->add_option("--warmup", o->warmup, "Discarded warm-up runs per setting")
      ->capture_default_str();
  cmd->add_flag("--no-interleave", o->no_interleave, "Run settings in blocks (to show drift bias)");
  cmd->add_flag("--no-cold", o->no_cold, "Do not time the first run separately");
  cmd->add_option("--policy", o->policy,
                  "Auto-policy profile for --cache auto (default: "
                  "$DOTAKV_POLICY or ~/.cache/dotakv/auto_policy.json)");
  cmd->add_option("--json", o->json, "Write all results as JSON");
  cmd->add_option("--csv", o->csv, "Write one CSV row per result");
  cmd->add_flag("--quiet", o->quiet, "No progress on stderr");
  cmd->add_option("--family", o->family, "Model family: dota | digits")->capture_default_str();
  auto* o_length = cmd->add_option("--length", o->length,
                                   "digits: string lengths (digits decoded, forced), e.g. 5,10,80");
  auto* o_beam = cmd->add_option("--beam", o->beam, "digits: beam widths, 1 = greedy, e.g. 1,4");
  auto* o_calib = cmd->add_option("--calibration", o->calibration,
                                  "digits: auto calibration file (default "
                                  "$DOTAKV_DIGITS_POLICY or ~/.cache/dotakv/digits_policy.json)");
  auto* o_budget = cmd->add_option("--point-budget", o->point_budget,
                                   "digits: seconds of timed runs per point; reps reduced to fit "
                                   "(never below --min-reps)");
  auto* o_minreps =
      cmd->add_option("--min-reps", o->min_reps, "digits: fewest reps with --point-budget")
          ->capture_default_str();
  auto* o_mnist = cmd->add_option("--mnist-dir", o->mnist_dir,
                                  "digits: MNIST directory (default $DOTAKV_MNIST_DIR or "
                                  "~/.cache/dotakv/mnist/...)");
  cmd->callback([o, cmd, o_length, o_beam, o_calib, o_budget, o_minreps, o_mnist] {
    if (o->family != "dota" && o->family != "digits")
      throw dotakv::cli::UsageError("--family: unknown value '" + o->family +
                                    "' (expected dota|digits)");
    if (o->family == "digits") {
      for (const char* opt :
           {"--workload", "--slices", "--chunk", "--depth", "--precision", "--policy"})
        if (cmd->get_option(opt)->count() > 0)
          throw dotakv::cli::UsageError(std::string(opt) + " applies to --family dota only");
      run_digits_bench(*o, cmd->get_option("--config")->count() > 0,
                       cmd->get_option("--cache")->count() > 0);
      return;
    }
    for (const CLI::Option* opt : {o_length, o_beam, o_calib, o_budget, o_minreps, o_mnist})
      if (opt->count() > 0)
        throw dotakv::cli::UsageError(opt->get_name() + " applies to --family digits only");
    using namespace dotakv::bench;
    using dotakv::cli::parse_int_list;
    using dotakv::cli::parse_string_list;
    SweepSpec s;
    s.workload = o->workload;
    s.config = o->config;
    s.model = o->model;
    s.batch = parse_int_list(o->batch, "--batch");
    s.slices = o->slices.empty() ? std::vector<int>{-1} : parse_int_list(o->slices, "--slices");
    s.chunk = parse_int_list(o->chunk, "--chunk");
    s.threads = parse_int_list(o->threads, "--threads");
    s.cache = parse_string_list(o->cache);
    s.kv_precision = parse_string_list(o->kv);
    s.precision = parse_string_list(o->precision);
    s.policy_profile = o->policy;
    s.harness.reps = o->reps;
    s.harness.warmup = o->warmup;
    s.harness.interleave = !o->no_interleave;
    s.harness.cold = !o->no_cold;
    EngineBench eb(s);
    if (s.slices == std::vector<int>{-1}) {
      validate_sweep([&] {  // check model/config before reading the slice count from it
        SweepSpec t = s;
        t.slices = {1};
        t.depth = {0};
        return t;
      }());
      s.slices = {eb.config_of({{"model", s.model}, {"config", s.config}}).num_slices};
    }
    if (o->depth.empty()) {
      s.depth.clear();
      for (int sl : s.slices) s.depth.push_back(sl / 2);
    } else {
      s.depth = parse_int_list(o->depth, "--depth");
    }
    validate_sweep(s);
    if (!o->json.empty() || !o->csv.empty()) {  // fail before hours of work, not after
      for (const auto& f : {o->json, o->csv})
        if (!f.empty()) {
          FILE* probe = std::fopen((f + ".probe").c_str(), "w");
          if (!probe) throw dotakv::IoError(f + ": cannot write here");
          std::fclose(probe);
          std::remove((f + ".probe").c_str());
        }
    }
    EngineBench bench(s);
    const bool tty = isatty(2);
    dotakv::Progress progress([&](double done, double total, const std::string& msg) {
      if (o->quiet) return;
      if (tty)
        dotakv::cli::progress_printf("\r[%4.0f/%4.0f] %-60.60s", done, total, msg.c_str());
      else if (int(done) % 20 == 0 || done == total)
        std::fprintf(stderr, "[%.0f/%.0f] %s\n", done, total, msg.c_str());
    });
    g_progress = &progress;
    auto old = std::signal(SIGINT, on_sigint);
    SweepResult r;
    try {
      r = run_sweep(s, bench.factory(), &progress, bench.hook());
    } catch (...) {
      std::signal(SIGINT, old);
      g_progress = nullptr;
      throw;
    }
    std::signal(SIGINT, old);
    g_progress = nullptr;
    if (tty && !o->quiet) std::fprintf(stderr, "\n");
    const auto doc = results_json(s, r);
    if (!o->json.empty()) save_results_json(doc, o->json);
    if (!o->csv.empty()) save_results_csv(doc, o->csv);
    print_table(doc);
    if (r.cancelled) throw dotakv::Cancelled();
  });
}
DOTAKV_REGISTER_COMMAND(setup_bench);

}  // namespace
