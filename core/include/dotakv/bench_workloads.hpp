// Engine workloads for the benchmark harness (bench_harness.hpp): turns a sweep setting into a
// timed DoTA inference on a Session, and annotates the results with the cost model
// (cost_model.hpp), the measured machine ceilings and the auto policy's decision and regret.
//
// A setting (keys from expand_sweep) becomes:
//   prepare     load the model (--model file, else seeded random weights of --config), cut it
//               to `slices` slices if needed (exact: attention is causal, so the first S slices
//               of a 150-slice model depend on nothing after them), create the Session, make
//               the inputs (seeded synthetic CTs in HU, energies in 70..220 MeV);
//   run         workload full:   Session::infer (mode full, cache as set)
//               workload stream: Session::infer (mode stream, chunk, cache as set)
//               workload prefix: cache on: untimed infer on CT A, then timed
//                                infer_reusing_prefix on CT B (= A on slices < depth);
//                                cache off: timed full pass on CT B (batch 1 only)
//   output      all doses concatenated (checked against the reference setting)
//   cache=auto  decided by the AutoPolicy profile (default_policy_path() unless given); the
//               decision and its reason are stored in the result as "auto".
// Threads: `threads` 0 = all cores, set before every run (OpenMP, hence oneDNN).
#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "dotakv/auto_policy.hpp"
#include "dotakv/bench_harness.hpp"
#include "dotakv/cost_model.hpp"
#include "dotakv/model_config.hpp"
#include "dotakv/volume.hpp"

namespace dotakv {
class Model;
}

namespace dotakv::bench {

// The model a setting runs: `model_path` (HDF5) or ModelConfig::from_name_or_file(config) with
// seeded random weights (seed 1), truncated to `slices` slices (0 = keep). Throws ValueError if
// slices exceeds the model's.
std::shared_ptr<const Model> bench_model(const std::string& model_path, const std::string& config,
                                         int slices);

// Shared state of one benchmark invocation (ceilings measured once, policy loaded once).
class EngineBench {
 public:
  explicit EngineBench(const SweepSpec& spec);
  // Factory for run_sweep.
  WorkloadFactory factory();
  // Hook for run_sweep: cost model, achieved GFLOP/s and GB/s, auto regret.
  GroupHook hook();
  // Measured ceilings (first call measures, a few seconds).
  const Ceilings& ceilings();
  // Model configuration of a setting (after truncation to its slice count).
  ModelConfig config_of(const nlohmann::json& setting);
  const AutoPolicy& policy();

 private:
  SweepSpec spec_;
  std::optional<Ceilings> ceilings_;
  std::optional<AutoPolicy> policy_;
  std::map<std::string, ModelConfig> configs_;
};

// Synthetic CT in HU for benchmarks: water with seeded lower/higher-density blobs.
Volume synthetic_ct(int slices, int rows, int cols, std::uint64_t seed);

}  // namespace dotakv::bench
