#include <algorithm>
#include <cmath>
#include <filesystem>

#include "dotakv/bench_workloads.hpp"
#include "dotakv/error.hpp"
#include "dotakv/machine_ceilings.hpp"
#include "dotakv/model.hpp"
#include "dotakv/session.hpp"
#include "dotakv/sysinfo.hpp"

namespace dotakv::bench {

Ceilings measure_ceilings() {
  Ceilings c;
  c.fp32_gflops = measure_fp32_gemm_peak_gflops();
  c.bf16_gflops = measure_bf16_gemm_peak_gflops();
  c.bandwidth_gbs = measure_memory_bandwidth_gbs();
  return c;
}

namespace {

std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
double unit(std::uint64_t& s) {
  return double(mix(s++) >> 11) * 0x1.0p-53;
}

std::shared_ptr<const Model> truncate_model(std::shared_ptr<const Model> m, int slices) {
  const ModelConfig& c = m->config();
  if (slices <= 0 || slices == c.num_slices) return m;
  if (slices > c.num_slices)
    throw ValueError("bench: --slices " + std::to_string(slices) + " exceeds the model's " +
                     std::to_string(c.num_slices) + " slices");
  ModelConfig tc = c;
  tc.num_slices = slices;
  tc.num_tokens = slices + 1;
  ModelWeights w = m->weights();
  const std::int64_t D = c.token_dim();
  w.pos_embedding.shape = {tc.num_tokens, D};
  w.pos_embedding.data.resize(std::size_t(tc.num_tokens) * D);
  auto out = std::make_shared<Model>(tc, std::move(w), m->scaling());
  out->set_description(m->description() + " (first " + std::to_string(slices) + " slices)");
  return out;
}

struct Inputs {
  std::vector<Volume> cts, cts_b;  // cts_b: prefix workload's edited CT
  std::vector<double> energies;
};

Inputs make_inputs(const ModelConfig& c, int batch, int depth, std::uint64_t seed) {
  Inputs in;
  std::uint64_t s = seed * 7919 + 17;
  for (int b = 0; b < batch; ++b) {
    in.cts.push_back(synthetic_ct(c.num_slices, c.rows(), c.cols(), seed * 1000 + b));
    in.energies.push_back(70.0 + 150.0 * unit(s));
  }
  // Edited CT: a denser insert from slice `depth` on (slices before it unchanged).
  for (const auto& ct : in.cts) {
    Volume v = ct;
    for (int z = std::max(0, depth); z < v.slices; ++z)
      for (int y = 0; y < v.rows; ++y)
        for (int x = 0; x < v.cols; ++x) v.at(z, y, x) += 250.f;
    in.cts_b.push_back(std::move(v));
  }
  return in;
}

std::vector<float> concat(const std::vector<Volume>& v) {
  std::vector<float> out;
  for (const auto& x : v) out.insert(out.end(), x.data.begin(), x.data.end());
  return out;
}

}  // namespace

Volume synthetic_ct(int slices, int rows, int cols, std::uint64_t seed) {
  Volume v(slices, rows, cols, 0.f);
  std::uint64_t s = seed * 104729 + 3;
  for (int k = 0; k < 6; ++k) {
    const double cz = unit(s) * slices, cy = unit(s) * rows, cx = unit(s) * cols;
    const double r = 2 + unit(s) * 8, hu = -900 + unit(s) * 2100;  // lung .. bone
    for (int z = 0; z < slices; ++z)
      for (int y = 0; y < rows; ++y)
        for (int x = 0; x < cols; ++x) {
          const double d2 = (z - cz) * (z - cz) / 9.0 + (y - cy) * (y - cy) + (x - cx) * (x - cx);
          if (d2 < r * r) v.at(z, y, x) = float(hu);
        }
  }
  for (auto& x : v.data) x += float((unit(s) - 0.5) * 20.0);  // +-10 HU noise
  return v;
}

std::shared_ptr<const Model> bench_model(const std::string& model_path, const std::string& config,
                                         int slices) {
  std::shared_ptr<const Model> m;
  if (!model_path.empty()) {
    m = Model::load_shared(model_path);
  } else {
    auto r =
        Model::random_shared(ModelConfig::from_name_or_file(config.empty() ? "full" : config), 1);
    m = r;
  }
  return truncate_model(m, slices);
}

EngineBench::EngineBench(const SweepSpec& spec) : spec_(spec) {}

const Ceilings& EngineBench::ceilings() {
  if (!ceilings_) {
    // The machine's ceilings use all cores, whatever thread count the current setting chose.
    const int prev = num_threads();
    set_num_threads(0);
    ceilings_ = measure_ceilings();
    set_num_threads(prev);
  }
  return *ceilings_;
}

const AutoPolicy& EngineBench::policy() {
  if (!policy_) {
    const std::string path =
        spec_.policy_profile.empty() ? default_policy_path() : spec_.policy_profile;
    if (!std::filesystem::exists(path))
      throw IoError(path +
                    ": no auto-policy profile; cache=auto needs one: run `dotakv calibrate` "
                    "(with the same --model/--config) first, or pass --policy FILE");
    policy_ = AutoPolicy::load(path);
  }
  return *policy_;
}

ModelConfig EngineBench::config_of(const nlohmann::json& st) {
  const std::string model = st.value("model", std::string());
  const std::string key =
      model.empty() ? "config:" + st.value("config", std::string("full")) : "model:" + model;
  if (!configs_.count(key)) {
    configs_[key] = model.empty()
                        ? ModelConfig::from_name_or_file(st.value("config", std::string("full")))
                        : Model::load(model).config();
  }
  ModelConfig c = configs_[key];
  const int S = st.value("slices", c.num_slices);
  c.num_slices = S;
  c.num_tokens = S + 1;
  return c;
}

WorkloadFactory EngineBench::factory() {
  return [this](const nlohmann::json& st) {
    const std::string workload = st.at("workload").get<std::string>();
    const int batch = st.at("batch").get<int>();
    const int slices = st.at("slices").get<int>();
    const int threads = st.value("threads", 0);
    const int chunk = st["chunk"].is_number() ? st["chunk"].get<int>() : 1;
    const int depth = st["depth"].is_number() ? st["depth"].get<int>() : 0;
    std::string cache = st.at("cache").get<std::string>();
    if (workload == "prefix" && batch != 1)
      throw ValueError(
          "bench: prefix reuse runs batch 1 (Session::infer_reusing_prefix); found "
          "--batch " +
          std::to_string(batch));
    Workload w;
    w.label = setting_label(st);
    w.settings = st;
    nlohmann::json auto_info;
    if (cache == "auto") {
      const auto d = policy().decide({workload, batch, slices, chunk, depth});
      auto_info = d.to_json();
      cache = d.use_cache ? "on" : "off";
    }
    SessionOptions o;
    o.mode = workload == "stream" ? Mode::stream : Mode::full;
    o.cache = cache == "on";
    o.chunk = chunk;
    o.kv_precision = parse_kv_precision(st.value("kv_precision", std::string("fp32")));
    o.precision = parse_compute_precision(st.value("precision", std::string("fp32")));
    o.max_batch = std::max(1, batch);
    const std::string model_path = st.value("model", std::string());
    const std::string config = st.value("config", std::string("full"));

    struct State {
      std::shared_ptr<const Model> model;
      std::unique_ptr<Session> session;
      Inputs in;
      RunStats last;
    };
    auto state = std::make_shared<State>();
    w.prepare = [state, o, model_path, config, slices, batch, depth, threads] {
      set_num_threads(threads);
      state->model = bench_model(model_path, config, slices);
      state->session = std::make_unique<Session>(state->model, o);
      state->in = make_inputs(state->model->config(), batch, depth, 1);
    };
    const bool prefix = workload == "prefix";
    const bool prefix_cached = prefix && o.cache;
    w.before_run = [state, threads, prefix_cached, depth] {
      set_num_threads(threads);
      if (prefix_cached) {
        state->session->reset();
        state->session->infer(state->in.cts[0], state->in.energies[0]);
      }
    };
    w.run = [state, prefix, prefix_cached, depth] {
      RunOutput out;
      if (prefix_cached) {
        out.output =
            state->session->infer_reusing_prefix(state->in.cts_b[0], state->in.energies[0], depth)
                .data;
      } else if (prefix) {
        out.output = state->session->infer(state->in.cts_b[0], state->in.energies[0]).data;
      } else {
        out.output = concat(state->session->infer(state->in.cts, state->in.energies));
      }
      state->last = state->session->last_stats();
      out.cache_bytes = state->last.cache_bytes_in_use;
      return out;
    };
    w.annotate = [state, auto_info, cache] {
      nlohmann::json j;
      j["engine"] = state->last.to_json();
      j["effective_cache"] = cache;
      if (!auto_info.is_null()) j["auto"] = auto_info;
      return j;
    };
    return w;
  };
}

GroupHook EngineBench::hook() {
  return [this](const SweepGroup&, ComparisonResult& c) {
    const Ceilings& ceil = ceilings();
    std::vector<double> predicted(c.results.size(), 0);
    for (size_t i = 0; i < c.results.size(); ++i) {
      auto& r = c.results[i];
      nlohmann::json st = r.settings;
      if (r.extra.contains("effective_cache")) st["cache"] = r.extra["effective_cache"];
      const ModelConfig cfg = config_of(st);
      const Prediction p = predict(cfg, st, ceil);
      predicted[i] = p.predicted_s;
      nlohmann::json cm = p.to_json();
      cm["ceilings"] = ceil.to_json();
      cm["gflop_per_forward"] = workload_steps(cfg, nlohmann::json{{"workload", "full"},
                                                                   {"slices", cfg.num_slices},
                                                                   {"batch", 1}})[0]
                                    .flops /
                                1e9;
      cm["weight_bytes_per_step"] = weight_bytes(cfg, st.value("precision", "fp32") == "bf16");
      if (r.stats.n > 0 && r.stats.median > 0) {
        cm["gflops_achieved"] = p.flops / 1e9 / r.stats.median;
        const bool bf16 = st.value("precision", "fp32") == "bf16" && ceil.bf16_gflops > 0;
        cm["fraction_of_peak"] =
            p.flops / 1e9 / r.stats.median / (bf16 ? ceil.bf16_gflops : ceil.fp32_gflops);
        cm["bytes_gbs_achieved"] = p.bytes / 1e9 / r.stats.median;
        cm["measured_over_predicted"] = r.stats.median / p.predicted_s;
      }
      r.extra["cost_model"] = cm;
    }
    const double ref_pred = predicted[c.reference];
    for (size_t i = 0; i < c.results.size(); ++i)
      c.results[i].extra["cost_model"]["predicted_speedup"] =
          predicted[i] > 0 ? ref_pred / predicted[i] : 0.0;
    // Auto's regret against the best fixed choice measured in this group (needs off and on).
    int i_auto = -1;
    double best_fixed = INFINITY;
    for (size_t i = 0; i < c.results.size(); ++i) {
      const auto& r = c.results[i];
      if (r.stats.n == 0) continue;
      const std::string cache = r.settings.value("cache", "");
      if (cache == "auto") i_auto = int(i);
      if (cache == "on" || cache == "off") best_fixed = std::min(best_fixed, r.stats.median);
    }
    if (i_auto >= 0 && std::isfinite(best_fixed)) {
      auto& a = c.results[i_auto].extra["auto"];
      a["best_fixed_median_s"] = best_fixed;
      a["regret"] = c.results[i_auto].stats.median / best_fixed - 1.0;
    }
  };
}

}  // namespace dotakv::bench
