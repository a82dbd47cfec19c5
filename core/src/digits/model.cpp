#include "dotakv/digits/model.hpp"

#include <H5Cpp.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "../engine/weights_h5.hpp"
#include "../h5_memory_file.hpp"
#include "../physics/h5util.hpp"
#include "dotakv/atomic_file.hpp"
#include "dotakv/error.hpp"
#include "dotakv/json_file.hpp"
#include "dotakv/limits.hpp"

namespace dotakv::digits {

namespace {
constexpr const char* kFormat = "dotakv-weights";
constexpr const char* kFamily = "digits";

int int_value(const nlohmann::json& v, const std::string& what) {
  if (!is_int32(v))
    throw ConfigError("digits config: " + what + ": expected an integer, found " + v.dump());
  return v.get<int>();
}

int get_int(const nlohmann::json& j, const std::string& key) {
  return int_value(j.at(key), "key '" + key + "'");
}
}  // namespace

DigitsConfig DigitsConfig::preset(const std::string& name) {
  DigitsConfig c;
  if (name == "digits-small") return c;
  if (name == "digits-tiny") {
    c.stem1 = 4;
    c.stem2 = 8;
    c.stem3 = 8;
    c.d_model = 32;
    c.heads = 2;
    c.ffn = 64;
    c.encoder_layers = 1;
    c.decoder_layers = 1;
    c.max_digits = 96;
    return c;
  }
  throw ConfigError("digits config: unknown preset '" + name +
                    "' (expected digits-small, digits-tiny or a JSON file)");
}

DigitsConfig DigitsConfig::from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw ConfigError("digits config: expected a JSON object");
  DigitsConfig c;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    if (k == "family") {
      if (!it->is_string() || it->get<std::string>() != kFamily)
        throw ConfigError("digits config: key 'family': expected \"digits\", found " + it->dump());
    } else if (k == "height")
      c.height = get_int(j, k);
    else if (k == "stem_channels") {
      if (!it->is_array() || it->size() != 3)
        throw ConfigError("digits config: key 'stem_channels': expected 3 integers");
      c.stem1 = int_value((*it)[0], "key 'stem_channels'[0]");
      c.stem2 = int_value((*it)[1], "key 'stem_channels'[1]");
      c.stem3 = int_value((*it)[2], "key 'stem_channels'[2]");
    } else if (k == "d_model")
      c.d_model = get_int(j, k);
    else if (k == "heads")
      c.heads = get_int(j, k);
    else if (k == "ffn")
      c.ffn = get_int(j, k);
    else if (k == "encoder_layers")
      c.encoder_layers = get_int(j, k);
    else if (k == "decoder_layers")
      c.decoder_layers = get_int(j, k);
    else if (k == "max_digits")
      c.max_digits = get_int(j, k);
    else if (k == "max_width")
      c.max_width = get_int(j, k);
    else if (k == "trained_max_digits")
      c.trained_max_digits = get_int(j, k);
    else if (k == "rope_theta") {
      if (!it->is_number()) throw ConfigError("digits config: key 'rope_theta': expected a number");
      c.rope_theta = it->get<double>();
    } else if (k == "vocab") {
      if (get_int(j, k) != kVocab)
        throw ConfigError("digits config: key 'vocab': expected 13, found " + it->dump());
    } else {
      throw ConfigError("digits config: unknown key '" + k + "'");
    }
  }
  c.validate();
  return c;
}

DigitsConfig DigitsConfig::from_name_or_file(const std::string& s) {
  if (s.size() > 5 && s.substr(s.size() - 5) == ".json") {
    const nlohmann::json j = read_json_file<ConfigError>(s, "digits config");
    try {
      return from_json(j);
    } catch (const ConfigError& e) {
      throw ConfigError(s + ": " + e.what());
    }
  }
  return preset(s);
}

nlohmann::json DigitsConfig::to_json() const {
  return {{"family", kFamily},
          {"height", height},
          {"stem_channels", {stem1, stem2, stem3}},
          {"d_model", d_model},
          {"heads", heads},
          {"ffn", ffn},
          {"encoder_layers", encoder_layers},
          {"decoder_layers", decoder_layers},
          {"max_digits", max_digits},
          {"max_width", max_width},
          {"trained_max_digits", trained_max_digits},
          {"rope_theta", rope_theta},
          {"vocab", kVocab}};
}

void DigitsConfig::validate() const {
  auto need = [](bool ok, const std::string& what) {
    if (!ok) throw ConfigError("digits config: " + what);
  };
  need(height == kImageHeight, "key 'height': expected 32, found " + std::to_string(height));
  need(stem1 > 0 && stem2 > 0 && stem3 > 0 && stem1 <= 1024 && stem2 <= 1024 && stem3 <= 1024,
       "key 'stem_channels': expected 1..1024");
  need(d_model > 0 && d_model <= 4096, "key 'd_model': expected 1..4096");
  need(heads > 0 && d_model % heads == 0, "key 'heads': must divide d_model");
  need(head_dim() % 2 == 0, "d_model / heads must be even (RoPE pairs)");
  need(ffn > 0 && ffn <= 16384, "key 'ffn': expected 1..16384");
  need(encoder_layers >= 0 && encoder_layers <= 64, "key 'encoder_layers': expected 0..64");
  need(decoder_layers >= 1 && decoder_layers <= 64, "key 'decoder_layers': expected 1..64");
  need(max_digits >= 1 && max_digits <= 4096, "key 'max_digits': expected 1..4096");
  need(max_width >= 8 && max_width % 8 == 0 && max_width <= 65536,
       "key 'max_width': expected a multiple of 8 in 8..65536");
  need(trained_max_digits >= 0 && trained_max_digits <= max_digits,
       "key 'trained_max_digits': expected 0..max_digits");
  need(std::isfinite(rope_theta) && rope_theta > 1.0, "key 'rope_theta': expected > 1");
}

std::vector<TensorSpec> tensor_layout(const DigitsConfig& c) {
  const long long D = c.d_model, F = c.ffn;
  std::vector<TensorSpec> t;
  auto conv = [&](const std::string& n, long long in, long long out) {
    t.push_back({"stem/" + n + "/kernel", {3, 3, in, out}});
    t.push_back({"stem/" + n + "/bias", {out}});
  };
  conv("conv1", 1, c.stem1);
  conv("conv2", c.stem1, c.stem2);
  conv("conv3", c.stem2, c.stem3);
  t.push_back({"stem/proj/kernel", {4LL * c.stem3, D}});
  t.push_back({"stem/proj/bias", {D}});
  auto ln = [&](const std::string& p) {
    t.push_back({p + "/gamma", {D}});
    t.push_back({p + "/beta", {D}});
  };
  auto attn = [&](const std::string& p) {
    for (const char* n : {"query", "key", "value", "output"})
      t.push_back({p + "/" + n + "/kernel", {D, D}});
  };
  auto ffn = [&](const std::string& p) {
    t.push_back({p + "/ffn1/kernel", {D, F}});
    t.push_back({p + "/ffn1/bias", {F}});
    t.push_back({p + "/ffn2/kernel", {F, D}});
    t.push_back({p + "/ffn2/bias", {D}});
  };
  for (int l = 0; l < c.encoder_layers; ++l) {
    const std::string p = "encoder_" + std::to_string(l);
    ln(p + "/ln1");
    attn(p + "/attention");
    ln(p + "/ln2");
    ffn(p);
  }
  ln("encoder/ln");
  t.push_back({"decoder/token_embedding", {kVocab, D}});
  for (int l = 0; l < c.decoder_layers; ++l) {
    const std::string p = "decoder_" + std::to_string(l);
    ln(p + "/ln1");
    attn(p + "/self_attention");
    ln(p + "/ln2");
    attn(p + "/cross_attention");
    ln(p + "/ln3");
    ffn(p);
  }
  ln("decoder/ln");
  t.push_back({"decoder/logits/kernel", {D, kVocab}});
  t.push_back({"decoder/logits/bias", {kVocab}});
  return t;
}

Layout::Layout(const DigitsConfig& c) {
  int i = 0;
  auto next = [&] { return i++; };
  auto attn = [&] { return Attn{next(), next(), next(), next()}; };
  conv1_k = next(), conv1_b = next(), conv2_k = next(), conv2_b = next();
  conv3_k = next(), conv3_b = next(), proj_k = next(), proj_b = next();
  for (int l = 0; l < c.encoder_layers; ++l) {
    EncBlock b{};
    b.ln1_g = next(), b.ln1_b = next();
    b.att = attn();
    b.ln2_g = next(), b.ln2_b = next();
    b.ff1_k = next(), b.ff1_b = next(), b.ff2_k = next(), b.ff2_b = next();
    enc.push_back(b);
  }
  enc_ln_g = next(), enc_ln_b = next();
  embedding = next();
  for (int l = 0; l < c.decoder_layers; ++l) {
    DecBlock b{};
    b.ln1_g = next(), b.ln1_b = next();
    b.self = attn();
    b.ln2_g = next(), b.ln2_b = next();
    b.cross = attn();
    b.ln3_g = next(), b.ln3_b = next();
    b.ff1_k = next(), b.ff1_b = next(), b.ff2_k = next(), b.ff2_b = next();
    dec.push_back(b);
  }
  dec_ln_g = next(), dec_ln_b = next(), logits_k = next(), logits_b = next();
}

DigitsModel::DigitsModel(DigitsConfig cfg, std::vector<Tensor> tensors)
    : cfg_(std::move(cfg)), layout_(cfg_), tensors_(std::move(tensors)) {
  cfg_.validate();
  const auto specs = tensor_layout(cfg_);
  if (specs.size() != tensors_.size())
    throw ShapeError("digits model: expected " + std::to_string(specs.size()) + " tensors, found " +
                     std::to_string(tensors_.size()));
  for (std::size_t i = 0; i < specs.size(); ++i)
    if (tensors_[i].shape != specs[i].shape ||
        std::int64_t(tensors_[i].data.size()) != tensors_[i].numel())
      throw ShapeError("digits model: tensor '" + specs[i].name + "': expected " +
                       shape_string(specs[i].shape) + ", found " + shape_string(tensors_[i].shape));
}

DigitsModel DigitsModel::random(const DigitsConfig& cfg, std::uint64_t seed) {
  cfg.validate();
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ULL + 0xD1B1);
  std::vector<Tensor> ts;
  for (const auto& s : tensor_layout(cfg)) {
    Tensor t(s.shape);
    const std::string& n = s.name;
    auto ends = [&](const char* suf) {
      const std::string x(suf);
      return n.size() >= x.size() && n.compare(n.size() - x.size(), x.size(), x) == 0;
    };
    if (ends("gamma")) {
      std::fill(t.data.begin(), t.data.end(), 1.f);
    } else if (ends("kernel")) {
      long long fan_in = 1, fan_out = s.shape.back();
      for (std::size_t d = 0; d + 1 < s.shape.size(); ++d) fan_in *= s.shape[d];
      if (s.shape.size() == 4) fan_out *= s.shape[0] * s.shape[1];
      const double lim = std::sqrt(6.0 / double(fan_in + fan_out));
      std::uniform_real_distribution<double> u(-lim, lim);
      for (float& v : t.data) v = float(u(rng));
    } else if (ends("token_embedding")) {
      std::normal_distribution<double> g(0.0, 0.02);
      for (float& v : t.data) v = float(g(rng));
    }
    ts.push_back(std::move(t));
  }
  DigitsModel m(cfg, std::move(ts));
  m.set_description("random seed=" + std::to_string(seed));
  return m;
}

std::size_t DigitsModel::parameter_count() const {
  std::size_t n = 0;
  for (const auto& t : tensors_) n += t.data.size();
  return n;
}

DigitsModel DigitsModel::load(const std::string& path) {
  DigitsConfig cfg;
  auto w = weights_h5::load_family_weights(path, kFamily, kFormat, [&](const nlohmann::json& j) {
    cfg = DigitsConfig::from_json(j);
    return tensor_layout(cfg);
  });
  DigitsModel m(cfg, std::move(w.tensors));
  m.set_description(std::move(w.description));
  return m;
}

std::shared_ptr<const DigitsModel> DigitsModel::load_shared(const std::string& path) {
  return std::make_shared<const DigitsModel>(load(path));
}

void DigitsModel::save(const std::string& path) const {
  weights_h5::save_family_weights(path, kFamily, kFormat, cfg_.to_json(), description_,
                                  tensor_layout(cfg_), tensors_);
}

std::string tokens_to_text(const std::vector<int>& tokens) {
  std::string s;
  for (int t : tokens)
    if (t >= 0 && t <= 9) s += char('0' + t);
  return s;
}

void sinusoid_position(int p, int d, float* out) {
  for (int i = 0; i < d / 2; ++i) {
    const double a = double(p) / std::pow(10000.0, 2.0 * i / d);
    out[2 * i] = float(std::sin(a));
    out[2 * i + 1] = float(std::cos(a));
  }
  if (d % 2) out[d - 1] = 0.f;
}

DigitsModel average_models(const std::vector<DigitsModel>& models,
                           const std::vector<std::string>& names) {
  if (models.empty()) throw ValueError("average_models: expected at least one model, found none");
  const auto label = [&](std::size_t i) {
    return i < names.size() ? names[i] : "model " + std::to_string(i);
  };
  const nlohmann::json cfg0 = models[0].config().to_json();
  for (std::size_t m = 1; m < models.size(); ++m)
    if (models[m].config().to_json() != cfg0)
      throw ConfigError(label(m) + ": config differs from " + label(0) +
                        "'s; only models of one config can be averaged");
  std::vector<Tensor> mean = models[0].tensors();
  for (std::size_t t = 0; t < mean.size(); ++t) {
    std::vector<double> acc(mean[t].data.begin(), mean[t].data.end());
    for (std::size_t m = 1; m < models.size(); ++m) {
      const auto& src = models[m].tensors()[t].data;
      for (std::size_t i = 0; i < acc.size(); ++i) acc[i] += src[i];
    }
    for (std::size_t i = 0; i < acc.size(); ++i)
      mean[t].data[i] = float(acc[i] / double(models.size()));
  }
  DigitsModel out(models[0].config(), std::move(mean));
  std::string d = "mean of " + std::to_string(models.size()) + " models";
  if (!names.empty()) {
    d += ":";
    for (const auto& n : names) d += " " + n;
  }
  out.set_description(d);
  return out;
}

}  // namespace dotakv::digits
