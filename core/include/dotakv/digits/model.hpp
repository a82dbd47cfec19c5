// Digits: an encoder-decoder transformer that reads an image of a handwritten digit string and
// writes its digits one token at a time (issue #16). This header holds the immutable part:
// configuration, the tensor layout and the weights. All mutable state (KV caches, scratch) lives
// in a DigitsSession (digits/session.hpp); training in digits/graph.hpp and digits/trainer.hpp.
//
// Architecture (channels-last; legend: W image width in px (multiple of 8), Te = W/8 encoder
// tokens, t decoder tokens, D = d_model, NH = heads, HD = D/NH, F = ffn, V = 13):
//   stem, image [32, W, 1] (ink 1 on 0):
//     conv1 3x3 'same' + bias, 1->C1, ReLU, MaxPool2          [16, W/2, C1]
//     conv2 3x3 'same' + bias, C1->C2, ReLU, MaxPool2         [8, W/4, C2]
//     conv3 3x3 'same' + bias, C2->C3, ReLU, MaxPool2         [4, W/8, C3]
//     column x -> token x: the 4 x C3 values of column x (row-major [4, C3]) -> Dense(4*C3 -> D)
//     + fixed sinusoidal position (Vaswani et al. 2017: pe[p, 2i] = sin(p / 10000^(2i/D)),
//       pe[p, 2i+1] = cos(...)) -- no learned table, so any width up to max_width works.
//   encoder, E x pre-norm block over Te tokens (bidirectional):
//     x += Wo MHA(LN1(x) Wq, LN1(x) Wk, LN1(x) Wv)          no projection biases
//     x += W2 GELU(W1 LN2(x) + b1) + b2
//   memory = LNe(x)                                           [Te, D]
//   decoder, tokens BOS d1 .. dL (t = L + 1, positions 0 .. L), embedding [V, D]:
//     N x pre-norm block:
//       y += Wo MHA_causal(RoPE(LN1(y) Wq), RoPE(LN1(y) Wk), LN1(y) Wv)   self-attention
//       y += Wo' MHA(LN2(y) Wq', memory Wk', memory Wv')                  cross-attention
//       y += W2 GELU(W1 LN3(y) + b1) + b2
//     logits = LNd(y) Wlogits + blogits                        [t, V]
//   RoPE: rotate-half pairing (i, i + HD/2), theta = rope_theta (10000), on the queries and keys
//   of the decoder self-attention only (layers/rope.hpp). Attention scores / sqrt(HD).
//   LayerNorm eps 1e-6, GELU exact (erf). Vocabulary: 0-9 digits, 10 BOS, 11 EOS, 12 PAD.
//
// Weights file: HDF5, format "dotakv-weights", root attribute family = "digits", config JSON,
// one float dataset per tensor (names/shapes: tensor_layout(); docs/format_weights.md). A DoTA
// file given here (family "dota" or absent) is refused with a FormatError naming the family.
// Thread safety: a const DigitsModel is safe to share between threads.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dotakv/model.hpp"

namespace dotakv::digits {

constexpr int kVocab = 13;
constexpr int kBos = 10, kEos = 11, kPad = 12;
constexpr int kImageHeight = 32;

struct DigitsConfig {
  int height = kImageHeight;  // must be 32 (the stem pools 3 times to 4 rows)
  int stem1 = 16, stem2 = 32, stem3 = 32;
  int d_model = 128;
  int heads = 4;
  int ffn = 256;
  int encoder_layers = 2;
  int decoder_layers = 2;
  int max_digits = 96;         // longest string the decoder accepts (self cache: max_digits + 1)
  int max_width = 4096;        // widest image in px (encoder tokens: max_width / 8)
  int trained_max_digits = 0;  // longest string length seen in training (0: unknown); longer
                               // images are still read, but accuracy is only claimed up to it
  double rope_theta = 10000.0;

  // "digits-small" (the defaults) | "digits-tiny" (tests: D 32, 2 heads, 1+1 layers).
  static DigitsConfig preset(const std::string& name);
  // Unknown keys, wrong types, inconsistent values: ConfigError naming the key.
  static DigitsConfig from_json(const nlohmann::json& j);
  static DigitsConfig from_name_or_file(const std::string& name_or_path);
  nlohmann::json to_json() const;
  void validate() const;
  int head_dim() const { return d_model / heads; }
  int max_tokens() const { return max_digits + 1; }  // decoder positions 0 .. max_digits
  int max_encoder_tokens() const { return max_width / 8; }
};

// The ordered tensor list of a config: name and shape (Keras order: Dense kernels [in, out]).
using dotakv::TensorSpec;  // dotakv/model.hpp
std::vector<TensorSpec> tensor_layout(const DigitsConfig& cfg);

// Index of every tensor in tensor_layout() order (for fast access by graph and session).
struct Layout {
  struct Attn {
    int q, k, v, o;
  };
  struct EncBlock {
    int ln1_g, ln1_b;
    Attn att;
    int ln2_g, ln2_b, ff1_k, ff1_b, ff2_k, ff2_b;
  };
  struct DecBlock {
    int ln1_g, ln1_b;
    Attn self;
    int ln2_g, ln2_b;
    Attn cross;
    int ln3_g, ln3_b, ff1_k, ff1_b, ff2_k, ff2_b;
  };
  int conv1_k, conv1_b, conv2_k, conv2_b, conv3_k, conv3_b, proj_k, proj_b;
  std::vector<EncBlock> enc;
  int enc_ln_g, enc_ln_b;
  int embedding;
  std::vector<DecBlock> dec;
  int dec_ln_g, dec_ln_b, logits_k, logits_b;
  explicit Layout(const DigitsConfig& cfg);
};

class DigitsModel {
 public:
  DigitsModel(DigitsConfig cfg, std::vector<Tensor> tensors);
  // Seeded Glorot-uniform kernels, N(0, 0.02) embedding, LayerNorm gamma 1 beta 0, biases 0.
  static DigitsModel random(const DigitsConfig& cfg, std::uint64_t seed);
  // IoError (missing, not HDF5), FormatError (family not "digits", missing dataset/attribute),
  // ShapeError (tensor shape), ValueError (NaN/Inf weight), ConfigError (config attribute).
  static DigitsModel load(const std::string& path);
  static std::shared_ptr<const DigitsModel> load_shared(const std::string& path);
  void save(const std::string& path) const;  // atomic

  const DigitsConfig& config() const { return cfg_; }
  const Layout& layout() const { return layout_; }
  const std::vector<Tensor>& tensors() const { return tensors_; }
  const float* data(int index) const { return tensors_[std::size_t(index)].data.data(); }
  std::size_t parameter_count() const;
  const std::string& description() const { return description_; }
  void set_description(std::string d) { description_ = std::move(d); }

 private:
  DigitsConfig cfg_;
  Layout layout_;
  std::vector<Tensor> tensors_;
  std::string description_;
};

// Element-wise mean of the weights of models with one config: checkpoint averaging along one
// training run (stochastic weight averaging, Izmailov et al., UAI 2018; "model soups", Wortsman
// et al., ICML 2022). Valid for this family because it has LayerNorm only, no batch statistics.
// ConfigError naming the first model whose config differs from models[0]'s; ValueError for an
// empty list. The result's description names the count; `names` (if given) are listed in it.
DigitsModel average_models(const std::vector<DigitsModel>& models,
                           const std::vector<std::string>& names = {});

// Token <-> text: digits '0'..'9'; BOS/EOS/PAD never appear in text.
std::string tokens_to_text(const std::vector<int>& tokens);

// The fixed sinusoidal encoder position code, row p of [*, D].
void sinusoid_position(int p, int d, float* out);

}  // namespace dotakv::digits
