// The DoTA forward pass with saved activations and its backward pass, for training.
//
// Parameters live in a ParamSet<T>: the model's tensors as flat arrays in Model::for_each_tensor
// order (names and Keras shapes as in docs/format_weights.md). Gradients use a second ParamSet of
// the same layout. T = float for training, T = double for whole-model gradient checks.
//
// Graph<T> computes, for ONE sample (layer order and semantics identical to Session, see
// model.hpp; the transformer runs over all T = S + 1 tokens at once with the causal mask):
//   forward(x [S, H, W] scaled CT, e scaled energy) -> out [S, H, W] raw model output
//   backward(dL/dout [S, H, W]) -> gradients accumulated (+=) into a ParamSet
// Activations are kept in a Workspace<T> (one per thread; ~60 MB for the compact config).
//
// Batch training (float): loss_and_gradients() runs the samples of a batch over OpenMP threads
// with static scheduling, each thread accumulating into its own gradient buffer, then reduces the
// buffers in thread order. Results are deterministic for a given thread count.
//
// Thread safety: Graph is immutable after construction; a Workspace belongs to one thread.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "dotakv/model.hpp"
#include "dotakv/train/loss.hpp"
#include "dotakv/train/optimizer.hpp"

namespace dotakv::train {

template <class T>
struct ParamSet {
  std::vector<std::string> names;
  std::vector<std::vector<long long>> shapes;
  std::vector<std::vector<T>> values;

  // The model's weights converted to T.
  static ParamSet from_model(const Model& m);
  // Zero tensors with the same names and shapes.
  ParamSet zeros_like() const;
  void set_zero();
  // Copies the values into a ModelWeights (float) of the same config.
  void to_weights(const ModelConfig& cfg, ModelWeights& w) const;
  // Index of a named tensor (ValueError if absent).
  std::size_t index(const std::string& name) const;
  std::size_t total_size() const;
};

// Views of params + grads for the optimizers. decay: kernels and embeddings (names ending in
// "kernel" or "position_embedding"); not norm gains/offsets or biases.
ParamList param_list(ParamSet<float>& params, ParamSet<float>& grads);

// A Model with the given parameter values (config and scaling copied from `like`).
std::shared_ptr<const Model> model_from_params(const Model& like, const ParamSet<float>& params);

template <class T>
struct Workspace;

template <class T>
class Graph {
 public:
  // prec: matrix products and convolutions in fp32, or bf16 mixed precision (operands rounded to
  // bf16, fp32 accumulation and outputs; norms, activations, softmax, losses stay fp32). float
  // only.
  explicit Graph(const ModelConfig& cfg, ComputePrecision prec = ComputePrecision::fp32);
  ~Graph();
  const ModelConfig& config() const { return cfg_; }
  ComputePrecision precision() const { return prec_; }

  std::shared_ptr<Workspace<T>> make_workspace() const;
  // x [S, H, W] scaled; out [S, H, W].
  void forward(const ParamSet<T>& p, const T* x, T e, Workspace<T>& ws, T* out) const;
  // After forward() on the same workspace: dout [S, H, W]; grads accumulated.
  void backward(const ParamSet<T>& p, Workspace<T>& ws, const T* dout, ParamSet<T>& grads) const;

 private:
  ModelConfig cfg_;
  ComputePrecision prec_ = ComputePrecision::fp32;
};

// One training sample in model units: x = scaled CT [S, H, W], y = scaled dose [S, H, W].
struct ScaledSample {
  const float* x = nullptr;
  const float* y = nullptr;
  float e = 0.f;
};

enum class LossKind { mse, dose_weighted };

// Per-thread scratch for loss_and_gradients (workspaces + gradient buffers), reused across calls.
struct BatchScratch {
  std::vector<std::shared_ptr<Workspace<float>>> ws;
  std::vector<ParamSet<float>> grads;
  std::vector<std::vector<float>> out, dout;
  BatchScratch();
  ~BatchScratch();
};

// Mean over the batch of the per-sample loss (MSE over voxels, or dose-weighted MSE with alpha);
// grads = its gradient (overwritten). Returns the loss.
double loss_and_gradients(const Graph<float>& g, const ParamSet<float>& p,
                          const std::vector<ScaledSample>& batch, LossKind kind, float alpha,
                          ParamSet<float>& grads, BatchScratch& scratch);

}  // namespace dotakv::train
