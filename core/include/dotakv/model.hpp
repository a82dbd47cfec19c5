// Model: the immutable DoTA weights + configuration + input/output scaling constants.
// Load once, share everywhere as std::shared_ptr<const Model>; all mutable state (KV cache,
// scratch, oneDNN primitives, reordered weights) lives in a Session (session.hpp).
//
//   auto model = dotakv::Model::load_shared("weights.h5");       // or Model::random(cfg, seed)
//   dotakv::Session s(model, {.mode = dotakv::Mode::stream});
//   dotakv::Volume dose = s.infer(ct_hu, 150.0);
//
// Architecture (dimension legend in model_config.hpp; activations channels-last):
//   encoder, per slice [H,W,1]:
//     conv1  Conv2D KxK 'same', no bias, 1->C -> GroupNorm(16) -> MaxPool2 -> ReLU  [H/2,W/2,C]
//     conv2  Conv2D KxK 'same', no bias, C->C -> GroupNorm(16) -> MaxPool2 -> ReLU  [H/4,W/4,C]
//     conv3  Conv2D KxK 'same', no bias, C->P -> GroupNorm(4)  -> ReLU              [H/4,W/4,P]
//     flatten channels-last -> token [D]
//   energy token: Dense(1->D) with bias on the scaled energy -> token 0
//   tokens [T,D] += position embedding [T,D]
//   L x pre-norm block:
//     x += OutProj(MHA(LN1(x)))   NH heads of KD, no biases, causal, scores / sqrt(KD)
//     x += GELU(Dense2(GELU(Dense1(LN2(x)))))   Dense D->D with bias, GELU with erf
//   decoder, per slice token 1..S reshaped [H/4,W/4,P]:
//     deconv1  Conv2DTranspose KxK stride 2 'same', no bias, P->C -> GN(16) -> ReLU [H/2,W/2,C]
//     deconv2  Conv2DTranspose KxK stride 2 'same', no bias, C->C -> GN(16) -> ReLU [H,W,C]
//     out      Conv2D KxK 'same' with bias, C->1                                   [H,W,1]
//   GroupNorm eps = 1e-3 (Keras GroupNormalization default), LayerNorm eps = 1e-6.
//   Conv2DTranspose 'same' with stride 2 (Keras/TF semantics, the adjoint of a stride-2 'same'
//   Conv2D): out[2 i + k - pb] += in[i] * w[k] with pb = (K-2)/2 (K=5: 1), out-of-range
//   positions dropped; kernels are NOT flipped.
//
// Scaling (stored as HDF5 attributes, see docs/format_weights.md):
//   CT:     x = (HU - ct_min_hu) / (ct_max_hu - ct_min_hu)          (not clipped)
//   energy: e = (MeV - 70) / (220 - 70)                              (energy_min/max_mev)
//   dose:   Gy per primary = model output * dose_scale
//
// Thread safety: a const Model is safe to share between threads.
#pragma once
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "dotakv/model_config.hpp"

namespace dotakv {

// A dense float tensor, row-major, with its shape.
struct Tensor {
  std::vector<long long> shape;
  std::vector<float> data;
  Tensor() = default;
  explicit Tensor(std::vector<long long> s, float fill = 0.f);
  std::int64_t numel() const;
};

// One entry of a model family's ordered tensor list (digits, lm: tensor_layout(config)).
struct TensorSpec {
  std::string name;
  std::vector<long long> shape;
};

struct Scaling {
  double ct_min_hu = -1024.0, ct_max_hu = 3071.0;
  double energy_min_mev = 70.0, energy_max_mev = 220.0;
  double dose_scale = 1.0;  // Gy per primary per unit of model output
};

// Weights of one pre-norm transformer block. Shapes in Keras order.
struct TransformerWeights {
  Tensor ln1_gamma, ln1_beta;   // [D]
  Tensor wq, wk, wv;            // [D, NH, KD]   (Keras MultiHeadAttention query/key/value kernels)
  Tensor wo;                    // [NH, KD, D]   (attention_output kernel)
  Tensor ln2_gamma, ln2_beta;   // [D]
  Tensor ff1_kernel, ff1_bias;  // [D, D], [D]
  Tensor ff2_kernel, ff2_bias;  // [D, D], [D]
};

struct ModelWeights {
  // encoder (Keras Conv2D kernels HWIO: [K, K, in, out])
  Tensor enc_conv1;                        // [K, K, 1, C]
  Tensor enc_gn1_gamma, enc_gn1_beta;      // [C]
  Tensor enc_conv2;                        // [K, K, C, C]
  Tensor enc_gn2_gamma, enc_gn2_beta;      // [C]
  Tensor enc_conv3;                        // [K, K, C, P]
  Tensor enc_gn3_gamma, enc_gn3_beta;      // [P]
  Tensor energy_kernel, energy_bias;       // [1, D], [D]
  Tensor pos_embedding;                    // [T, D]
  std::vector<TransformerWeights> blocks;  // L
  // decoder (Keras Conv2DTranspose kernels: [K, K, out, in])
  Tensor dec_deconv1;                  // [K, K, C, P]
  Tensor dec_gn1_gamma, dec_gn1_beta;  // [C]
  Tensor dec_deconv2;                  // [K, K, C, C]
  Tensor dec_gn2_gamma, dec_gn2_beta;  // [C]
  Tensor dec_conv;                     // [K, K, C, 1]
  Tensor dec_conv_bias;                // [1]
};

class Model {
 public:
  // Seeded random initialisation (deterministic for a given config and seed): conv/dense
  // kernels Glorot-uniform, norms gamma = 1 / beta = 0 perturbed slightly, position embedding
  // and biases small uniform. Validates the config.
  static Model random(const ModelConfig& cfg, std::uint64_t seed);
  static std::shared_ptr<const Model> random_shared(const ModelConfig& cfg, std::uint64_t seed);
  // Loads an HDF5 weights file (docs/format_weights.md). Every tensor is checked: IoError
  // (missing/not HDF5/truncated), FormatError (missing dataset/attribute, with the name),
  // ShapeError ("tensor 'x': expected [..], found [..]"), ValueError (NaN/Inf weight),
  // ConfigError (bad config attribute).
  static Model load(const std::string& path);
  static std::shared_ptr<const Model> load_shared(const std::string& path);
  // Writes the HDF5 weights file atomically.
  void save(const std::string& path) const;

  Model(ModelConfig cfg, ModelWeights w, Scaling s);

  const ModelConfig& config() const { return config_; }
  const ModelWeights& weights() const { return weights_; }
  const Scaling& scaling() const { return scaling_; }
  // Free-form provenance ("random seed=1", file path, ...).
  const std::string& description() const { return description_; }
  void set_description(std::string d) { description_ = std::move(d); }

  float scale_ct(float hu) const {
    return float((hu - scaling_.ct_min_hu) / (scaling_.ct_max_hu - scaling_.ct_min_hu));
  }
  float scale_energy(double mev) const {
    return float((mev - scaling_.energy_min_mev) /
                 (scaling_.energy_max_mev - scaling_.energy_min_mev));
  }
  // Raw network output (model units) -> Gy per primary, unclipped (can be slightly negative).
  float unscale_dose(float y) const { return float(y * scaling_.dose_scale); }
  // The dose a Session returns: unscaled and clipped at zero. A dose cannot be negative; the
  // network's small negative outputs in the unirradiated region (over half the voxels of a
  // block, a few 1e-4 of the maximum) are clipped as DoTA-style pipelines do. The raw output
  // stays available through Session::infer_scaled.
  float output_to_dose(float y) const { return std::max(0.f, unscale_dose(y)); }

  // Cost model shortcuts (see ModelConfig).
  double flops_full(int batch = 1) const { return config_.flops_full(batch); }
  double weight_bytes(ComputePrecision p = ComputePrecision::fp32) const {
    return config_.weight_bytes_per_step(p);
  }

  // Visits every tensor with its dataset name (e.g. "encoder/conv1/kernel",
  // "transformer_0/attention/query/kernel") and its expected shape for this config.
  void for_each_tensor(
      const std::function<void(const std::string& name, const std::vector<long long>& expected,
                               const Tensor& t)>& fn) const;
  // The same over a mutable ModelWeights (used by load and random init).
  static void for_each_tensor(
      const ModelConfig& cfg, ModelWeights& w,
      const std::function<void(const std::string& name, const std::vector<long long>& expected,
                               Tensor& t)>& fn);

 private:
  ModelConfig config_;
  ModelWeights weights_;
  Scaling scaling_;
  std::string description_;
};

}  // namespace dotakv
