// `dotakv calibrate`: measures this machine's cached vs uncached step costs and writes the
// auto-policy profile used by `--cache auto` (docs/format_bench.md). Nothing is hard-coded:
// the break-even slice count it prints is a measurement of this machine and model.
#include <cstdio>
#include <filesystem>

#include "command.hpp"
#include "dotakv/auto_policy.hpp"
#include "dotakv/bench_workloads.hpp"
#include "dotakv/error.hpp"
#include "dotakv/model.hpp"
#include "dotakv/sysinfo.hpp"

namespace {

struct CalOptions {
  std::string model, config = "full", batch = "1", chunk = "1,10", depth, out, precision = "fp32",
                     kv = "fp32";
  int reps = 3, threads = 0;
  bool json = false;
};

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
  cmd->callback([o] {
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
      if (!o->json) std::fprintf(stderr, "\r[%3.0f/%3.0f] %-30s", done, total, msg.c_str());
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
