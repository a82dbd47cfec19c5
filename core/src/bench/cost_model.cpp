#include "dotakv/cost_model.hpp"

#include <algorithm>

#include "dotakv/error.hpp"

namespace dotakv::bench {

nlohmann::json Ceilings::to_json() const {
  return {{"fp32_gemm_gflops", fp32_gflops},
          {"bf16_gemm_gflops", bf16_gflops},
          {"bandwidth_gbs", bandwidth_gbs}};
}

double encoder_flops_per_slice(const ModelConfig& c) {
  const double H = c.rows(), W = c.cols(), K2 = double(c.kernel_size) * c.kernel_size;
  const double C = c.conv_channels, P = c.bottleneck_channels();
  return 2 * H * W * K2 * C + 2 * (H / 2) * (W / 2) * K2 * C * C +
         2 * (H / 4) * (W / 4) * K2 * C * P;
}

double decoder_flops_per_slice(const ModelConfig& c) {
  const double H = c.rows(), W = c.cols(), K2 = double(c.kernel_size) * c.kernel_size;
  const double C = c.conv_channels, P = c.bottleneck_channels();
  return 2 * (H / 4) * (W / 4) * K2 * P * C + 2 * (H / 2) * (W / 2) * K2 * C * C +
         2 * H * W * K2 * C;
}

double transformer_flops(const ModelConfig& c, int prior, int n) {
  const double D = c.token_dim(), HK = double(c.num_heads) * c.key_dim;
  // Σ_{i<n} (prior + i + 1) keys attended by the new tokens.
  const double keys = double(n) * prior + double(n) * (n + 1) / 2.0;
  const double per_layer =
      2.0 * n * D * 3 * HK + 2.0 * n * HK * D + 4.0 * n * D * D + 4.0 * HK * keys;
  return per_layer * c.num_transformers;
}

std::int64_t parameter_count(const ModelConfig& c) {
  const std::int64_t K2 = std::int64_t(c.kernel_size) * c.kernel_size, C = c.conv_channels,
                     P = c.bottleneck_channels(), D = c.token_dim(),
                     HK = std::int64_t(c.num_heads) * c.key_dim, T = c.num_tokens;
  std::int64_t n = K2 * C + 2 * C + K2 * C * C + 2 * C + K2 * C * P + 2 * P;  // encoder
  n += 2 * D + T * D;                                                         // energy, positions
  n += std::int64_t(c.num_transformers) * (4 * D + 4 * D * HK + 2 * (D * D + D));
  n += K2 * P * C + 2 * C + K2 * C * C + 2 * C + K2 * C + 1;  // decoder
  return n;
}

double weight_bytes(const ModelConfig& c, bool bf16) {
  const double K2 = double(c.kernel_size) * c.kernel_size, C = c.conv_channels,
               P = c.bottleneck_channels(), D = c.token_dim(), HK = double(c.num_heads) * c.key_dim;
  // Heavy tensors: conv kernels and dense kernels.
  const double heavy = K2 * C + K2 * C * C + K2 * C * P +
                       c.num_transformers * (4 * D * HK + 2 * D * D) + K2 * P * C + K2 * C * C +
                       K2 * C;
  const double light = double(parameter_count(c)) - heavy;
  return heavy * (bf16 ? 2 : 4) + light * 4;
}

double kv_bytes(const ModelConfig& c, int tokens, const std::string& kv) {
  const double elems = 2.0 * c.num_transformers * c.num_heads * double(tokens) * c.key_dim;
  if (kv == "fp32") return elems * 4;
  if (kv == "fp16") return elems * 2;
  if (kv == "int8") return elems + 2.0 * c.num_transformers * c.num_heads * double(tokens) * 4;
  throw ValueError("cost model: kv_precision: unknown value '" + kv + "'");
}

std::vector<StepCost> workload_steps(const ModelConfig& c0, const nlohmann::json& st) {
  ModelConfig c = c0;
  const int S = st.value("slices", c0.num_slices);
  if (S < 1) throw ValueError("cost model: slices must be >= 1");
  c.num_slices = S;
  c.num_tokens = S + 1;
  const std::string workload = st.value("workload", std::string("full"));
  const std::string cache = st.value("cache", std::string("off"));
  const std::string kvp = st.value("kv_precision", std::string("fp32"));
  const bool bf16 = st.value("precision", std::string("fp32")) == "bf16";
  const int B = st.value("batch", 1);
  const double enc = encoder_flops_per_slice(c), dec = decoder_flops_per_slice(c);
  const double wbytes = weight_bytes(c, bf16);
  const bool cached = cache == "on";
  std::vector<StepCost> steps;
  auto full_pass = [&] {
    steps.push_back({B * (S * (enc + dec) + transformer_flops(c, 0, S + 1)), wbytes});
  };
  if (workload == "full") {
    full_pass();
  } else if (workload == "stream") {
    const int chunk =
        std::max(1, st.contains("chunk") && st["chunk"].is_number() ? st["chunk"].get<int>() : 1);
    int done = 0;  // slices finished
    while (done < S) {
      const int m = std::min(chunk, S - done);
      const int prior_tokens = done == 0 ? 0 : done + 1;
      const int new_tokens = done == 0 ? m + 1 : m;
      StepCost s;
      if (cached) {
        s.flops = B * (m * (enc + dec) + transformer_flops(c, prior_tokens, new_tokens));
        s.bytes = wbytes + B * kv_bytes(c, prior_tokens, kvp);
      } else {
        s.flops =
            B * ((done + m) * enc + transformer_flops(c, 0, prior_tokens + new_tokens) + m * dec);
        s.bytes = wbytes;
      }
      steps.push_back(s);
      done += m;
    }
  } else if (workload == "prefix") {
    const int k = st.contains("depth") && st["depth"].is_number() ? st["depth"].get<int>() : 0;
    if (k < 0 || k >= S) throw ValueError("cost model: depth must lie in 0..slices-1");
    if (cached) {
      const int m = S - k;  // slices k..S-1 = tokens k+1..S
      steps.push_back({B * (m * (enc + dec) + transformer_flops(c, k + 1, m)),
                       wbytes + B * kv_bytes(c, k + 1, kvp)});
    } else {
      full_pass();
    }
  } else {
    throw ValueError("cost model: unknown workload '" + workload + "'");
  }
  return steps;
}

nlohmann::json Prediction::to_json() const {
  return {{"gflop", flops / 1e9},
          {"weight_and_kv_gb", bytes / 1e9},
          {"compute_bound_s", compute_s},
          {"memory_bound_s", memory_s},
          {"predicted_s", predicted_s},
          {"steps", steps},
          {"memory_bound_steps", memory_bound_steps}};
}

Prediction predict(const ModelConfig& c, const nlohmann::json& st, const Ceilings& ceil) {
  if (!(ceil.fp32_gflops > 0) || !(ceil.bandwidth_gbs > 0))
    throw ValueError("cost model: ceilings must be measured (> 0)");
  const bool bf16 = st.value("precision", std::string("fp32")) == "bf16";
  const double peak = (bf16 && ceil.bf16_gflops > 0 ? ceil.bf16_gflops : ceil.fp32_gflops) * 1e9;
  const double bw = ceil.bandwidth_gbs * 1e9;
  Prediction p;
  for (const auto& s : workload_steps(c, st)) {
    const double tc = s.flops / peak, tm = s.bytes / bw;
    p.flops += s.flops;
    p.bytes += s.bytes;
    p.compute_s += tc;
    p.memory_s += tm;
    p.predicted_s += std::max(tc, tm);
    p.steps += 1;
    if (tm > tc) p.memory_bound_steps += 1;
  }
  return p;
}

}  // namespace dotakv::bench
