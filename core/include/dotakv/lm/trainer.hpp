// Training the language model: next-token cross-entropy on fixed-length windows of the Brown
// Corpus train split (lm/corpus.hpp) tokenized by a SentencePiece model (lm/tokenizer.hpp), in the
// engine's one training stack (train::ParamSet, AdamW/LAMB, schedules, global-norm clipping, the
// family-independent checkpoint writer), resumable bit for bit for a given thread count.
//
//   LmTrainOptions o; o.out_dir = "run"; o.tokenizer = "brown.model"; o.epochs = 4;
//   o.config = LmConfig::preset("lm-small");   // o.config.vocab must equal the tokenizer's
//   LmTrainResult r = train_lm(o, &progress, log);
//
// Data: the train text (join_text of the first train_documents train documents, 0: all 407) is
// encoded once into ids x[0..N). A window of C = context tokens covers x[s .. s+C-1]; its input is
// [BOS, x[s] .. x[s+C-2]] and its targets x[s] .. x[s+C-1] (as lm/evaluate.hpp scores text).
// Epoch e uses W = (N - C + 1) / C windows starting at shift(seed, e) + k*C, shift in [0, C),
// visited in an order shuffled by (seed, e): the data order is a pure function of (seed, epoch),
// so resume is exact. Steps per epoch: W / batch (the remainder is dropped).
// Step: the batch's windows over OpenMP threads (static split, per-thread gradients reduced in
// thread order), loss = mean token cross-entropy of the batch, clip, optimizer step.
// Validation at the end of every epoch: score_tokens() of the val text (first val_documents val
// documents, 0: all 52) with the inference session: nats/token, bits per byte, token perplexity.
// Outputs in out_dir: last.h5 (checkpoint: weights + /training), best.h5 and model.h5 (lowest
// validation loss), tokenizer.model (a copy of the tokenizer, which ships beside the weights),
// history.csv; all written atomically. The shared checkpoint's EpochRecord carries an lm epoch
// as: val_loss_full = val nats/token, val_loss_stream = val bits per byte, max_mode_diff = val
// token perplexity, samples_per_s = train tokens per second.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dotakv/lm/model.hpp"
#include "dotakv/progress.hpp"
#include "dotakv/train/schedule.hpp"

namespace dotakv::lm {

struct LmTrainOptions {
  std::string out_dir;
  LmConfig config = LmConfig::preset("lm-small");
  std::string tokenizer;  // SentencePiece .model (required; vocabulary == config.vocab)
  std::string brown_dir;  // empty: default_brown_dir()
  int epochs = 4;
  int context = 0;                  // window length C (0: config.max_context)
  int batch = 16;                   // windows per step
  int train_documents = 0;          // the first N train documents (0: all)
  int val_documents = 0;            // the first N val documents (0: all)
  std::string optimizer = "adamw";  // adamw | lamb
  float weight_decay = 0.1f;        // decoupled, on kernels only (not embedding, not norms)
  train::ScheduleConfig schedule{train::ScheduleKind::Cosine, 1e-3, 4, 0.5, 0, 1e-4, 100};
  double clip_norm = 1.0;
  std::uint64_t seed = 1;
  bool resume = false;
  int threads = 0;  // 0: leave the process setting
  nlohmann::json to_json() const;
};

struct LmEpoch {
  int epoch = 0;
  double lr = 0, train_loss = 0, val_loss = 0, val_bits_per_byte = 0, val_perplexity = 0;
  double seconds = 0, tokens_per_s = 0;
  long long step = 0;
};

struct LmTrainResult {
  std::vector<LmEpoch> history;
  int best_epoch = 0;
  double best_val_loss = 0;
  long long train_tokens = 0, val_tokens = 0, val_bytes = 0;
  nlohmann::json to_json() const;
};

// Errors: ValueError (epochs, batch, context out of range; too few train tokens for one step),
// ConfigError (tokenizer vocabulary != config.vocab; resume with another config, seed, batch,
// context or train_documents), IoError/FormatError from the corpus, tokenizer and checkpoint,
// train::TrainingDiverged on a NaN/Inf loss or gradient, Cancelled through `progress`.
LmTrainResult train_lm(const LmTrainOptions& o, Progress* progress = nullptr,
                       const std::function<void(const std::string&)>& log = {});

}  // namespace dotakv::lm
