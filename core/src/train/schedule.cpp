#include "dotakv/train/schedule.hpp"

#include <cmath>
#include <numbers>
#include <string>

#include "dotakv/error.hpp"

namespace dotakv::train {

void validate(const ScheduleConfig& c) {
  auto bad = [](const std::string& field, const std::string& want, double found) {
    throw ConfigError("schedule: field '" + field + "': expected " + want + ", found " +
                      std::to_string(found));
  };
  if (!(c.base_lr > 0.0) || !std::isfinite(c.base_lr)) bad("base_lr", "> 0", c.base_lr);
  if (c.warmup_steps < 0) bad("warmup_steps", ">= 0", double(c.warmup_steps));
  if (c.kind == ScheduleKind::Step) {
    if (c.step_epochs < 1) bad("step_epochs", ">= 1", c.step_epochs);
    if (!(c.gamma > 0.0 && c.gamma <= 1.0)) bad("gamma", "in (0, 1]", c.gamma);
  }
  if (c.kind == ScheduleKind::Cosine) {
    if (c.total_steps <= c.warmup_steps)
      bad("total_steps", "> warmup_steps (" + std::to_string(c.warmup_steps) + ")",
          double(c.total_steps));
    if (!(c.min_lr >= 0.0 && c.min_lr <= c.base_lr)) bad("min_lr", "in [0, base_lr]", c.min_lr);
  }
}

double learning_rate(const ScheduleConfig& c, long long step, int epoch) {
  validate(c);
  if (step < 0 || epoch < 0)
    throw ValueError("learning_rate: step and epoch must be >= 0, found " + std::to_string(step) +
                     ", " + std::to_string(epoch));
  double lr = c.base_lr;
  switch (c.kind) {
    case ScheduleKind::Constant:
      break;
    case ScheduleKind::Step:
      lr = c.base_lr * std::pow(c.gamma, double(epoch / c.step_epochs));
      break;
    case ScheduleKind::Cosine: {
      const double S = double(c.total_steps - c.warmup_steps);
      double s = double(step - c.warmup_steps);
      s = s < 0.0 ? 0.0 : (s > S ? S : s);
      lr = c.min_lr + (c.base_lr - c.min_lr) * 0.5 * (1.0 + std::cos(std::numbers::pi * s / S));
      break;
    }
  }
  if (step < c.warmup_steps) lr *= double(step + 1) / double(c.warmup_steps);
  return lr;
}

}  // namespace dotakv::train
