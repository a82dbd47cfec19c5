// `dotakv calibrate`: measures this machine's cached vs uncached step costs and writes the
// auto-policy profile used by `--cache auto` (docs/format_bench.md). Nothing is hard-coded:
// the break-even slice count it prints is a measurement of this machine and model.
//
//   dotakv calibrate --family digits [--model M | --config digits-small] [--out F] [--reps N]
// fits the digits auto policy's per-unit costs (digits/bench.hpp) on this machine, writes them
// (default $DOTAKV_DIGITS_POLICY or ~/.cache/dotakv/digits_policy.json) and prints the fit, the
// predicted vs measured grid and the mode auto picks per length and batch.
#include <cstdio>
#include <filesystem>

#include "command.hpp"
#include "dotakv/auto_policy.hpp"
#include "dotakv/bench_workloads.hpp"
#include "dotakv/digits/bench.hpp"
#include "dotakv/error.hpp"
#include "dotakv/model.hpp"
#include "dotakv/sysinfo.hpp"

namespace {

struct CalOptions {
  std::string model, config = "full", batch = "1", chunk = "1,10", depth, out, precision = "fp32",
                     kv = "fp32";
  int reps = 3, threads = 0;
  bool json = false;
  std::string family = "dota";
};

void run_digits_calibrate(const CalOptions& o, bool config_given, bool batch_given) {
  using namespace dotakv::digits;
  if (o.reps < 1)
    throw dotakv::cli::UsageError("--reps: value " + std::to_string(o.reps) + " must be >= 1");
  CalibrateOptions co;
  co.reps = o.reps;
  if (batch_given) {
    try {
      co.batches = dotakv::cli::parse_int_list(o.batch, "--batch");
    } catch (const dotakv::ValueError& e) {
      throw dotakv::cli::UsageError(e.what());
    }
    for (int b : co.batches)
      if (b < 1 || b > 64)
        throw dotakv::cli::UsageError("--batch: value " + std::to_string(b) + " outside 1..64");
  }
  dotakv::set_num_threads(o.threads);
  const auto model = digits_bench_model(o.model, config_given ? o.config : "digits-small");
  const std::string out = o.out.empty() ? default_calibration_path() : o.out;
  std::filesystem::create_directories(std::filesystem::absolute(out).parent_path());
  dotakv::Progress progress([&](double done, double total, const std::string& msg) {
    if (!o.json) dotakv::cli::progress_printf("\r[%3.0f/%3.0f] %-40s", done, total, msg.c_str());
  });
  const CalibrationReport rep = calibrate_digits(model, co, &progress);
  if (!o.json) std::fprintf(stderr, "\n");
  save_calibration(out, rep.calibration);
  const DigitsConfig& c = model->config();
  // break-even: the mode auto picks per length, batch and beam (images of the mean width)
  DigitsSession session(model);
  session.set_calibration(rep.calibration);
  nlohmann::json be = nlohmann::json::array();
  for (int beam : {1, 4})
    for (int B : {1, 8})
      for (int L : {5, 10, 20, 30, 50, 80}) {
        if (L > c.max_digits || synthetic_string_width(L) > c.max_width) continue;
        const int te = synthetic_string_width(L) / 8;
        const std::vector<int> tes(static_cast<std::size_t>(B), te);
        nlohmann::json p;
        for (CacheMode m : {CacheMode::off, CacheMode::self, CacheMode::full})
          p[to_string(m)] = session.predict_seconds(m, tes, L, beam);
        be.push_back({{"length", L},
                      {"batch", B},
                      {"beam", beam},
                      {"encoder_tokens", te},
                      {"predicted_decode_s", p},
                      {"auto", to_string(session.resolve(CacheMode::automatic, tes, L, beam))}});
      }
  if (o.json) {
    nlohmann::json j = rep.to_json(c);
    j["path"] = out;
    j["break_even"] = be;
    dotakv::cli::print_json(j);
    return;
  }
  const auto& k = rep.calibration;
  std::cout << "wrote " << out << " (" << k.cpu << ")\n";
  std::printf(
      "fitted (non-negative least squares on relative residuals, %zu runs, median of %d "
      "reads each after one warm-up):\n"
      "  step_overhead_s %.4g   row_token_s %.4g   cross_token_s %.4g   attn_s %.4g\n",
      rep.samples.size(), o.reps, k.step_overhead_s, k.row_token_s, k.cross_token_s, k.attn_s);
  std::printf("  %-5s %5s %5s %9s %12s %12s %8s\n", "mode", "steps", "batch", "enc tok",
              "measured ms", "model ms", "rel err");
  for (std::size_t i = 0; i < rep.samples.size(); ++i) {
    const auto& s = rep.samples[i];
    std::printf("  %-5s %5d %5zu %9d %12.3f %12.3f %+7.1f%%\n", to_string(s.mode).c_str(), s.steps,
                s.encoder_tokens.size(), s.encoder_tokens.front(), s.seconds * 1e3,
                rep.predicted_s[i] * 1e3, (rep.predicted_s[i] / s.seconds - 1) * 100);
  }
  std::printf("  relative error: median %.1f %%, max %.1f %%\n", rep.median_rel_error * 100,
              rep.max_rel_error * 100);
  std::printf("break-even (predicted decode ms per request; auto picks the cheapest):\n");
  std::printf("  %4s %5s %4s %9s %9s %9s  %s\n", "beam", "batch", "len", "off", "self", "full",
              "auto");
  for (const auto& r : be)
    std::printf(
        "  %4d %5d %4d %9.2f %9.2f %9.2f  %s\n", r["beam"].get<int>(), r["batch"].get<int>(),
        r["length"].get<int>(), r["predicted_decode_s"]["off"].get<double>() * 1e3,
        r["predicted_decode_s"]["self"].get<double>() * 1e3,
        r["predicted_decode_s"]["full"].get<double>() * 1e3, r["auto"].get<std::string>().c_str());
}

void setup_calibrate(CLI::App& app) {
  auto* cmd = app.add_subcommand("calibrate",
                                 "Measure cached vs uncached costs; write the "
                                 "auto-policy profile");
  auto o = std::make_shared<CalOptions>();
  cmd->add_option("--model", o->model, "Weights file (HDF5); default: random weights of --config");
  cmd->add_option("--config", o->config, "full | compact | C.json (without --model)")
      ->capture_default_str();
  cmd->add_option("--batch", o->batch, "Batch sizes to calibrate")->capture_default_str();
  cmd->add_option("--chunk", o->chunk, "Stream chunk sizes to calibrate")->capture_default_str();
  cmd->add_option("--depth", o->depth, "Prefix-reuse depths (default 0,S/4,S/2,3S/4,S-1)");
  cmd->add_option("--reps", o->reps, "Repetitions per measurement (median)")->capture_default_str();
  cmd->add_option("--threads", o->threads, "Threads (0 = all cores)")->capture_default_str();
  cmd->add_option("--precision", o->precision, "fp32 | bf16")->capture_default_str();
  cmd->add_option("--kv-precision", o->kv, "fp32 | fp16 | int8")->capture_default_str();
  cmd->add_option("--out", o->out,
                  "Profile path (default $DOTAKV_POLICY or "
                  "~/.cache/dotakv/auto_policy.json)");
  cmd->add_flag("--json", o->json, "Print the profile as JSON");
  cmd->add_option("--family", o->family, "Model family: dota | digits")->capture_default_str();
  cmd->callback([o, cmd] {
    if (o->family != "dota" && o->family != "digits")
      throw dotakv::cli::UsageError("--family: unknown value '" + o->family +
                                    "' (expected dota|digits)");
    if (o->family == "digits") {
      for (const char* opt : {"--chunk", "--depth", "--precision", "--kv-precision"})
        if (cmd->get_option(opt)->count() > 0)
          throw dotakv::cli::UsageError(std::string(opt) + " applies to --family dota only");
      run_digits_calibrate(*o, cmd->get_option("--config")->count() > 0,
                           cmd->get_option("--batch")->count() > 0);
      return;
    }
    using namespace dotakv::bench;
    if (!o->model.empty() && !std::filesystem::exists(o->model))
      throw dotakv::IoError(o->model + ": model file not found");
    CalibrationOptions co;
    co.batches = dotakv::cli::parse_int_list(o->batch, "--batch");
    co.chunks = dotakv::cli::parse_int_list(o->chunk, "--chunk");
    if (!o->depth.empty()) co.depths = dotakv::cli::parse_int_list(o->depth, "--depth");
    co.reps = o->reps;
    co.precision = o->precision;
    co.kv_precision = o->kv;
    for (int b : co.batches)
      if (b < 1 || b > 64)
        throw dotakv::ValueError("--batch: value " + std::to_string(b) + " outside 1..64");
    for (int c : co.chunks)
      if (c < 1) throw dotakv::ValueError("--chunk: value " + std::to_string(c) + " must be >= 1");
    dotakv::set_num_threads(o->threads);
    const auto model = bench_model(o->model, o->config, 0);
    const std::string out = o->out.empty() ? default_policy_path() : o->out;
    std::filesystem::create_directories(std::filesystem::absolute(out).parent_path());
    dotakv::Progress progress([&](double done, double total, const std::string& msg) {
      if (!o->json) dotakv::cli::progress_printf("\r[%3.0f/%3.0f] %-30s", done, total, msg.c_str());
    });
    const AutoPolicy p = calibrate(model, co, &progress);
    if (!o->json) std::fprintf(stderr, "\n");
    p.save(out);
    if (o->json) {
      dotakv::cli::print_json(p.to_json());
      return;
    }
    std::cout << "wrote " << out << "\n";
    for (const auto& c : p.stream) {
      const int be = p.break_even_slices(c.batch, c.chunk);
      int S = 0;
      for (int m : c.new_slices) S += m;
      std::printf(
          "stream batch %d chunk %d: %d slices cached %.2f ms, uncached %.2f ms; "
          "cache pays off from %s\n",
          c.batch, c.chunk, S, p.predict_stream_s(c, S, c.chunk, true) * 1e3,
          p.predict_stream_s(c, S, c.chunk, false) * 1e3,
          be < 0 ? "never (within the calibrated range)"
                 : (std::to_string(be) + " slices").c_str());
    }
    for (const auto& f : p.full)
      std::printf("full batch %d: %.2f ms without K/V storage, %.2f ms with\n", f.batch,
                  f.off_s * 1e3, f.on_s * 1e3);
    for (const auto& pc : p.prefix) {
      std::printf("prefix reuse batch %d (full pass %.2f ms):", pc.batch, pc.full_s * 1e3);
      for (size_t i = 0; i < pc.depth.size(); ++i)
        std::printf(" k=%d %.2f ms;", pc.depth[i], pc.reuse_s[i] * 1e3);
      std::printf("\n");
    }
  });
}
DOTAKV_REGISTER_COMMAND(setup_calibrate);

}  // namespace
