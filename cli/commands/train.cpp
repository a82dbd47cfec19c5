// `dotakv train --data D.h5 --config C.json --out DIR [--resume] [--epochs N] [--batch B]
// [--lr X] [--optimizer lamb|adamw] ...`: trains DoTA in the engine (train/trainer.hpp); a
// progress line with loss, samples/s and ETA on stderr, one summary line per epoch, JSON with
// --json. Checkpoints DIR/last.h5 and DIR/best.h5, history DIR/history.{csv,h5}.
#include <cstdio>

#include "command.hpp"
#include "dotakv/error.hpp"
#include "dotakv/train/trainer.hpp"

namespace {

struct TrainArgs {
  std::string kinds, frozen, zeroed;
  std::string data, config = "compact", out, optimizer = "lamb", schedule = "step", loss = "mse",
                    init, precision = "fp32";
  int epochs = 12, batch = 8, step_epochs = 4, max_samples = 0, threads = 0, stream_chunk = 1,
      max_val = 0;
  long long warmup = 0;
  double lr = 1e-3, weight_decay = 1e-3, adam_eps = 1e-12, gamma = 0.5, clip = 1.0,
         val_fraction = 0.05, alpha = 0.0, min_lr = 0.0;
  uint64_t seed = 1;
  bool resume = false, no_augment = false, json = false, quiet = false, random_output_init = false;
};

void setup_train(CLI::App& app) {
  auto* cmd = app.add_subcommand("train", "Train a DoTA model on an MC dataset (resumable)");
  auto a = std::make_shared<TrainArgs>();
  cmd->add_option("--data", a->data, "Training dataset (.h5, from `dotakv dataset`)")->required();
  cmd->add_option("--config", a->config, "Model config: full | compact | JSON file")
      ->capture_default_str();
  cmd->add_option("--out", a->out, "Output directory (checkpoints, history)")->required();
  cmd->add_flag("--resume", a->resume, "Continue from OUT/last.h5");
  cmd->add_option("--epochs", a->epochs, "Total epochs")->capture_default_str();
  cmd->add_option("--batch", a->batch, "Samples per step")->capture_default_str();
  cmd->add_option("--lr", a->lr, "Base learning rate")->capture_default_str();
  cmd->add_option("--optimizer", a->optimizer, "lamb | adamw")->capture_default_str();
  cmd->add_option("--weight-decay", a->weight_decay, "Decoupled weight decay")
      ->capture_default_str();
  cmd->add_option("--adam-eps", a->adam_eps, "Adam/LAMB epsilon (gradients are O(1e-9..1e-6))")
      ->capture_default_str();
  cmd->add_option("--schedule", a->schedule, "step | cosine | constant")->capture_default_str();
  cmd->add_option("--step-epochs", a->step_epochs, "step: epochs per decay")->capture_default_str();
  cmd->add_option("--gamma", a->gamma, "step: decay factor")->capture_default_str();
  cmd->add_option("--min-lr", a->min_lr, "cosine: floor")->capture_default_str();
  cmd->add_option("--warmup", a->warmup, "Warm-up steps")->capture_default_str();
  cmd->add_option("--clip", a->clip, "Global gradient-norm clip (0: off)")->capture_default_str();
  cmd->add_option("--loss", a->loss, "mse | dose-weighted")->capture_default_str();
  cmd->add_option("--alpha", a->alpha, "dose-weighted: weight 1 + alpha * y/max y")
      ->capture_default_str();
  cmd->add_option("--seed", a->seed, "Split/shuffle/augmentation/init seed")->capture_default_str();
  cmd->add_option("--val-fraction", a->val_fraction, "Validation share")->capture_default_str();
  cmd->add_option("--max-samples", a->max_samples, "Use the first N samples (0: all)")
      ->capture_default_str();
  cmd->add_option("--max-val", a->max_val, "Validation samples evaluated per epoch (0: all)")
      ->capture_default_str();
  cmd->add_option("--stream-chunk", a->stream_chunk, "Slices per step in stream validation")
      ->capture_default_str();
  cmd->add_option("--kinds", a->kinds, "Only these phantom kinds, e.g. water (default: all)");
  cmd->add_option("--freeze", a->frozen, "Comma-separated tensor names kept fixed");
  cmd->add_option("--zero", a->zeroed, "Comma-separated tensor names set to 0 before training");
  cmd->add_option("--init", a->init,
                  "Start from these weights instead of random init (fewer transformer blocks than "
                  "--config: grown by identity blocks)");
  cmd->add_flag("--no-augment", a->no_augment, "No 90-degree lateral rotations");
  cmd->add_flag("--random-output-init", a->random_output_init,
                "Keep the random output-convolution kernel (default: zero it on random init)");
  cmd->add_option("--threads", a->threads, "Threads (0: all cores)")->capture_default_str();
  cmd->add_option("--precision", a->precision,
                  "fp32 | bf16 (bf16 convolutions/matmuls, fp32 accumulation and master weights)")
      ->capture_default_str();
  cmd->add_flag("--json", a->json, "Print a JSON summary");
  cmd->add_flag("--quiet", a->quiet, "No progress on stderr");
  cmd->callback([a] {
    namespace tr = dotakv::train;
    tr::TrainOptions o;
    o.data = a->data;
    o.out_dir = a->out;
    o.config = dotakv::ModelConfig::from_name_or_file(a->config);
    o.epochs = a->epochs;
    o.batch = a->batch;
    o.optimizer = a->optimizer;
    if (o.optimizer != "lamb" && o.optimizer != "adamw")
      throw dotakv::ConfigError("--optimizer: expected lamb or adamw, found '" + o.optimizer + "'");
    o.weight_decay = float(a->weight_decay);
    o.adam_eps = float(a->adam_eps);
    o.schedule.base_lr = a->lr;
    if (a->schedule == "step")
      o.schedule.kind = tr::ScheduleKind::Step;
    else if (a->schedule == "cosine")
      o.schedule.kind = tr::ScheduleKind::Cosine;
    else if (a->schedule == "constant")
      o.schedule.kind = tr::ScheduleKind::Constant;
    else
      throw dotakv::ConfigError("--schedule: expected step, cosine or constant, found '" +
                                a->schedule + "'");
    o.schedule.step_epochs = a->step_epochs;
    o.schedule.gamma = a->gamma;
    o.schedule.min_lr = a->min_lr;
    o.schedule.warmup_steps = a->warmup;
    o.clip_norm = a->clip;
    if (a->loss == "mse")
      o.loss = tr::LossKind::mse;
    else if (a->loss == "dose-weighted")
      o.loss = tr::LossKind::dose_weighted;
    else
      throw dotakv::ConfigError("--loss: expected mse or dose-weighted, found '" + a->loss + "'");
    o.loss_alpha = float(a->alpha);
    o.seed = a->seed;
    o.val_fraction = a->val_fraction;
    o.max_samples = a->max_samples;
    o.max_val_samples = a->max_val;
    o.stream_chunk = a->stream_chunk;
    o.augment = !a->no_augment;
    o.zero_output_init = !a->random_output_init;
    o.resume = a->resume;
    o.threads = a->threads;
    o.precision = dotakv::parse_compute_precision(a->precision, "--precision");
    o.init_weights = a->init;
    if (!a->kinds.empty()) o.kinds = dotakv::cli::parse_string_list(a->kinds);
    if (!a->frozen.empty()) o.frozen = dotakv::cli::parse_string_list(a->frozen);
    if (!a->zeroed.empty()) o.zeroed = dotakv::cli::parse_string_list(a->zeroed);
    const auto r = tr::train(o, nullptr, [a](const std::string& line) {
      if (a->quiet) return;
      std::fputs(line.c_str(), stderr);
      std::fflush(stderr);
    });
    if (a->json)
      dotakv::cli::print_json(r.to_json());
    else
      std::cout << "best epoch " << r.best_epoch << " (val loss " << r.best_val_loss
                << "): " << r.best_checkpoint << "\nlast: " << r.last_checkpoint << "\n";
  });
}
DOTAKV_REGISTER_COMMAND(setup_train);

}  // namespace
