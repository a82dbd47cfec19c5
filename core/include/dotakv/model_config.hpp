// ModelConfig: the hyper-parameters of the DoTA architecture (Pastor-Serrano & Perko 2022),
// read from / written to JSON with the keys of DoTA's own hyperparam.json plus three of ours.
//
//   {"num_slices": 150, "data_shape": [24, 24, 1], "num_tokens": 151, "kernel_size": 5,
//    "num_heads": 16, "num_transformers": 1, "projection_dim": [6, 6, 12],
//    "conv_channels": 64, "key_dim": 432, "causal": true}
//
// Unknown keys, wrong types and inconsistent values throw ConfigError naming the key.
// Missing keys take the "full" preset's value. Derived sizes (dimension legend used in all
// engine headers):
//   S  = num_slices              slices along the beam (one token each)
//   T  = num_tokens = S + 1      token 0 is the beam energy
//   H,W= data_shape[0..1]        lateral grid of one slice (24 x 24)
//   K  = kernel_size             square conv kernels, odd
//   C  = conv_channels           encoder/decoder feature channels (64)
//   P  = projection_dim[2]       channels of the bottleneck (12); H/4 x W/4 x P = D
//   D  = prod(projection_dim)    token width (432)
//   NH = num_heads, KD = key_dim (per head), L = num_transformers
// Thread safety: plain value type.
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace dotakv {

// Storage precision of the KV cache.
enum class KvPrecision { fp32, fp16, int8 };
// Arithmetic precision of the heavy kernels (convolutions, matrix products). bf16 uses bf16
// inputs/weights with fp32 accumulation; everything else (norms, softmax, residuals) stays fp32.
enum class ComputePrecision { fp32, bf16 };

std::string to_string(KvPrecision p);
std::string to_string(ComputePrecision p);
// Parse "fp32"/"fp16"/"int8" resp. "fp32"/"bf16"; throws ConfigError naming `what` otherwise.
KvPrecision parse_kv_precision(const std::string& s, const std::string& what = "kv precision");
ComputePrecision parse_compute_precision(const std::string& s,
                                         const std::string& what = "precision");

struct ModelConfig {
  int num_slices = 150;
  std::array<int, 3> data_shape{24, 24, 1};  // [H, W, input channels]; channels must be 1
  int num_tokens = 151;                      // must equal num_slices + 1
  int kernel_size = 5;                       // odd
  int num_heads = 16;
  int num_transformers = 1;
  std::array<int, 3> projection_dim{6, 6, 12};  // [H/4, W/4, P]
  int conv_channels = 64;                       // divisible by enc_groups()
  int key_dim = 432;                            // per head; default prod(projection_dim)
  bool causal = true;                           // lower-triangular attention mask

  // Presets: "full" (DoTA's published size, the defaults above) and "compact" (32 conv
  // channels, 8 heads of key_dim 54: the shipped model). Throws ConfigError on other names.
  static ModelConfig preset(const std::string& name);
  // Parses JSON; throws ConfigError (unknown key, wrong type, inconsistent value).
  static ModelConfig from_json(const nlohmann::json& j);
  // Reads a JSON file (IoError if unreadable, ConfigError if invalid).
  static ModelConfig from_json_file(const std::string& path);
  // "full" | "compact" | path to a JSON file.
  static ModelConfig from_name_or_file(const std::string& name_or_path);
  nlohmann::json to_json() const;
  // Throws ConfigError if the values are inconsistent (see header comment).
  void validate() const;

  // Derived sizes.
  int rows() const { return data_shape[0]; }
  int cols() const { return data_shape[1]; }
  int token_dim() const { return projection_dim[0] * projection_dim[1] * projection_dim[2]; }
  int bottleneck_channels() const { return projection_dim[2]; }
  int enc_groups() const { return 16; }        // GroupNorm groups after conv1/conv2 and decoder
  int bottleneck_groups() const { return 4; }  // GroupNorm groups after conv3
  int qkv_width() const { return 3 * num_heads * key_dim; }  // columns of the fused QKV GEMM

  // ---- cost model (multiply-add = 2 FLOPs; norms/softmax/activations not counted) ----
  // One full forward pass of `batch` beamlets (all T tokens, encoder + transformer + decoder).
  double flops_full(int batch = 1) const;
  // One streaming step that adds `new_tokens` tokens after `prior_tokens` already processed.
  // With cache: encoder/decoder for the new slices, transformer for the new tokens attending
  // to prior+new keys. Without cache: encoder + transformer for all prior+new tokens, decoder
  // for the new slices only.
  double flops_stream_step(int prior_tokens, int new_tokens, bool cache, int batch = 1) const;
  // Whole streamed run over all tokens in steps of `chunk` slices (first step also holds
  // token 0); sums flops_stream_step.
  double flops_stream_total(int chunk, bool cache, int batch = 1) const;
  // Bytes of weights read by one step (every weight tensor read once: all conv, dense, QKV and
  // output-projection weights), at the given compute precision (bf16 = 2 bytes per weight).
  double weight_bytes_per_step(ComputePrecision p = ComputePrecision::fp32) const;
  // Number of parameters.
  std::int64_t parameter_count() const;
  // KV cache bytes for `batch` samples of `tokens` tokens at precision p (incl. int8 scales).
  double kv_cache_bytes(int batch, int tokens, KvPrecision p) const;
};

}  // namespace dotakv
