// Optimizers for training DoTA: AdamW and LAMB over a flat list of parameter/gradient views,
// plus global-norm gradient clipping.
//
// Parameters are seen through ParamRef: a named, contiguous float tensor `value[size]` with its
// gradient `grad[size]` (same layout) and a flag saying whether weight decay applies (by
// convention: kernels/embeddings decay; biases and norm gains/offsets do not). The model exposes
// its weights as a ParamList in a fixed order; optimizer state is indexed by that order, so the
// same list (same order, names and sizes) must be passed to every step() and when restoring.
// The optimizer never owns parameters; it only keeps its moments.
//
// AdamW (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization", Alg. 2), per element,
// step t = 1, 2, ...:
//   m <- b1 m + (1 - b1) g            v <- b2 v + (1 - b2) g^2
//   mhat = m / (1 - b1^t)             vhat = v / (1 - b2^t)
//   w <- w - lr * ( mhat / (sqrt(vhat) + eps) + wd * w )       (wd term only if decay)
// The decay is decoupled from the gradient (it never enters m, v) and scaled by lr, i.e. the
// paper's schedule multiplier eta_t is lr / lr_0 folded with alpha = lr_0 (the PyTorch convention).
//
// LAMB (You et al. 2020, "Large Batch Optimization for Deep Learning: Training BERT in 76
// minutes", Alg. 2), with each ParamRef as one "layer":
//   m, v, mhat, vhat as above
//   u = mhat / (sqrt(vhat) + eps) + wd * w                    (wd term only if decay)
//   r = ||w||_2 / ||u||_2   (phi = identity; r = 1 if ||w|| == 0 or ||u|| == 0)
//   w <- w - lr * r * u
// DoTA (Pastor-Serrano & Perko 2022) trained with LAMB, lr 1e-3, weight decay 1e-3, batch 8.
//
// Determinism: element updates are independent (OpenMP over elements does not change results);
// norms are accumulated in double in a fixed serial order. Same inputs -> bit-identical outputs
// for any thread count.
//
// Thread safety: an optimizer instance is not thread-safe; one per training run.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace dotakv::train {

// A view of one parameter tensor and its gradient. Non-owning; both pointers must stay valid and
// hold `size` floats for as long as the list is used.
struct ParamRef {
  std::string name;  // e.g. "encoder/conv1/kernel" — used in error messages and checkpoints
  float* value = nullptr;
  float* grad = nullptr;
  size_t size = 0;
  bool decay = true;  // apply weight decay to this tensor
};
using ParamList = std::vector<ParamRef>;

// sqrt(sum over all params of sum g^2), accumulated in double, serial order.
double global_grad_norm(const ParamList& params);

// Global-norm clipping (Pascanu et al. 2013): if n = global_grad_norm > max_norm, every gradient
// is multiplied by max_norm / n. Returns n (before clipping). max_norm must be > 0 and finite
// (ValueError). A non-finite norm leaves the gradients untouched and is returned as is, so the
// caller can stop on it.
double clip_grad_norm(const ParamList& params, double max_norm);

struct AdamConfig {
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float eps = 1e-6f;
  float weight_decay = 0.f;  // wd above; only applied to ParamRef::decay == true
};

// Everything an optimizer needs to continue exactly: the step count t of the last completed step
// and the moments m, v per parameter (m[i], v[i] have params[i].size floats). Plain vectors so a
// checkpoint writer can store them as datasets named after params[i].name.
struct OptimizerState {
  long long step = 0;
  std::vector<std::vector<float>> m;
  std::vector<std::vector<float>> v;
};

class Optimizer {
 public:
  explicit Optimizer(const AdamConfig& cfg);
  virtual ~Optimizer() = default;
  // One update of every parameter with its current gradient at learning rate lr (> 0, finite).
  // Moments are created (zero) on the first call. Throws ShapeError if the list's count or sizes
  // differ from the state's, ValueError for a bad lr.
  virtual void step(const ParamList& params, float lr) = 0;
  const AdamConfig& config() const { return cfg_; }
  const OptimizerState& state() const { return state_; }
  // Restores a saved state; validated against `params` (count and sizes, ShapeError naming the
  // parameter) and step >= 0 with m, v both present or both empty (ValueError).
  void set_state(OptimizerState s, const ParamList& params);

 protected:
  void prepare(const ParamList& params, float lr);  // validation + lazy init, then ++step
  AdamConfig cfg_;
  OptimizerState state_;
};

class AdamW final : public Optimizer {
 public:
  using Optimizer::Optimizer;
  void step(const ParamList& params, float lr) override;
};

class Lamb final : public Optimizer {
 public:
  using Optimizer::Optimizer;
  void step(const ParamList& params, float lr) override;
  // Trust ratios r of the last step, one per parameter (for logging and tests).
  const std::vector<double>& last_trust_ratios() const { return trust_; }

 private:
  std::vector<double> trust_;
};

}  // namespace dotakv::train
