// The digits model's forward pass with saved activations and its backward pass (training), and
// the encoder forward the inference session runs (one implementation of the encoder).
//
// Parameters are passed as a pointer table in tensor_layout() order (DigitsModel::data(i), or
// the values of a train::ParamSet<T>); gradients as a table of the same layout, accumulated (+=).
// T = float for training, double for the finite-difference checks.
//
// For ONE sample:
//   encode(image [32, W] ink 0..1, W % 8 == 0)   -> ws.memory [Te = W/8, D]
//   decode(tokens [t] = BOS d1 .. d_{t-1})        -> ws.logits [t, V]   (teacher forcing)
//   backward(dlogits [t, V])                      -> grads += dL/dparams
// decode() needs a prior encode() on the same workspace; backward() needs both.
// Thread safety: a graph is immutable; a workspace belongs to one thread.
#pragma once
#include <memory>
#include <vector>

#include "dotakv/digits/model.hpp"
#include "dotakv/model_config.hpp"

namespace dotakv::digits {

template <class T>
struct DigitsWorkspace;

template <class T>
class DigitsGraph {
 public:
  explicit DigitsGraph(const DigitsConfig& cfg, ComputePrecision prec = ComputePrecision::fp32);
  const DigitsConfig& config() const { return cfg_; }
  std::shared_ptr<DigitsWorkspace<T>> make_workspace() const;

  void encode(const std::vector<const T*>& p, const T* image, int width,
              DigitsWorkspace<T>& ws) const;
  void decode(const std::vector<const T*>& p, const int* tokens, int t,
              DigitsWorkspace<T>& ws) const;
  void backward(const std::vector<const T*>& p, DigitsWorkspace<T>& ws, const T* dlogits,
                const std::vector<T*>& grads) const;

  // Results of the last encode()/decode() of ws.
  static const T* memory(const DigitsWorkspace<T>& ws);  // [Te, D]
  static int encoder_tokens(const DigitsWorkspace<T>& ws);
  static const T* logits(const DigitsWorkspace<T>& ws);  // [t, V]

 private:
  DigitsConfig cfg_;
  Layout L_;
  ComputePrecision prec_;
};

// Teacher-forced cross-entropy of one labelled image: tokens BOS d1..dL, targets d1..dL EOS.
// Returns the SUM of the L + 1 token cross-entropies (*tokens = L + 1); when grads is non-null,
// accumulates scale * d(sum)/dparams into it.
template <class T>
double sample_loss(const DigitsGraph<T>& g, const std::vector<const T*>& p, const T* image,
                   int width, const std::vector<int>& labels, DigitsWorkspace<T>& ws,
                   const std::vector<T*>* grads, T scale, int* tokens);

}  // namespace dotakv::digits
