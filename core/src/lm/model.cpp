#include "dotakv/lm/model.hpp"

#include <H5Cpp.h>

#include <cmath>
#include <random>

#include "../engine/weights_h5.hpp"
#include "../h5_memory_file.hpp"
#include "../physics/h5util.hpp"
#include "dotakv/atomic_file.hpp"
#include "dotakv/error.hpp"
#include "dotakv/json_file.hpp"
#include "dotakv/limits.hpp"

namespace dotakv::lm {

namespace {
constexpr const char* kFormat = "dotakv-weights";
constexpr const char* kFamily = "lm";

int get_int(const nlohmann::json& v, const std::string& key) {
  if (!is_int32(v))
    throw ConfigError("lm config: key '" + key + "': expected an integer, found " + v.dump());
  return v.get<int>();
}
double get_number(const nlohmann::json& v, const std::string& key) {
  if (!v.is_number())
    throw ConfigError("lm config: key '" + key + "': expected a number, found " + v.dump());
  return v.get<double>();
}
}  // namespace

LmConfig LmConfig::preset(const std::string& name) {
  LmConfig c;
  if (name == "lm-small") return c;
  if (name == "lm-tiny") {
    c.vocab = 512;
    c.d_model = 32;
    c.layers = 2;
    c.heads = 4;
    c.kv_heads = 2;
    c.ffn = 64;
    c.max_context = 64;
    c.tie_embeddings = false;
    return c;
  }
  throw ConfigError("lm config: unknown preset '" + name +
                    "' (expected lm-small, lm-tiny or a JSON file)");
}

LmConfig LmConfig::from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw ConfigError("lm config: expected a JSON object, found " + j.dump());
  LmConfig c;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const nlohmann::json& v = *it;
    if (k == "family") {
      if (!v.is_string() || v.get<std::string>() != kFamily)
        throw ConfigError("lm config: key 'family': expected \"lm\", found " + v.dump());
    } else if (k == "vocab")
      c.vocab = get_int(v, k);
    else if (k == "d_model")
      c.d_model = get_int(v, k);
    else if (k == "layers")
      c.layers = get_int(v, k);
    else if (k == "heads")
      c.heads = get_int(v, k);
    else if (k == "kv_heads")
      c.kv_heads = get_int(v, k);
    else if (k == "ffn")
      c.ffn = get_int(v, k);
    else if (k == "max_context")
      c.max_context = get_int(v, k);
    else if (k == "rope_theta")
      c.rope_theta = get_number(v, k);
    else if (k == "norm_eps")
      c.norm_eps = get_number(v, k);
    else if (k == "tie_embeddings") {
      if (!v.is_boolean())
        throw ConfigError("lm config: key 'tie_embeddings': expected true or false, found " +
                          v.dump());
      c.tie_embeddings = v.get<bool>();
    } else {
      throw ConfigError("lm config: unknown key '" + k + "'");
    }
  }
  c.validate();
  return c;
}

LmConfig LmConfig::from_name_or_file(const std::string& s) {
  if (s.size() > 5 && s.substr(s.size() - 5) == ".json") {
    const nlohmann::json j = read_json_file<ConfigError>(s, "lm config");
    try {
      return from_json(j);
    } catch (const ConfigError& e) {
      throw ConfigError(s + ": " + e.what());
    }
  }
  return preset(s);
}

nlohmann::json LmConfig::to_json() const {
  return {{"family", kFamily},
          {"vocab", vocab},
          {"d_model", d_model},
          {"layers", layers},
          {"heads", heads},
          {"kv_heads", kv_heads},
          {"ffn", ffn},
          {"max_context", max_context},
          {"rope_theta", rope_theta},
          {"norm_eps", norm_eps},
          {"tie_embeddings", tie_embeddings}};
}

void LmConfig::validate() const {
  auto need = [](bool ok, const std::string& what) {
    if (!ok) throw ConfigError("lm config: " + what);
  };
  auto range = [&](int v, int lo, int hi, const char* key) {
    need(v >= lo && v <= hi, std::string("key '") + key + "': expected " + std::to_string(lo) +
                                 ".." + std::to_string(hi) + ", found " + std::to_string(v));
  };
  range(vocab, 2, 1 << 18, "vocab");
  range(d_model, 2, 8192, "d_model");
  range(layers, 1, 256, "layers");
  range(heads, 1, 256, "heads");
  need(d_model % heads == 0, "key 'heads': " + std::to_string(heads) + " does not divide d_model " +
                                 std::to_string(d_model));
  need(head_dim() % 2 == 0,
       "d_model / heads = " + std::to_string(head_dim()) + " must be even (RoPE rotates pairs)");
  range(kv_heads, 1, heads, "kv_heads");
  need(heads % kv_heads == 0, "key 'kv_heads': " + std::to_string(kv_heads) +
                                  " does not divide heads " + std::to_string(heads));
  range(ffn, 1, 65536, "ffn");
  range(max_context, 1, 131072, "max_context");
  need(std::isfinite(rope_theta) && rope_theta > 1.0,
       "key 'rope_theta': expected a finite number > 1");
  need(std::isfinite(norm_eps) && norm_eps > 0.0 && norm_eps < 1.0,
       "key 'norm_eps': expected a finite number in (0, 1)");
}

std::uint64_t LmConfig::parameter_count() const {
  std::uint64_t n = 0;
  for (const auto& s : tensor_layout(*this)) {
    std::uint64_t k = 1;
    for (long long e : s.shape) k *= std::uint64_t(e);
    n += k;
  }
  return n;
}

std::vector<TensorSpec> tensor_layout(const LmConfig& c) {
  const long long V = c.vocab, D = c.d_model, F = c.ffn, Q = 1LL * c.heads * c.head_dim(),
                  KV = 1LL * c.kv_heads * c.head_dim();
  std::vector<TensorSpec> t;
  t.push_back({"token_embedding", {V, D}});
  for (int l = 0; l < c.layers; ++l) {
    const std::string p = "block_" + std::to_string(l);
    t.push_back({p + "/attn_norm/gamma", {D}});
    t.push_back({p + "/attention/query/kernel", {D, Q}});
    t.push_back({p + "/attention/key/kernel", {D, KV}});
    t.push_back({p + "/attention/value/kernel", {D, KV}});
    t.push_back({p + "/attention/output/kernel", {Q, D}});
    t.push_back({p + "/mlp_norm/gamma", {D}});
    t.push_back({p + "/mlp/gate/kernel", {D, F}});
    t.push_back({p + "/mlp/up/kernel", {D, F}});
    t.push_back({p + "/mlp/down/kernel", {F, D}});
  }
  t.push_back({"output_norm/gamma", {D}});
  if (!c.tie_embeddings) t.push_back({"output/kernel", {D, V}});
  return t;
}

Layout::Layout(const LmConfig& c) {
  int i = 0;
  embedding = i++;
  for (int l = 0; l < c.layers; ++l) {
    Block b{};
    b.attn_norm = i++;
    b.wq = i++;
    b.wk = i++;
    b.wv = i++;
    b.wo = i++;
    b.mlp_norm = i++;
    b.w_gate = i++;
    b.w_up = i++;
    b.w_down = i++;
    blocks.push_back(b);
  }
  output_norm = i++;
  output = c.tie_embeddings ? -1 : i++;
}

LmModel::LmModel(LmConfig cfg, std::vector<Tensor> tensors)
    : cfg_(std::move(cfg)), layout_(cfg_), tensors_(std::move(tensors)) {
  cfg_.validate();
  const auto specs = tensor_layout(cfg_);
  if (specs.size() != tensors_.size())
    throw ShapeError("lm model: expected " + std::to_string(specs.size()) + " tensors, found " +
                     std::to_string(tensors_.size()));
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (tensors_[i].shape != specs[i].shape ||
        std::int64_t(tensors_[i].data.size()) != tensors_[i].numel())
      throw ShapeError("lm model: tensor '" + specs[i].name + "': expected " +
                       shape_string(specs[i].shape) + ", found " + shape_string(tensors_[i].shape));
    for (float v : tensors_[i].data)
      if (!std::isfinite(v))
        throw ValueError("lm model: tensor '" + specs[i].name + "' contains NaN or Inf");
  }
}

LmModel LmModel::random(const LmConfig& cfg, std::uint64_t seed) {
  cfg.validate();
  require_memory(std::vector<std::uint64_t>{cfg.parameter_count()}, sizeof(float),
                 "lm config (all weights)");
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ULL + 0x17A5);
  const double resid = 0.02 / std::sqrt(2.0 * cfg.layers);
  std::vector<Tensor> ts;
  for (const auto& s : tensor_layout(cfg)) {
    Tensor t(s.shape);
    const std::string& n = s.name;
    auto ends = [&](const std::string& x) {
      return n.size() >= x.size() && n.compare(n.size() - x.size(), x.size(), x) == 0;
    };
    if (ends("gamma")) {
      std::fill(t.data.begin(), t.data.end(), 1.f);
    } else {
      const bool residual = ends("attention/output/kernel") || ends("mlp/down/kernel");
      std::normal_distribution<double> g(0.0, residual ? resid : 0.02);
      for (float& v : t.data) v = float(g(rng));
    }
    ts.push_back(std::move(t));
  }
  LmModel m(cfg, std::move(ts));
  m.set_description("random seed=" + std::to_string(seed));
  return m;
}

std::size_t LmModel::parameter_count() const {
  std::size_t n = 0;
  for (const auto& t : tensors_) n += t.data.size();
  return n;
}

LmModel LmModel::load(const std::string& path) {
  LmConfig cfg;
  auto w = weights_h5::load_family_weights(path, kFamily, kFormat, [&](const nlohmann::json& j) {
    cfg = LmConfig::from_json(j);
    return tensor_layout(cfg);
  });
  LmModel m(cfg, std::move(w.tensors));
  m.set_description(std::move(w.description));
  return m;
}

std::shared_ptr<const LmModel> LmModel::load_shared(const std::string& path) {
  return std::make_shared<const LmModel>(load(path));
}

void LmModel::save(const std::string& path) const {
  weights_h5::save_family_weights(path, kFamily, kFormat, cfg_.to_json(), description_,
                                  tensor_layout(cfg_), tensors_);
}

}  // namespace dotakv::lm
