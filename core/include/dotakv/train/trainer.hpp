// The training loop: DoTA on an HDF5 dataset (dataset.hpp), resumable and deterministic.
//
//   TrainOptions o; o.data = "train.h5"; o.out_dir = "run1"; o.config =
//   ModelConfig::preset("compact"); TrainResult r = train(o, &progress, [](const std::string& line)
//   { std::cerr << line; });
//
// Data: every sample is loaded once and scaled as DoTA does: x = (HU - x_min) / (x_max - x_min),
// y = dose / y_max (dataset attributes; y_min must be 0), e = (MeV - 70) / 150. The samples are
// split into train / validation by `seed` (val_fraction, at least 1 sample each).
// Epoch e (0-based): train indices shuffled with a generator seeded from (seed, e); sample i of
// epoch e is rotated by k(seed, e, i) quarter turns in the lateral plane when augmenting. So the
// data order is a pure function of (seed, epoch) and resume is exact.
// Step: lr from the schedule (per step and epoch), gradients of the mean batch loss
// (graph.hpp), global-norm clipping, AdamW or LAMB. A non-finite loss or gradient norm stops
// training with TrainingDiverged; the checkpoints of earlier epochs stay as they were.
// End of epoch: validation in Mode::full and in Mode::stream with the KV cache (Session, the
// inference engine, fp32), reporting both losses and their largest output difference; then
// "<out>/last.h5" (weights + optimizer moments + epoch + history) and, when the full-mode
// validation loss improved, "<out>/best.h5" (checkpoint) and "<out>/model.h5" (the same weights
// without the training state) are written atomically, and "<out>/history.csv" and
// "<out>/history.h5" are rewritten atomically.
// Resume (options.resume): reads "<out>/last.h5", checks the config and the options that change
// the data order (seed, val_fraction, batch, max_samples), restores weights, moments and history,
// and continues with the next epoch: N epochs in one run == k epochs + resume N-k, bit for bit
// (same thread count).
// Checkpoints are weights files (docs/format_weights.md) plus a /training group
// (docs/format_weights.md, "Training checkpoints"), so Model::load reads them directly.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dotakv/error.hpp"
#include "dotakv/model.hpp"
#include "dotakv/progress.hpp"
#include "dotakv/train/graph.hpp"
#include "dotakv/train/optimizer.hpp"
#include "dotakv/train/schedule.hpp"

namespace dotakv::train {

// Training stopped because the loss or the gradients became NaN/Inf.
class TrainingDiverged : public Error {
 public:
  using Error::Error;
};

struct TrainOptions {
  std::string data;     // dataset .h5 (dotakv or DoTA layout)
  std::string out_dir;  // checkpoints and history (created)
  ModelConfig config = ModelConfig::preset("compact");
  int epochs = 12;                 // total epochs (a resumed run continues up to this number)
  int batch = 8;                   // samples per step
  std::string optimizer = "lamb";  // lamb | adamw
  float weight_decay = 1e-3f;
  // Adam/LAMB epsilon. The loss is a mean over ~1e5 voxels of O(1e-2) residuals, so gradients are
  // O(1e-9..1e-6): an epsilon of 1e-6 (the optimizers' default) would swamp them, freezing most
  // tensors (and, in LAMB, leaving only the decay term: a shrink by (1 - lr) per step).
  float adam_eps = 1e-12f;
  ScheduleConfig schedule{};  // base_lr 1e-3, halved every 4 epochs (DoTA)
  double clip_norm = 1.0;     // global-norm clipping; 0 disables
  LossKind loss = LossKind::mse;
  float loss_alpha = 0.f;  // dose-weighted loss: weight 1 + alpha * y / max y
  std::uint64_t seed = 1;  // split, shuffling, augmentation and initial weights
  double val_fraction = 0.05;
  int max_samples = 0;  // use only the first N samples of the dataset (0: all)
  // Use only samples of these phantom kinds ("water", "slab", "lateral", "random"; empty: all).
  // A water-only stage teaches the energy dependence first (the only thing that varies there).
  std::vector<std::string> kinds;
  // Tensors kept fixed (their gradients are zeroed before every step), e.g.
  // "transformer_0/attention/query/kernel" kept at zero makes attention a causal running mean.
  std::vector<std::string> frozen;
  // Tensors set to zero before training starts (not on resume); with `frozen`, a zero query
  // kernel turns attention into a causal running mean (see docs/training.md).
  std::vector<std::string> zeroed;
  // Random initialisation only (not with init_weights or resume): the decoder's output convolution
  // kernel (decoder/conv/kernel) starts at zero, so training starts from the zero dose. With the
  // random kernel the first prediction is O(1) everywhere, 10-100x the scaled dose, and the
  // optimiser spends its first thousands of steps shrinking it (docs/training.md, "The output
  // convolution starts at zero").
  bool zero_output_init = true;
  bool augment = true;  // random 90-degree lateral rotations
  bool resume = false;
  int threads = 0;  // 0: all cores
  // Convolutions and matrix products in fp32 or bf16 mixed precision (bf16 operands, fp32
  // accumulation; master weights, gradients and optimizer moments stay fp32). bf16 needs a CPU
  // on which oneDNN has bf16 kernels (kernels::bf16_supported(); ValueError otherwise).
  ComputePrecision precision = ComputePrecision::fp32;
  int stream_chunk = 1;      // slices per streaming step in the stream-mode validation
  int max_val_samples = 0;   // cap on validation samples evaluated per epoch (0: all)
  std::string init_weights;  // optional weights file to start from instead of random init
                             // (with fewer transformer blocks: grown, see grow_transformer)
  nlohmann::json to_json() const;
};

struct EpochRecord {
  int epoch = 0;  // 1-based
  double lr = 0, train_loss = 0, val_loss_full = 0, val_loss_stream = 0;
  double max_mode_diff = 0;  // max |full - stream| over validation outputs, in model units
  double seconds = 0, samples_per_s = 0;
  long long step = 0;  // optimizer steps so far
};

struct TrainResult {
  std::vector<EpochRecord> history;
  int best_epoch = 0;
  double best_val_loss = 0;
  int n_train = 0, n_val = 0;
  std::string last_checkpoint, best_checkpoint;
  nlohmann::json to_json() const;
};

// `log` receives progress lines ('\r'-terminated while an epoch runs, '\n' at its end).
TrainResult train(const TrainOptions& options, Progress* progress = nullptr,
                  const std::function<void(const std::string&)>& log = {});

// Deepening a trained model (function-preserving growth, cf. Net2Net, Chen et al. 2016): returns
// `from` with transformer blocks appended up to to.num_transformers. Existing tensors are copied;
// the new blocks are Model::random(to, seed)'s with their residual branches' output weights
// (attention/output/kernel, ffn2/kernel, ffn2/bias) at zero, so each new block starts as the
// identity and the grown model computes exactly `from`'s dose; training then uses the new depth.
// ConfigError unless `to` equals from.config() except for a larger num_transformers.
// train() applies it when init_weights has fewer blocks than the training config.
std::shared_ptr<const Model> grow_transformer(const Model& from, const ModelConfig& to,
                                              std::uint64_t seed);

// ---- checkpoints (exposed for tests and the CLI) ----
struct Checkpoint {
  std::shared_ptr<const Model> model;
  std::string optimizer;  // lamb | adamw
  OptimizerState state;
  int epoch = 0;  // completed epochs
  int best_epoch = 0;
  double best_val_loss = 0;
  nlohmann::json options;  // TrainOptions::to_json() of the run that wrote it
  std::vector<EpochRecord> history;
};
// Writes atomically: a failure leaves an existing file at `path` untouched (IoError/ShapeError).
void save_checkpoint(const std::string& path, const Checkpoint& ck,
                     const std::vector<std::string>& param_names);
// Reads a checkpoint; FormatError if `path` is a weights file without the /training group.
Checkpoint load_checkpoint(const std::string& path);
// Family-independent forms (the digits trainer uses them; ck.model is not used):
// `write_weights(tmp)` writes the family's weights file, then the /training group is added, all
// atomically; load_training_state reads the /training group for tensors `names` of `sizes`.
void save_checkpoint_with(const std::string& path,
                          const std::function<void(const std::string&)>& write_weights,
                          const Checkpoint& ck, const std::vector<std::string>& names);
Checkpoint load_training_state(const std::string& path, const std::vector<std::string>& names,
                               const std::vector<std::size_t>& sizes);

// History as CSV text (header + one row per epoch).
std::string history_csv(const std::vector<EpochRecord>& h);

}  // namespace dotakv::train
