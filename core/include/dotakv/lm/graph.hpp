// The language model's forward pass with saved activations and its backward pass (training),
// for ONE token sequence, templated on the scalar (float for training, double for the
// finite-difference checks). Every layer is the engine's shared one (layers/: embedding lookup,
// rmsnorm, dense, rope, gqa attention, swiglu) with its backward beside its forward.
//
// Parameters are passed as a pointer table in tensor_layout() order (LmModel::data(i), or the
// values of a train::ParamSet<T>); gradients as a table of the same layout, accumulated (+=).
//
//   forward(tokens [t], 1 <= t <= max_context)   -> ws logits [t, V]   (positions 0 .. t-1,
//                                                    causal: row i sees tokens 0..i)
//   backward(dlogits [t, V])                       -> grads += dL/dparams
// backward() needs a prior forward() on the same workspace. Architecture: lm/model.hpp.
// Saved per block: inputs of both sub-blocks [t, D], normed inputs and rstd, q/k after RoPE,
// v, attention probabilities [NH, t, t], attention output, gate/up/SwiGLU [t, F]; a workspace
// of lm-small at t = 512 holds about 80 MB (float).
// Thread safety: a graph is immutable; a workspace belongs to one thread.
#pragma once
#include <memory>
#include <vector>

#include "dotakv/lm/model.hpp"
#include "dotakv/model_config.hpp"

namespace dotakv::lm {

template <class T>
struct LmWorkspace;

template <class T>
class LmGraph {
 public:
  // prec: fp32, or bf16 mixed precision for the float matrix products (layers/dense.hpp).
  explicit LmGraph(const LmConfig& cfg, ComputePrecision prec = ComputePrecision::fp32);
  const LmConfig& config() const { return cfg_; }
  std::shared_ptr<LmWorkspace<T>> make_workspace() const;

  // ShapeError for t outside 1..max_context; ValueError naming a token id outside the vocabulary.
  void forward(const std::vector<const T*>& p, const int* tokens, int t, LmWorkspace<T>& ws) const;
  void backward(const std::vector<const T*>& p, LmWorkspace<T>& ws, const T* dlogits,
                const std::vector<T*>& grads) const;
  static const T* logits(const LmWorkspace<T>& ws);  // [t, V] of the last forward()
  static int length(const LmWorkspace<T>& ws);

 private:
  LmConfig cfg_;
  Layout L_;
  ComputePrecision prec_;
};

// Next-token cross-entropy of one window: inputs [t] (e.g. BOS x0 .. x_{t-2}), targets [t]
// (x0 .. x_{t-1}); returns the SUM over the t positions of -ln p(target | prefix) (nats). When
// grads is non-null, accumulates scale * d(sum)/dparams into it. ValueError for a target outside
// the vocabulary.
template <class T>
double sequence_loss(const LmGraph<T>& g, const std::vector<const T*>& p, const int* inputs,
                     const int* targets, int t, LmWorkspace<T>& ws, const std::vector<T*>* grads,
                     T scale);

}  // namespace dotakv::lm
