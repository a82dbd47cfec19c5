#include "dotakv/model_config.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "dotakv/error.hpp"
#include "dotakv/json_file.hpp"

namespace dotakv {

std::string to_string(KvPrecision p) {
  switch (p) {
    case KvPrecision::fp32:
      return "fp32";
    case KvPrecision::fp16:
      return "fp16";
    case KvPrecision::int8:
      return "int8";
  }
  return "?";
}
std::string to_string(ComputePrecision p) {
  return p == ComputePrecision::bf16 ? "bf16" : "fp32";
}

KvPrecision parse_kv_precision(const std::string& s, const std::string& what) {
  if (s == "fp32") return KvPrecision::fp32;
  if (s == "fp16") return KvPrecision::fp16;
  if (s == "int8") return KvPrecision::int8;
  throw ConfigError(what + ": expected fp32|fp16|int8, found '" + s + "'");
}
ComputePrecision parse_compute_precision(const std::string& s, const std::string& what) {
  if (s == "fp32") return ComputePrecision::fp32;
  if (s == "bf16") return ComputePrecision::bf16;
  throw ConfigError(what + ": expected fp32|bf16, found '" + s + "'");
}

ModelConfig ModelConfig::preset(const std::string& name) {
  ModelConfig c;
  if (name == "full") return c;
  if (name == "compact") {
    c.conv_channels = 32;
    c.num_heads = 8;
    c.key_dim = 54;
    return c;
  }
  throw ConfigError("model config preset: expected 'full' or 'compact', found '" + name + "'");
}

namespace {
int get_int(const nlohmann::json& j, const char* key) {
  const auto& v = j.at(key);
  if (!is_int32(v))
    throw ConfigError(std::string("model config: key '") + key + "' must be an integer, found " +
                      v.dump());
  return v.get<int>();
}
std::array<int, 3> get_int3(const nlohmann::json& j, const char* key) {
  const auto& v = j.at(key);
  if (!v.is_array() || v.size() != 3)
    throw ConfigError(std::string("model config: key '") + key +
                      "' must be an array of 3 integers, found " + v.dump());
  std::array<int, 3> a{};
  for (int i = 0; i < 3; ++i) {
    if (!is_int32(v[i]))
      throw ConfigError(std::string("model config: key '") + key +
                        "' must be an array of 3 integers, found " + v.dump());
    a[i] = v[i].get<int>();
  }
  return a;
}
}  // namespace

ModelConfig ModelConfig::from_json(const nlohmann::json& j) {
  if (!j.is_object())
    throw ConfigError("model config: expected a JSON object, found " + std::string(j.type_name()));
  static const std::set<std::string> known{
      "num_slices",       "data_shape",     "num_tokens",    "kernel_size", "num_heads",
      "num_transformers", "projection_dim", "conv_channels", "key_dim",     "causal"};
  for (const auto& [k, v] : j.items())
    if (!known.count(k)) throw ConfigError("model config: unknown key '" + k + "'");
  ModelConfig c;
  if (j.contains("num_slices")) c.num_slices = get_int(j, "num_slices");
  if (j.contains("data_shape")) c.data_shape = get_int3(j, "data_shape");
  c.num_tokens = j.contains("num_tokens") ? get_int(j, "num_tokens") : c.num_slices + 1;
  if (j.contains("kernel_size")) c.kernel_size = get_int(j, "kernel_size");
  if (j.contains("num_heads")) c.num_heads = get_int(j, "num_heads");
  if (j.contains("num_transformers")) c.num_transformers = get_int(j, "num_transformers");
  if (j.contains("projection_dim")) c.projection_dim = get_int3(j, "projection_dim");
  if (j.contains("conv_channels")) c.conv_channels = get_int(j, "conv_channels");
  c.key_dim = j.contains("key_dim") ? get_int(j, "key_dim") : c.token_dim();
  if (j.contains("causal")) {
    if (!j["causal"].is_boolean())
      throw ConfigError("model config: key 'causal' must be true or false, found " +
                        j["causal"].dump());
    c.causal = j["causal"].get<bool>();
  }
  c.validate();
  return c;
}

ModelConfig ModelConfig::from_json_file(const std::string& path) {
  const nlohmann::json j = read_json_file<ConfigError>(path, "model config");
  try {
    return from_json(j);
  } catch (const ConfigError& e) {
    throw ConfigError(path + ": " + e.what());
  }
}

ModelConfig ModelConfig::from_name_or_file(const std::string& s) {
  if (s == "full" || s == "compact") return preset(s);
  return from_json_file(s);
}

nlohmann::json ModelConfig::to_json() const {
  return {{"num_slices", num_slices},
          {"data_shape", data_shape},
          {"num_tokens", num_tokens},
          {"kernel_size", kernel_size},
          {"num_heads", num_heads},
          {"num_transformers", num_transformers},
          {"projection_dim", projection_dim},
          {"conv_channels", conv_channels},
          {"key_dim", key_dim},
          {"causal", causal}};
}

void ModelConfig::validate() const {
  auto fail = [](const std::string& m) { throw ConfigError("model config: " + m); };
  auto pos = [&](int v, const char* k) {
    if (v <= 0) fail(std::string("'") + k + "' must be positive, found " + std::to_string(v));
  };
  pos(num_slices, "num_slices");
  pos(kernel_size, "kernel_size");
  pos(num_heads, "num_heads");
  pos(num_transformers, "num_transformers");
  pos(conv_channels, "conv_channels");
  pos(key_dim, "key_dim");
  for (int i = 0; i < 3; ++i) {
    pos(data_shape[i], "data_shape");
    pos(projection_dim[i], "projection_dim");
  }
  if (num_tokens != num_slices + 1)
    fail("'num_tokens' must be num_slices + 1 = " + std::to_string(num_slices + 1) + ", found " +
         std::to_string(num_tokens));
  if (data_shape[2] != 1)
    fail("'data_shape' must have 1 channel, found " + std::to_string(data_shape[2]));
  if (kernel_size % 2 == 0) fail("'kernel_size' must be odd, found " + std::to_string(kernel_size));
  if (data_shape[0] % 4 || data_shape[1] % 4)
    fail("'data_shape' rows and cols must be multiples of 4");
  if (projection_dim[0] * 4 != data_shape[0] || projection_dim[1] * 4 != data_shape[1])
    fail("'projection_dim' must be [rows/4, cols/4, P] = [" + std::to_string(data_shape[0] / 4) +
         "," + std::to_string(data_shape[1] / 4) + ",P], found " +
         shape_string({projection_dim[0], projection_dim[1], projection_dim[2]}));
  if (conv_channels % enc_groups())
    fail("'conv_channels' must be a multiple of " + std::to_string(enc_groups()) +
         " (GroupNorm groups), found " + std::to_string(conv_channels));
  if (projection_dim[2] % bottleneck_groups())
    fail("'projection_dim'[2] must be a multiple of " + std::to_string(bottleneck_groups()) +
         " (GroupNorm groups)");
  const auto at_most = [&](long long v, long long limit, const char* key) {
    if (v > limit)
      fail(std::string("'") + key + "' must be <= " + std::to_string(limit) + ", found " +
           std::to_string(v));
  };
  at_most(num_slices, 100000, "num_slices");
  at_most(num_heads, 4096, "num_heads");
  at_most(key_dim, 65536, "key_dim");
  at_most(conv_channels, 1024, "conv_channels");
  at_most(projection_dim[2], 1024, "projection_dim[2]");
  at_most(num_transformers, 1024, "num_transformers");
  at_most(data_shape[0], 4096, "data_shape[0]");
  at_most(data_shape[1], 4096, "data_shape[1]");
}

// ---- cost model ----
namespace {
double conv_flops(double out_pixels, double ic, double oc, double k) {
  return 2.0 * out_pixels * ic * oc * k * k;
}
}  // namespace

static double encoder_flops_per_slice(const ModelConfig& c) {
  const double H = c.rows(), W = c.cols(), C = c.conv_channels, P = c.bottleneck_channels(),
               K = c.kernel_size;
  return conv_flops(H * W, 1, C, K) + conv_flops(H * W / 4, C, C, K) +
         conv_flops(H * W / 16, C, P, K);
}
static double decoder_flops_per_slice(const ModelConfig& c) {
  const double H = c.rows(), W = c.cols(), C = c.conv_channels, P = c.bottleneck_channels(),
               K = c.kernel_size;
  // transposed convs counted per input pixel (every input pixel scatters a KxK patch)
  return conv_flops(H * W / 16, P, C, K) + conv_flops(H * W / 4, C, C, K) +
         conv_flops(H * W, C, 1, K);
}
static double transformer_flops(const ModelConfig& c, double n, double context) {
  const double D = c.token_dim(), NH = c.num_heads, KD = c.key_dim;
  const double per_block = 2.0 * n * D * 3 * NH * KD            // QKV
                           + 2.0 * 2.0 * n * context * KD * NH  // scores + weighted values
                           + 2.0 * n * NH * KD * D              // output projection
                           + 2.0 * 2.0 * n * D * D;             // two dense layers
  return per_block * c.num_transformers + 2.0 * D;              // energy token dense
}

double ModelConfig::flops_full(int batch) const {
  return batch * (num_slices * (encoder_flops_per_slice(*this) + decoder_flops_per_slice(*this)) +
                  transformer_flops(*this, num_tokens, num_tokens));
}

double ModelConfig::flops_stream_step(int prior, int n, bool cache, int batch) const {
  const int new_slices = n - (prior == 0 ? 1 : 0);
  double f = new_slices * decoder_flops_per_slice(*this);
  if (cache) {
    f += new_slices * encoder_flops_per_slice(*this) + transformer_flops(*this, n, prior + n);
  } else {
    const int all = prior + n;
    f += (all - 1) * encoder_flops_per_slice(*this) + transformer_flops(*this, all, all);
  }
  return batch * f;
}

double ModelConfig::flops_stream_total(int chunk, bool cache, int batch) const {
  double f = 0;
  int prior = 0;
  while (prior < num_tokens) {
    int n = std::min(chunk + (prior == 0 ? 1 : 0), num_tokens - prior);
    f += flops_stream_step(prior, n, cache, batch);
    prior += n;
  }
  return f;
}

std::int64_t ModelConfig::parameter_count() const {
  const std::int64_t K2 = std::int64_t(kernel_size) * kernel_size, C = conv_channels,
                     P = bottleneck_channels(), D = token_dim(), NH = num_heads, KD = key_dim;
  std::int64_t enc = K2 * C + 2 * C + K2 * C * C + 2 * C + K2 * C * P + 2 * P;
  std::int64_t emb = 2 * D + std::int64_t(num_tokens) * D;
  std::int64_t block = 4 * D + 4 * D * NH * KD + 2 * (D * D + D);
  std::int64_t dec = K2 * P * C + 2 * C + K2 * C * C + 2 * C + K2 * C + 1;
  return enc + emb + block * num_transformers + dec;
}

double ModelConfig::weight_bytes_per_step(ComputePrecision p) const {
  return double(parameter_count()) * (p == ComputePrecision::bf16 ? 2.0 : 4.0);
}

double ModelConfig::kv_cache_bytes(int batch, int tokens, KvPrecision p) const {
  const double rows = 2.0 * num_transformers * batch * num_heads * tokens;
  switch (p) {
    case KvPrecision::fp32:
      return rows * key_dim * 4.0;
    case KvPrecision::fp16:
      return rows * key_dim * 2.0;
    case KvPrecision::int8:
      return rows * (key_dim + 4.0);
  }
  return 0;
}

}  // namespace dotakv
