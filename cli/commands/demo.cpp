// `dotakv demo`: a water phantom with a bone slab, the DoTA engine in full and stream+cache
// modes (fp16/int8 KV storage, bf16 compute, prefix reuse after a downstream edit), with a
// readable summary: latency, speedup, max difference to `full` fp32, cache bytes. Uses --model if
// given, else seeded random weights.
#include <algorithm>
#include <chrono>
#include <cmath>

#include "command.hpp"
#include "dotakv/error.hpp"
#include "dotakv/session.hpp"

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
double max_diff(const dotakv::Volume& a, const dotakv::Volume& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.data.size(); ++i)
    d = std::max(d, double(std::fabs(a.data[i] - b.data[i])));
  return d;
}
double max_abs(const dotakv::Volume& a) {
  double d = 0;
  for (float v : a.data) d = std::max(d, double(std::fabs(v)));
  return d;
}

void setup_demo(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "demo", "Run DoTA on a water + bone-slab phantom in every mode and summarize");
  struct Opts {
    std::string model, config = "full";
    std::uint64_t seed = 1;
    double energy = 150.0;
    int reps = 3, chunk = 1, threads = 0;
    bool baseline = false, json = false, bf16 = true;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("--model", o->model, "Weights file (default: random weights of --config)");
  cmd->add_option("--config", o->config, "full | compact | config JSON (for random weights)")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Seed of the random weights")->capture_default_str();
  cmd->add_option("--energy", o->energy, "Beam energy in MeV")->capture_default_str();
  cmd->add_option("--reps", o->reps, "Timed repetitions per mode (median reported)")
      ->capture_default_str();
  cmd->add_option("--chunk", o->chunk, "Slices per streaming step")->capture_default_str();
  cmd->add_option("--threads", o->threads, "Threads (0: all cores)");
  cmd->add_flag("--baseline", o->baseline,
                "Also run stream without cache (recomputes the prefix every step; slow)");
  cmd->add_flag("!--no-bf16", o->bf16, "Skip the bf16 compute row");
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->callback([o] {
    if (o->reps < 1)
      throw dotakv::ValueError("--reps: expected >= 1, found " + std::to_string(o->reps));
    auto model = o->model.empty() ? dotakv::Model::random_shared(
                                        dotakv::ModelConfig::from_name_or_file(o->config), o->seed)
                                  : dotakv::Model::load_shared(o->model);
    const auto& c = model->config();
    // water (0 HU) with a 2 cm bone slab (1200 HU) from 4 cm depth; 2 mm voxels
    dotakv::Volume ct(c.num_slices, c.rows(), c.cols(), 0.f);
    for (int z = 20; z < std::min(30, c.num_slices); ++z)
      for (int i = 0; i < c.rows() * c.cols(); ++i) ct.slice(z)[i] = 1200.f;
    // an edited CT: lung (-750 HU) inserted from 2/3 of the depth on
    dotakv::Volume edited = ct;
    const int edit_from = c.num_slices * 2 / 3;
    for (int z = edit_from; z < std::min(edit_from + 15, c.num_slices); ++z)
      for (int i = 0; i < c.rows() * c.cols(); ++i) edited.slice(z)[i] = -750.f;

    struct Row {
      std::string name;
      double latency_s = 0, diff = 0, cold_s = 0;
      std::size_t cache_bytes = 0;
      std::int64_t tokens = 0, reused = 0;
    };
    std::vector<Row> rows;
    dotakv::Volume ref;
    auto run = [&](const std::string& name, dotakv::SessionOptions so, const dotakv::Volume& input,
                   const dotakv::Volume* against) {
      so.threads = o->threads;
      dotakv::Session s(model, so);
      Row r;
      r.name = name;
      const auto t0 = std::chrono::steady_clock::now();
      dotakv::Volume d = s.infer(input, o->energy);
      r.cold_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::vector<double> t;
      for (int i = 0; i < o->reps; ++i) {
        d = s.infer(input, o->energy);
        t.push_back(s.last_stats().latency_s);
      }
      r.latency_s = median(t);
      r.cache_bytes = s.last_stats().cache_bytes_in_use;
      r.tokens = s.last_stats().tokens_computed;
      if (against) r.diff = max_diff(d, *against) / std::max(max_abs(*against), 1e-30);
      rows.push_back(r);
      return d;
    };
    dotakv::SessionOptions full;
    full.mode = dotakv::Mode::full;
    full.cache = false;
    ref = run("full", full, ct, nullptr);
    dotakv::SessionOptions stream;
    stream.mode = dotakv::Mode::stream;
    stream.cache = true;
    stream.chunk = o->chunk;
    run("stream + cache (chunk " + std::to_string(o->chunk) + ")", stream, ct, &ref);
    for (auto kv : {dotakv::KvPrecision::fp16, dotakv::KvPrecision::int8}) {
      dotakv::SessionOptions q = stream;
      q.kv_precision = kv;
      run("stream + cache, " + dotakv::to_string(kv) + " KV", q, ct, &ref);
    }
    if (o->bf16) {
      dotakv::SessionOptions b = full;
      b.precision = dotakv::ComputePrecision::bf16;
      run("full, bf16 compute", b, ct, &ref);
    }
    if (o->baseline) {
      stream.cache = false;
      run("stream, no cache (chunk " + std::to_string(o->chunk) + ")", stream, ct, &ref);
    }
    // prefix reuse: run the original, then the edited CT reusing slices < edit_from
    {
      dotakv::SessionOptions so = full;
      so.cache = true;
      so.threads = o->threads;
      dotakv::Session s(model, so);
      dotakv::Session f(model, full);
      const dotakv::Volume edited_ref = f.infer(edited, o->energy);
      std::vector<double> t;
      dotakv::Volume d;
      for (int i = 0; i < o->reps + 1; ++i) {
        s.infer(ct, o->energy);
        d = s.infer_reusing_prefix(edited, o->energy, edit_from);
        if (i > 0) t.push_back(s.last_stats().latency_s);
      }
      Row r;
      r.name = "prefix reuse (edit from slice " + std::to_string(edit_from) + ")";
      r.latency_s = median(t);
      r.cache_bytes = s.last_stats().cache_bytes_in_use;
      r.tokens = s.last_stats().tokens_computed;
      r.reused = s.last_stats().tokens_reused;
      r.diff = max_diff(d, edited_ref) / std::max(max_abs(edited_ref), 1e-30);
      rows.push_back(r);
    }
    const double full_s = rows[0].latency_s;
    if (o->json) {
      nlohmann::json j = {{"model", model->description()},
                          {"config", c.to_json()},
                          {"energy_mev", o->energy},
                          {"flops_full", c.flops_full()},
                          {"rows", nlohmann::json::array()}};
      for (const auto& r : rows)
        j["rows"].push_back({{"name", r.name},
                             {"latency_s", r.latency_s},
                             {"cold_s", r.cold_s},
                             {"speedup_vs_full", full_s / r.latency_s},
                             {"max_diff_over_dose_max", r.diff},
                             {"cache_bytes", r.cache_bytes},
                             {"tokens_computed", r.tokens},
                             {"tokens_reused", r.reused}});
      dotakv::cli::print_json(j);
      return;
    }
    std::printf(
        "dotakv demo: %s (%.1f GFLOP per forward), water + 2 cm bone slab at 4 cm, %.0f MeV\n",
        model->description().c_str(), c.flops_full() * 1e-9, o->energy);
    std::printf("full pass: %.1f ms median of %d (%.1f GFLOP/s), first call %.1f ms\n\n",
                full_s * 1e3, o->reps, c.flops_full() / full_s * 1e-9, rows[0].cold_s * 1e3);
    std::printf("%-42s %12s %10s %14s %12s %10s\n", "mode", "latency ms", "vs full", "max diff/max",
                "cache MB", "tokens");
    for (const auto& r : rows)
      std::printf("%-42s %12.1f %9.2fx %14.2e %12.2f %10lld%s\n", r.name.c_str(), r.latency_s * 1e3,
                  full_s / r.latency_s, r.diff, r.cache_bytes / 1e6, (long long)r.tokens,
                  r.reused ? (" (+" + std::to_string(r.reused) + " reused)").c_str() : "");
    std::printf(
        "\nstream + cache delivers the dose slice by slice (each slice final when its step ends);\n"
        "prefix reuse recomputes only the tokens after the edit.\n");
  });
}
DOTAKV_REGISTER_COMMAND(setup_demo);

}  // namespace
