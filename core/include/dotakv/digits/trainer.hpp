// Training the digits model: teacher-forced softmax cross-entropy on strings composed from the
// MNIST training split, in the engine's one training stack (train::ParamSet, AdamW/LAMB,
// schedules, global-norm clipping, the family-independent checkpoint writer), resumable bit for
// bit for a given thread count.
//
//   DigitsTrainOptions o; o.out_dir = "run"; o.epochs = 8;
//   DigitsTrainResult r = train_digits(o, &progress, log);
//
// Data: epoch e trains on `strings_per_epoch` strings composed from the train split
// (digits/data.hpp) with seed (seed, e): lengths uniform in [len_min, len_max]. Every epoch sees
// new compositions (random pairings, gaps, scales, jitter) of the same training digit images;
// a string is a pure function of (seed, epoch, index), so resume is exact. Validation: a fixed set
// of `val_strings` strings from the val split (seed + 1,000,003), read greedily with the
// inference session (cache full): per-digit accuracy and exact-string rate, plus the
// teacher-forced validation loss.
// Step: batch samples over OpenMP threads (static split, per-thread gradients reduced in thread
// order), loss = sum of token cross-entropies / tokens in the batch (targets d1..dL EOS).
// Outputs in out_dir: last.h5 (checkpoint: weights + /training), best.h5 and model.h5 (best
// validation per-digit accuracy, ties by loss), history.csv; all written atomically.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dotakv/digits/data.hpp"
#include "dotakv/digits/model.hpp"
#include "dotakv/progress.hpp"
#include "dotakv/train/schedule.hpp"

namespace dotakv::digits {

struct DigitsTrainOptions {
  std::string out_dir;
  DigitsConfig config = DigitsConfig::preset("digits-small");
  std::string mnist_dir;  // empty: default_mnist_dir()
  int epochs = 8;
  int strings_per_epoch = 20000;
  int len_min = 1, len_max = 20;
  int val_strings = 400;
  int batch = 32;
  std::string optimizer = "adamw";  // adamw | lamb
  float weight_decay = 0.01f;
  train::ScheduleConfig schedule{train::ScheduleKind::Cosine, 2e-3, 4, 0.5, 0, 5e-5, 200};
  double clip_norm = 1.0;
  std::uint64_t seed = 1;
  bool resume = false;
  int threads = 0;
  std::string init_weights;
  // Also write each epoch's weights to OUT/epoch_<N>.h5 (for checkpoint averaging,
  // model.hpp average_models); does not change training, so not part of to_json().
  bool keep_epoch_weights = false;
  // Per-digit affine distortions of the training strings (data.hpp Augment); none for validation.
  Augment augment{12.0, 0.3, 0.15};
  nlohmann::json to_json() const;
};

struct DigitsEpoch {
  int epoch = 0;
  double lr = 0, train_loss = 0, val_loss = 0, val_digit_accuracy = 0, val_exact = 0;
  double seconds = 0, strings_per_s = 0;
  long long step = 0;
};

struct DigitsTrainResult {
  std::vector<DigitsEpoch> history;
  int best_epoch = 0;
  double best_digit_accuracy = 0;
  nlohmann::json to_json() const;
};

DigitsTrainResult train_digits(const DigitsTrainOptions& o, Progress* progress = nullptr,
                               const std::function<void(const std::string&)>& log = {});

}  // namespace dotakv::digits
