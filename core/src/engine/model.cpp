#include "dotakv/model.hpp"

#include <H5Cpp.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "../h5_memory_file.hpp"
#include "../physics/h5util.hpp"
#include "dotakv/atomic_file.hpp"
#include "dotakv/error.hpp"
#include "dotakv/limits.hpp"
#include "weights_h5.hpp"

namespace dotakv {

Tensor::Tensor(std::vector<long long> s, float fill) : shape(std::move(s)) {
  data.assign(size_t(numel()), fill);
}
std::int64_t Tensor::numel() const {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

Model::Model(ModelConfig cfg, ModelWeights w, Scaling s)
    : config_(std::move(cfg)), weights_(std::move(w)), scaling_(s) {
  config_.validate();
  // Check shapes (constructing from hand-made weights goes through the same checks as load).
  for_each_tensor(
      [](const std::string& name, const std::vector<long long>& expected, const Tensor& t) {
        if (t.shape != expected)
          throw ShapeError("tensor '" + name + "': expected " + shape_string(expected) +
                           ", found " + shape_string(t.shape));
        if (std::int64_t(t.data.size()) != t.numel())
          throw ShapeError("tensor '" + name + "': data size " + std::to_string(t.data.size()) +
                           " != shape " + shape_string(t.shape));
      });
  if (!(scaling_.ct_max_hu > scaling_.ct_min_hu) ||
      !(scaling_.energy_max_mev > scaling_.energy_min_mev) || !std::isfinite(scaling_.dose_scale))
    throw ValueError(
        "model scaling: need ct_max_hu > ct_min_hu, energy_max_mev > energy_min_mev, finite "
        "dose_scale");
}

void Model::for_each_tensor(
    const ModelConfig& c, ModelWeights& w,
    const std::function<void(const std::string&, const std::vector<long long>&, Tensor&)>& fn) {
  const std::int64_t K = c.kernel_size, C = c.conv_channels, P = c.bottleneck_channels(),
                     D = c.token_dim(), NH = c.num_heads, KD = c.key_dim, T = c.num_tokens;
  fn("encoder/conv1/kernel", {K, K, 1, C}, w.enc_conv1);
  fn("encoder/gn1/gamma", {C}, w.enc_gn1_gamma);
  fn("encoder/gn1/beta", {C}, w.enc_gn1_beta);
  fn("encoder/conv2/kernel", {K, K, C, C}, w.enc_conv2);
  fn("encoder/gn2/gamma", {C}, w.enc_gn2_gamma);
  fn("encoder/gn2/beta", {C}, w.enc_gn2_beta);
  fn("encoder/conv3/kernel", {K, K, C, P}, w.enc_conv3);
  fn("encoder/gn3/gamma", {P}, w.enc_gn3_gamma);
  fn("encoder/gn3/beta", {P}, w.enc_gn3_beta);
  fn("energy/kernel", {1, D}, w.energy_kernel);
  fn("energy/bias", {D}, w.energy_bias);
  fn("position_embedding", {T, D}, w.pos_embedding);
  if (int(w.blocks.size()) != c.num_transformers) w.blocks.resize(size_t(c.num_transformers));
  for (int l = 0; l < c.num_transformers; ++l) {
    auto& b = w.blocks[size_t(l)];
    const std::string p = "transformer_" + std::to_string(l) + "/";
    fn(p + "ln1/gamma", {D}, b.ln1_gamma);
    fn(p + "ln1/beta", {D}, b.ln1_beta);
    fn(p + "attention/query/kernel", {D, NH, KD}, b.wq);
    fn(p + "attention/key/kernel", {D, NH, KD}, b.wk);
    fn(p + "attention/value/kernel", {D, NH, KD}, b.wv);
    fn(p + "attention/output/kernel", {NH, KD, D}, b.wo);
    fn(p + "ln2/gamma", {D}, b.ln2_gamma);
    fn(p + "ln2/beta", {D}, b.ln2_beta);
    fn(p + "ffn1/kernel", {D, D}, b.ff1_kernel);
    fn(p + "ffn1/bias", {D}, b.ff1_bias);
    fn(p + "ffn2/kernel", {D, D}, b.ff2_kernel);
    fn(p + "ffn2/bias", {D}, b.ff2_bias);
  }
  fn("decoder/deconv1/kernel", {K, K, C, P}, w.dec_deconv1);
  fn("decoder/gn1/gamma", {C}, w.dec_gn1_gamma);
  fn("decoder/gn1/beta", {C}, w.dec_gn1_beta);
  fn("decoder/deconv2/kernel", {K, K, C, C}, w.dec_deconv2);
  fn("decoder/gn2/gamma", {C}, w.dec_gn2_gamma);
  fn("decoder/gn2/beta", {C}, w.dec_gn2_beta);
  fn("decoder/conv/kernel", {K, K, C, 1}, w.dec_conv);
  fn("decoder/conv/bias", {1}, w.dec_conv_bias);
}

void Model::for_each_tensor(
    const std::function<void(const std::string&, const std::vector<long long>&, const Tensor&)>& fn)
    const {
  auto& w = const_cast<ModelWeights&>(weights_);  // visited read-only
  for_each_tensor(
      config_, w,
      [&](const std::string& n, const std::vector<long long>& e, Tensor& t) { fn(n, e, t); });
}

// ---- random init ----
namespace {
struct Rng {  // splitmix64: portable, deterministic
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform(double a, double b) { return a + (b - a) * double(next() >> 11) * 0x1.0p-53; }
};
}  // namespace

Model Model::random(const ModelConfig& cfg, std::uint64_t seed) {
  cfg.validate();
  ModelWeights w;
  Rng rng{seed * 0x2545F4914F6CDD1Dull + 12345};
  for_each_tensor(cfg, w,
                  [&](const std::string& name, const std::vector<long long>& shape, Tensor& t) {
                    t = Tensor(shape);
                    const auto ends = [&](const char* s) {
                      return name.size() >= strlen(s) &&
                             name.compare(name.size() - strlen(s), std::string::npos, s) == 0;
                    };
                    if (ends("gamma")) {
                      for (auto& v : t.data) v = float(rng.uniform(0.9, 1.1));
                    } else if (ends("beta") || ends("bias")) {
                      for (auto& v : t.data) v = float(rng.uniform(-0.1, 0.1));
                    } else if (name == "position_embedding") {
                      for (auto& v : t.data) v = float(rng.uniform(-0.05, 0.05));
                    } else {
                      // Glorot uniform with Keras' fan computation: conv [K,K,a,b] -> fan_in =
                      // K*K*a, fan_out = K*K*b; attention [D,NH,KD] -> (D, NH*KD); output [NH,KD,D]
                      // -> (NH*KD, D); dense [in,out].
                      double fan_in, fan_out;
                      if (shape.size() == 4) {
                        fan_in = double(shape[0] * shape[1] * shape[2]);
                        fan_out = double(shape[0] * shape[1] * shape[3]);
                      } else if (shape.size() == 3 && name.find("output") != std::string::npos) {
                        fan_in = double(shape[0] * shape[1]);
                        fan_out = double(shape[2]);
                      } else if (shape.size() == 3) {
                        fan_in = double(shape[0]);
                        fan_out = double(shape[1] * shape[2]);
                      } else {
                        fan_in = double(shape[0]);
                        fan_out = double(shape[1]);
                      }
                      const double lim = std::sqrt(6.0 / (fan_in + fan_out));
                      for (auto& v : t.data) v = float(rng.uniform(-lim, lim));
                    }
                  });
  Model m(cfg, std::move(w), Scaling{});
  m.set_description("random seed=" + std::to_string(seed));
  return m;
}

std::shared_ptr<const Model> Model::random_shared(const ModelConfig& cfg, std::uint64_t seed) {
  return std::make_shared<const Model>(random(cfg, seed));
}

// ---- HDF5 ----
using weights_h5::read_string_attr;
using weights_h5::write_string_attr;

namespace {
constexpr const char* kFormat = "dotakv-weights";
constexpr int kFormatVersion = 1;

void write_double_attr(H5::H5Object& o, const std::string& name, double v) {
  o.createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_DOUBLE, &v);
}
}  // namespace

Model Model::load(const std::string& path) {
  H5::Exception::dontPrint();
  std::string where = "file";
  try {
    H5::H5File f = physics::h5::open_read(path);  // IoError: missing, not HDF5, corrupt
    H5::Group root = f.openGroup("/");
    if (root.attrExists("family") && read_string_attr(root, "family") != "dota")
      throw FormatError(path + ": attribute 'family': expected 'dota', found '" +
                        read_string_attr(root, "family") + "'" +
                        (read_string_attr(root, "family") == "digits"
                             ? " (a digits model: use `dotakv digits read`)"
                             : ""));
    for (const char* a : {"format", "config", "ct_min_hu", "ct_max_hu", "energy_min_mev",
                          "energy_max_mev", "dose_scale"})
      if (!root.attrExists(a)) throw FormatError(path + ": missing root attribute '" + a + "'");
    where = "attribute 'format'";
    if (read_string_attr(root, "format") != kFormat)
      throw FormatError(path + ": attribute 'format': expected '" + std::string(kFormat) +
                        "', found '" + read_string_attr(root, "format") + "'");
    where = "attribute 'config'";
    nlohmann::json cj;
    try {
      cj = nlohmann::json::parse(read_string_attr(root, "config"));
    } catch (const nlohmann::json::exception& e) {
      throw ConfigError(path + ": attribute 'config' is not valid JSON");
    }
    ModelConfig cfg;
    try {
      cfg = ModelConfig::from_json(cj);
    } catch (const ConfigError& e) {
      throw ConfigError(path + ": attribute 'config': " + e.what());
    }
    Scaling s;
    where = "scaling attributes";
    s.ct_min_hu = physics::h5::read_attr_double(root, "ct_min_hu", path);
    s.ct_max_hu = physics::h5::read_attr_double(root, "ct_max_hu", path);
    s.energy_min_mev = physics::h5::read_attr_double(root, "energy_min_mev", path);
    s.energy_max_mev = physics::h5::read_attr_double(root, "energy_max_mev", path);
    s.dose_scale = physics::h5::read_attr_double(root, "dose_scale", path);
    if (!(s.ct_max_hu > s.ct_min_hu) || !(s.energy_max_mev > s.energy_min_mev) ||
        !std::isfinite(s.ct_min_hu) || !std::isfinite(s.ct_max_hu) ||
        !std::isfinite(s.energy_min_mev) || !std::isfinite(s.energy_max_mev) ||
        !std::isfinite(s.dose_scale))
      throw ValueError(path + ": scaling attributes: expected finite ct_min_hu < ct_max_hu, " +
                       "energy_min_mev < energy_max_mev and dose_scale, found ct " +
                       std::to_string(s.ct_min_hu) + ".." + std::to_string(s.ct_max_hu) +
                       " HU, energy " + std::to_string(s.energy_min_mev) + ".." +
                       std::to_string(s.energy_max_mev) + " MeV, dose_scale " +
                       std::to_string(s.dose_scale));
    require_memory(std::vector<std::uint64_t>{std::uint64_t(cfg.parameter_count())}, sizeof(float),
                   path + ": attribute 'config' (all weights)");
    ModelWeights w;
    for_each_tensor(
        cfg, w, [&](const std::string& name, const std::vector<long long>& expected, Tensor& t) {
          where = "dataset '" + name + "'";
          t = weights_h5::read_tensor(f, path, name, expected);
        });
    Model m(cfg, std::move(w), s);
    std::string desc = path;
    if (root.attrExists("description")) desc = read_string_attr(root, "description");
    m.set_description(desc);
    return m;
  } catch (const Error&) {
    throw;
  } catch (const H5::Exception& e) {
    throw IoError(path + ": cannot read " + where + " (" + e.getDetailMsg() + ")");
  }
}

std::shared_ptr<const Model> Model::load_shared(const std::string& path) {
  return std::make_shared<const Model>(load(path));
}

void Model::save(const std::string& path) const {
  H5::Exception::dontPrint();
  write_atomically(path, [&](const std::string& tmp) {
    std::string where = "file";
    try {
      H5::H5File f = h5mem::create();  // in memory: a failed disk write cannot wedge HDF5
      H5::Group root = f.openGroup("/");
      write_string_attr(root, "format", kFormat);
      write_string_attr(root, "family", "dota");
      write_double_attr(root, "format_version", kFormatVersion);
      write_string_attr(root, "config", config_.to_json().dump());
      write_double_attr(root, "ct_min_hu", scaling_.ct_min_hu);
      write_double_attr(root, "ct_max_hu", scaling_.ct_max_hu);
      write_double_attr(root, "energy_min_mev", scaling_.energy_min_mev);
      write_double_attr(root, "energy_max_mev", scaling_.energy_max_mev);
      write_double_attr(root, "dose_scale", scaling_.dose_scale);
      write_string_attr(root, "description", description_);
      for_each_tensor([&](const std::string& name, const std::vector<long long>&, const Tensor& t) {
        where = "dataset '" + name + "'";
        weights_h5::write_tensor(f, name, t);
      });
      where = "file";
      h5mem::write_image(f, tmp, path);
    } catch (const H5::Exception& e) {
      throw IoError(path + ": cannot write " + where + " (" + e.getDetailMsg() + ")");
    }
  });
}

}  // namespace dotakv
