// Session: one inference context over a shared immutable Model. Owns the mutable state: the KV
// cache, scratch buffers, oneDNN primitives (created once per shape) and the weights reordered
// into the layouts those primitives want. One Session per thread/user; a Session is NOT
// thread-safe, a Model is (share std::shared_ptr<const Model> between sessions).
//
//   auto model = dotakv::Model::load_shared("weights.h5");
//   dotakv::SessionOptions o;
//   o.mode = dotakv::Mode::stream; o.cache = true; o.chunk = 10;
//   dotakv::Session s(model, o);
//   dotakv::Volume dose = s.infer(ct_hu, 150.0, [](const dotakv::StepInfo& st) {
//     /* slices [st.slice_begin, st.slice_end) of (*st.doses)[b] are final now */ });
//   // CT changed from slice 90 on: only tokens > 90 are recomputed.
//   dotakv::Volume dose2 = s.infer_reusing_prefix(ct2_hu, 150.0, 90);
//
// Modes (the DoTA attention is causal, so slice i's dose depends only on token 0 and slices
// 0..i; see docs/engine.md):
//   full            one causal pass over all T tokens (no cache needed; with cache on the K/V
//                   are stored so that infer_reusing_prefix can follow).
//   stream, cache   steps of `chunk` slices (token 0 rides with the first step): encoder for the
//                   new slices, transformer for the new tokens attending to cached K/V + their
//                   own, decoder for the new slices. Slices of a step are final when it ends.
//   stream, nocache every step re-runs encoder + transformer over the whole prefix (the honest
//                   baseline) and decodes the new slices.
//   prefix reuse    infer_reusing_prefix(): K/V of tokens 0..k (energy + slices < k) are kept
//                   from the previous run of this session; tokens > k are recomputed in one
//                   causal pass and the dose of slices < k is copied from the previous result.
// With fp32 compute and fp32 KV storage every mode equals `full` to float rounding (tested:
// within 1e-5 of the dose maximum).
//
// Inputs: CT in HU as Volume [S, H, W] (the model's grid exactly), energy in MeV in
// [energy_min_mev, energy_max_mev]. Output: dose in Gy per primary, same grid and spacing,
// clipped at zero (Model::output_to_dose; the raw output: infer_scaled).
// Errors: ShapeError (grid != model grid, batch sizes differ, batch < 1 or > max_batch),
// ValueError (NaN/Inf voxel, energy out of range, prefix-reuse claim contradicted by the CT),
// Cancelled (Progress cancelled; outputs are not returned).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dotakv/kv_cache.hpp"
#include "dotakv/model.hpp"
#include "dotakv/progress.hpp"
#include "dotakv/volume.hpp"

namespace dotakv {

enum class Mode { full, stream };
std::string to_string(Mode m);
Mode parse_mode(const std::string& s);  // "full" | "stream"; ConfigError otherwise

struct SessionOptions {
  Mode mode = Mode::full;
  bool cache = true;  // stream: use the KV cache; full: keep K/V for reuse
  int chunk = 1;      // slices per streaming step (>= 1)
  KvPrecision kv_precision = KvPrecision::fp32;
  ComputePrecision precision = ComputePrecision::fp32;
  int threads = 0;     // OpenMP threads; <= 0: leave the process setting
  int max_batch = 64;  // largest batch accepted (cache reserved lazily)
  nlohmann::json to_json() const;
};

// Passed to the per-step callback (stream mode: after every step; full mode: once).
struct StepInfo {
  int step = 0, steps = 1;
  int slice_begin = 0, slice_end = 0;  // slices finished by this step: [begin, end)
  // Dose so far, one Volume per sample (Gy per primary); slices >= slice_end are still 0 (or,
  // in prefix reuse, hold the previous run's values for slices < first changed).
  const std::vector<Volume>* doses = nullptr;
};
using StepCallback = std::function<void(const StepInfo&)>;

struct RunStats {
  std::string mode;  // "full" | "stream" | "prefix"
  bool cache = false;
  int batch = 0, chunk = 0, steps = 0;
  double latency_s = 0.0;            // wall time of the run (inputs checked to outputs)
  std::int64_t tokens_computed = 0;  // token-forwards through the transformer, summed over batch
  std::int64_t tokens_reused = 0;    // tokens whose K/V came from the cache of a previous run
  std::size_t cache_bytes_in_use = 0, cache_bytes_reserved = 0;
  double flops = 0.0;  // model FLOPs of this run (cost model, ModelConfig)
  std::string kv_precision,
      precision;  // precision = what ran (bf16 falls back to fp32 if unsupported)
  nlohmann::json to_json() const;
};

class Session {
 public:
  explicit Session(std::shared_ptr<const Model> model, SessionOptions options = {});
  ~Session();
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const Model& model() const { return *model_; }
  std::shared_ptr<const Model> model_ptr() const { return model_; }
  const SessionOptions& options() const { return options_; }
  // Changes options; keeps primitives where possible, resets the cache if its precision changes.
  void set_options(const SessionOptions& o);

  // Batch inference: cts[b] (HU) with energies[b] (MeV) -> dose[b] (Gy per primary).
  std::vector<Volume> infer(const std::vector<Volume>& cts, const std::vector<double>& energies,
                            const StepCallback& on_step = {}, Progress* progress = nullptr);
  Volume infer(const Volume& ct, double energy_mev, const StepCallback& on_step = {},
               Progress* progress = nullptr);

  // Prefix reuse (batch 1): the previous run of this session (same energy, cache on) left the
  // K/V of all tokens; `ct` must equal the previous CT on slices < first_changed_slice (checked:
  // ValueError otherwise). first_changed_slice < 0: detected by comparing with the previous CT.
  // If nothing reusable exists (no previous run, energy differs, cache off), runs a full pass
  // and reports tokens_reused = 0. Uses options().precision / kv_precision.
  Volume infer_reusing_prefix(const Volume& ct, double energy_mev, int first_changed_slice = -1,
                              const StepCallback& on_step = {}, Progress* progress = nullptr);

  // Works on already-scaled model inputs (x in model units, e scaled to [0,1]) and returns the
  // raw model output (no dose_scale) — for tests against the reference implementation.
  std::vector<Volume> infer_scaled(const std::vector<Volume>& x, const std::vector<float>& e,
                                   const StepCallback& on_step = {}, Progress* progress = nullptr);

  const RunStats& last_stats() const { return stats_; }
  const KVCache& cache() const { return cache_; }
  // Forgets the cache contents and the previous run (no memory released).
  void reset();

 private:
  struct Impl;
  std::shared_ptr<const Model> model_;
  SessionOptions options_;
  KVCache cache_;
  RunStats stats_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dotakv
