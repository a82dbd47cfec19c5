// A simple roofline cost model of DoTA inference, used to EXPLAIN measured benchmark numbers
// (issue 7 §4): each workload is a sequence of steps; a step costs
//     t_step = max(flops_step / compute_peak, bytes_step / bandwidth)
// where flops_step counts multiply-adds as 2 FLOPs in the convolutions, projections,
// attention products and feed-forward layers (norms, softmax, activations ignored), and
// bytes_step = every weight read once (fp32: 4 bytes, bf16: 2 bytes for the heavy tensors)
// + the cached K/V read by the new tokens. compute_peak and bandwidth are MEASURED on the
// running machine (machine_ceilings.hpp), never assumed.
//
// The counts are derived here independently from the ModelConfig fields (not from the
// engine's own counters) so the two can be cross-checked. Dimension legend: model_config.hpp.
//   encoder per slice   conv1 2·H·W·K²·C + conv2 2·(H/2)(W/2)·K²·C² + conv3 2·(H/4)(W/4)·K²·C·P
//   decoder per slice   deconv1 2·(H/4)(W/4)·K²·P·C + deconv2 2·(H/2)(W/2)·K²·C² + out 2·H·W·K²·C
//                       (a stride-2 transposed conv does K²·Cin·Cout MACs per INPUT pixel)
//   transformer, n new tokens after p earlier ones, per layer:
//       QKV 2·n·D·3·NH·KD + out 2·n·NH·KD·D + FFN 4·n·D²
//       + scores and weighted values 4·NH·KD·Σ_{i<n}(p+i+1)   (causal: only needed keys)
// Workloads (as the Session runs them, session.hpp):
//   full          one step over all T tokens
//   stream cache  steps of c slices (token 0 rides with the first step): encoder/decoder of the
//                 new slices, transformer of the new tokens against cached + own keys
//   stream nocache  each step re-runs encoder + transformer over the whole prefix and decodes
//                 the new slices
//   prefix k, cache one step: tokens k+1..S (slices k..S-1) recomputed against the kept K/V
//   prefix k, no cache  a full pass
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dotakv/model_config.hpp"

namespace dotakv::bench {

// Measured machine ceilings (GFLOP/s and GB/s, 1e9 units).
struct Ceilings {
  double fp32_gflops = 0;  // fp32 GEMM peak
  double bf16_gflops = 0;  // bf16 GEMM peak (0: not available; fp32 peak used)
  double bandwidth_gbs = 0;
  nlohmann::json to_json() const;
};
// Measures them (machine_ceilings.hpp; a few seconds, cached per process).
Ceilings measure_ceilings();

struct StepCost {
  double flops = 0;
  double bytes = 0;
};

// FLOPs of one slice through the encoder resp. decoder (batch 1).
double encoder_flops_per_slice(const ModelConfig& c);
double decoder_flops_per_slice(const ModelConfig& c);
// Transformer FLOPs (all L layers) for n new tokens after p earlier ones (batch 1).
double transformer_flops(const ModelConfig& c, int prior, int n);
// Parameter count and weight bytes read per step (bf16: heavy tensors 2 bytes, rest 4).
std::int64_t parameter_count(const ModelConfig& c);
double weight_bytes(const ModelConfig& c, bool bf16);
// Bytes of K and V of `tokens` tokens of one sample at a KV precision ("fp32"|"fp16"|"int8").
double kv_bytes(const ModelConfig& c, int tokens, const std::string& kv_precision);

// The steps of a workload setting (keys as in SweepGroup settings: workload, batch, slices,
// chunk, depth, cache ("on"/"off"), kv_precision, precision). `slices` overrides
// c.num_slices (a model truncated to its first `slices` slices). Throws ValueError for an
// unknown workload.
std::vector<StepCost> workload_steps(const ModelConfig& c, const nlohmann::json& setting);

struct Prediction {
  double flops = 0, bytes = 0;         // totals over steps
  double compute_s = 0, memory_s = 0;  // totals of the two bounds
  double predicted_s = 0;              // Σ max(compute, memory) per step
  int steps = 0, memory_bound_steps = 0;
  nlohmann::json to_json() const;
};
Prediction predict(const ModelConfig& c, const nlohmann::json& setting, const Ceilings& ceil);

}  // namespace dotakv::bench
