// Language model (family "lm", issue #17): a llama-architecture decoder-only transformer over the
// SentencePiece BPE vocabulary of lm/tokenizer.hpp. This header holds the immutable part:
// configuration, the tensor layout and the weights. Mutable state (the KV cache, scratch) lives in
// an LmSession (lm/session.hpp); training in lm/graph.hpp and lm/trainer.hpp. docs/lm.md.
//
// Architecture (legend: t tokens, V vocab, D = d_model, NH query heads, NKV key/value heads,
// G = NH / NKV, HD = D / NH head dim, F = ffn (SwiGLU hidden width), l = 0 .. layers-1):
//   x = token_embedding[ids]                                        [t, D]
//   per block l (pre-norm, residual):
//     h = RMSNorm(x) * attn_norm                                    [t, D]
//     q = h Wq [t, NH*HD],  k = h Wk [t, NKV*HD],  v = h Wv [t, NKV*HD]   (no biases)
//     q, k = RoPE(q), RoPE(k)     positions 0 .. t-1, theta = rope_theta, per head
//     a = causal GQA(q, k, v)     [t, NH*HD]; query head h uses kv head h / G; scores / sqrt(HD)
//     x += a Wo                                                     Wo [NH*HD, D]
//     h = RMSNorm(x) * mlp_norm
//     x += (silu(h Wgate) * (h Wup)) Wdown                          Wgate, Wup [D, F]; Wdown [F, D]
//   logits = (RMSNorm(x) * output_norm) Wout                        [t, V]
//     Wout = output/kernel [D, V], or token_embedding^T when tie_embeddings (no output tensor)
//   RMSNorm(x) = x / sqrt(mean(x^2) + norm_eps) (layers/rmsnorm.hpp); SwiGLU layers/swiglu.hpp;
//   attention layers/attention.hpp (gqa_*, attention_rows), RoPE layers/rope.hpp, cache
//   kv_cache.hpp: the engine's one implementation of each, shared with DoTA and digits.
//
// RoPE pairing: the shared rope.hpp convention, rotate-half (GPT-NeoX / Hugging Face): within a
// head, dimension i is paired with i + HD/2 and rotated by p * theta^(-2i/HD). llama.cpp's
// "llama" architecture in GGUF (LLAMA_ROPE_TYPE_NORM) rotates interleaved pairs (2i, 2i+1) (Meta's
// original layout); a GGUF export must therefore permute the output columns of Wq and Wk of every
// head (convert_hf_to_gguf.py's `permute`: column i of the rotate-half layout goes to 2i for
// i < HD/2 and to 2(i - HD/2) + 1 otherwise), and an import must undo it. Not done here yet.
//
// Weights file: HDF5, format "dotakv-weights", root attribute family = "lm", config JSON (below),
// description, one float32 dataset per tensor (tensor_layout(); docs/format_weights.md). Kernels
// in [in, out] order (Keras / digits). A DoTA or digits file given here is refused with a
// FormatError naming the family found, and LmModel files are refused by Model::load and
// DigitsModel::load in the same way.
//
// Thread safety: a const LmModel is safe to share between threads (one model, many sessions).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dotakv/model.hpp"

namespace dotakv::lm {

struct LmConfig {
  int vocab = 4096;  // V, the tokenizer's vocabulary (2 .. 262,144)
  int d_model = 256;
  int layers = 6;
  int heads = 8;          // NH query heads (1..256, divides d_model, HD even)
  int kv_heads = 2;       // NKV (divides heads)
  int ffn = 704;          // F: 8/3 * D rounded up to a multiple of 64 (llama's rule)
  int max_context = 512;  // longest sequence (positions 0 .. max_context-1; KV cache rows)
  double rope_theta = 10000.0;
  double norm_eps = 1e-5;
  bool tie_embeddings = true;  // output head = token_embedding^T (no output/kernel tensor)

  // "lm-small" (the defaults above, 5.28 M parameters) | "lm-tiny" (tests: V 512, D 32, 2
  // layers, 4 heads / 2 KV heads, F 64, context 64, untied).
  static LmConfig preset(const std::string& name);
  // Unknown keys, wrong types (every integer checked as int32 first), values out of range:
  // ConfigError naming the key. All keys optional (defaults above); "family" must be "lm".
  static LmConfig from_json(const nlohmann::json& j);
  // A preset name, or a path ending in .json (read_json_file; errors prefixed with the path).
  static LmConfig from_name_or_file(const std::string& name_or_path);
  nlohmann::json to_json() const;
  // ConfigError naming the key: vocab 2..262144, d_model 2..8192, layers 1..256, heads 1..256,
  // d_model % heads == 0, head_dim even, kv_heads 1..heads dividing heads, ffn 1..65536,
  // max_context 1..131072, rope_theta finite > 1, norm_eps finite in (0, 1).
  void validate() const;
  int head_dim() const { return d_model / heads; }
  int group() const { return heads / kv_heads; }
  // Parameters of the config (exact, in uint64: no overflow for any valid config).
  std::uint64_t parameter_count() const;
};

// The ordered tensor list of a config (Dense kernels [in, out]):
//   token_embedding                        [V, D]
//   block_l/attn_norm/gamma                [D]
//   block_l/attention/query/kernel         [D, NH*HD]
//   block_l/attention/key/kernel           [D, NKV*HD]
//   block_l/attention/value/kernel         [D, NKV*HD]
//   block_l/attention/output/kernel        [NH*HD, D]
//   block_l/mlp_norm/gamma                 [D]
//   block_l/mlp/gate/kernel                [D, F]
//   block_l/mlp/up/kernel                  [D, F]
//   block_l/mlp/down/kernel                [F, D]
//   output_norm/gamma                      [D]
//   output/kernel                          [D, V]      (only when !tie_embeddings)
using dotakv::TensorSpec;  // dotakv/model.hpp
std::vector<TensorSpec> tensor_layout(const LmConfig& cfg);

// Index of every tensor in tensor_layout() order.
struct Layout {
  struct Block {
    int attn_norm, wq, wk, wv, wo, mlp_norm, w_gate, w_up, w_down;
  };
  int embedding;
  std::vector<Block> blocks;
  int output_norm;
  int output;  // -1 when tied (the head is token_embedding^T)
  explicit Layout(const LmConfig& cfg);
};

class LmModel {
 public:
  // ShapeError naming the tensor when the count or a shape differs from tensor_layout(cfg);
  // ValueError naming the tensor for a NaN/Inf value; ConfigError from cfg.validate().
  LmModel(LmConfig cfg, std::vector<Tensor> tensors);
  // Seeded init: kernels N(0, 0.02), the residual outputs (attention/output, mlp/down) scaled by
  // 1/sqrt(2 * layers) (GPT-2), embedding N(0, 0.02), norm gains 1. ResourceError before
  // allocating when the parameters exceed the memory cap (limits.hpp).
  static LmModel random(const LmConfig& cfg, std::uint64_t seed);
  // IoError (missing, not HDF5, unreadable), FormatError (family not "lm" -- the message names the
  // family found --, format, missing attribute/dataset), ConfigError (config attribute),
  // ResourceError (the config claims more than the memory cap, before any tensor is read),
  // ShapeError (tensor shape), ValueError (NaN/Inf weight).
  static LmModel load(const std::string& path);
  static std::shared_ptr<const LmModel> load_shared(const std::string& path);
  void save(const std::string& path) const;  // atomic (atomic_file.hpp); IoError on failure

  const LmConfig& config() const { return cfg_; }
  const Layout& layout() const { return layout_; }
  const std::vector<Tensor>& tensors() const { return tensors_; }
  const float* data(int index) const { return tensors_[std::size_t(index)].data.data(); }
  std::size_t parameter_count() const;
  const std::string& description() const { return description_; }
  void set_description(std::string d) { description_ = std::move(d); }

 private:
  LmConfig cfg_;
  Layout layout_;
  std::vector<Tensor> tensors_;
  std::string description_;
};

}  // namespace dotakv::lm
