#include "dotakv/train/optimizer.hpp"

#include <cmath>

#include "dotakv/error.hpp"

namespace dotakv::train {

double global_grad_norm(const ParamList& params) {
  double s = 0.0;
  for (const auto& p : params)
    for (size_t i = 0; i < p.size; ++i) s += double(p.grad[i]) * p.grad[i];
  return std::sqrt(s);
}

double clip_grad_norm(const ParamList& params, double max_norm) {
  if (!(max_norm > 0.0) || !std::isfinite(max_norm))
    throw ValueError("clip_grad_norm: max_norm must be positive and finite, found " +
                     std::to_string(max_norm));
  const double n = global_grad_norm(params);
  if (!std::isfinite(n) || n <= max_norm) return n;
  const float scale = float(max_norm / n);
  for (const auto& p : params)
    for (size_t i = 0; i < p.size; ++i) p.grad[i] *= scale;
  return n;
}

Optimizer::Optimizer(const AdamConfig& cfg) : cfg_(cfg) {
  auto in01 = [](float b) { return b >= 0.f && b < 1.f; };
  if (!in01(cfg.beta1) || !in01(cfg.beta2))
    throw ValueError("optimizer: beta1, beta2 must be in [0, 1), found " +
                     std::to_string(cfg.beta1) + ", " + std::to_string(cfg.beta2));
  if (!(cfg.eps > 0.f) || !(cfg.weight_decay >= 0.f) || !std::isfinite(cfg.weight_decay))
    throw ValueError("optimizer: eps must be > 0 and weight_decay >= 0, found " +
                     std::to_string(cfg.eps) + ", " + std::to_string(cfg.weight_decay));
}

static void check_sizes(const OptimizerState& s, const ParamList& params) {
  if (s.m.size() != params.size() || s.v.size() != params.size())
    throw ShapeError("optimizer state: expected moments for " + std::to_string(params.size()) +
                     " parameters, found " + std::to_string(s.m.size()) + " (m) and " +
                     std::to_string(s.v.size()) + " (v)");
  for (size_t i = 0; i < params.size(); ++i)
    if (s.m[i].size() != params[i].size || s.v[i].size() != params[i].size)
      throw ShapeError("optimizer state: parameter '" + params[i].name + "': expected " +
                       std::to_string(params[i].size) + " moments, found " +
                       std::to_string(s.m[i].size()) + " (m) and " + std::to_string(s.v[i].size()) +
                       " (v)");
}

void Optimizer::set_state(OptimizerState s, const ParamList& params) {
  if (s.step < 0)
    throw ValueError("optimizer state: step must be >= 0, found " + std::to_string(s.step));
  if (!(s.m.empty() && s.v.empty() && s.step == 0)) check_sizes(s, params);
  state_ = std::move(s);
}

void Optimizer::prepare(const ParamList& params, float lr) {
  if (!(lr > 0.f) || !std::isfinite(lr))
    throw ValueError("optimizer: learning rate must be positive and finite, found " +
                     std::to_string(lr));
  if (state_.m.empty() && state_.v.empty()) {
    for (const auto& p : params) {
      state_.m.emplace_back(p.size, 0.f);
      state_.v.emplace_back(p.size, 0.f);
    }
  }
  check_sizes(state_, params);
  ++state_.step;
}

namespace {
struct Bias {
  double c1, c2;  // 1 - b^t
};
Bias bias(const AdamConfig& c, long long t) {
  return {1.0 - std::pow(double(c.beta1), double(t)), 1.0 - std::pow(double(c.beta2), double(t))};
}
// Updates m, v in place for one tensor and returns mhat / (sqrt(vhat) + eps) via `dir`.
inline float adam_dir(const AdamConfig& c, const Bias& b, float g, float& m, float& v) {
  m = c.beta1 * m + (1.f - c.beta1) * g;
  v = c.beta2 * v + (1.f - c.beta2) * g * g;
  const double mh = m / b.c1, vh = v / b.c2;
  return float(mh / (std::sqrt(vh) + c.eps));
}
}  // namespace

void AdamW::step(const ParamList& params, float lr) {
  prepare(params, lr);
  const Bias b = bias(cfg_, state_.step);
  for (size_t k = 0; k < params.size(); ++k) {
    const auto& p = params[k];
    float* m = state_.m[k].data();
    float* v = state_.v[k].data();
    const float wd = p.decay ? cfg_.weight_decay : 0.f;
    const long n = long(p.size);
#pragma omp parallel for schedule(static) if (n > 65536)
    for (long i = 0; i < n; ++i) {
      const float d = adam_dir(cfg_, b, p.grad[i], m[i], v[i]);
      p.value[i] -= lr * (d + wd * p.value[i]);
    }
  }
}

void Lamb::step(const ParamList& params, float lr) {
  prepare(params, lr);
  const Bias b = bias(cfg_, state_.step);
  trust_.assign(params.size(), 1.0);
  for (size_t k = 0; k < params.size(); ++k) {
    const auto& p = params[k];
    float* m = state_.m[k].data();
    float* v = state_.v[k].data();
    const float wd = p.decay ? cfg_.weight_decay : 0.f;
    // Pass 1: moments, ||w||, ||u||. Pass 2 recomputes u from the updated moments.
    double w2 = 0.0, u2 = 0.0;
    for (size_t i = 0; i < p.size; ++i) {
      const float u = adam_dir(cfg_, b, p.grad[i], m[i], v[i]) + wd * p.value[i];
      w2 += double(p.value[i]) * p.value[i];
      u2 += double(u) * u;
    }
    const double wn = std::sqrt(w2), un = std::sqrt(u2);
    const double r = (wn > 0.0 && un > 0.0) ? wn / un : 1.0;
    trust_[k] = r;
    const float step_size = float(lr * r);
    for (size_t i = 0; i < p.size; ++i) {
      const float u = float(double(m[i]) / b.c1 / (std::sqrt(double(v[i]) / b.c2) + cfg_.eps)) +
                      wd * p.value[i];
      p.value[i] -= step_size * u;
    }
  }
}

}  // namespace dotakv::train
