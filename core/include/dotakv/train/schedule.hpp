// Learning-rate schedules as pure functions of (global step, epoch); no state, so resuming a run
// only needs the step and epoch counters.
//
//   constant: lr = base_lr
//   step:     lr = base_lr * gamma^floor(epoch / step_epochs)
//             (DoTA, Pastor-Serrano & Perko 2022: base 1e-3, gamma 0.5, step_epochs 4)
//   cosine:   lr = min_lr + (base_lr - min_lr) * (1 + cos(pi * s / S)) / 2
//             with s = clamp(step - warmup_steps, 0, S), S = total_steps - warmup_steps
//             (SGDR without restarts, Loshchilov & Hutter 2017); lr = min_lr after total_steps.
//   warm-up (composable with any of the above): during step < warmup_steps the scheduled lr is
//             multiplied by (step + 1) / warmup_steps (linear warm-up, Goyal et al. 2017), so
//             step 0 uses base/warmup and step warmup_steps-1 the full value.
// Steps and epochs count from 0.
#pragma once

namespace dotakv::train {

enum class ScheduleKind { Constant, Step, Cosine };

struct ScheduleConfig {
  ScheduleKind kind = ScheduleKind::Step;
  double base_lr = 1e-3;       // > 0
  int step_epochs = 4;         // step: epochs per decay, >= 1
  double gamma = 0.5;          // step: factor per decay, in (0, 1]
  long long total_steps = 0;   // cosine: > warmup_steps
  double min_lr = 0.0;         // cosine floor, in [0, base_lr]
  long long warmup_steps = 0;  // >= 0; 0 disables warm-up
};

// Throws ConfigError naming the field if a value is out of range.
void validate(const ScheduleConfig& cfg);

// The learning rate at a global step (>= 0) and epoch (>= 0). Validates cfg (ConfigError) and
// the counters (ValueError).
double learning_rate(const ScheduleConfig& cfg, long long step, int epoch);

}  // namespace dotakv::train
