// `dotakv digits train|read|evaluate`: the digits model family (digits/trainer.hpp,
// digits/session.hpp, digits/evaluate.hpp). `digits strings` lives in digits.cpp.
//   train    --out DIR [--config digits-small|JSON] [--epochs N] [--strings N] [--len a:b] ...
//   read     --model M (--image PNG | --data F.h5 [--index i]) [--cache off|self|full|auto]
//            [--kv fp32|fp16|int8] [--beam W] [--json]
//   evaluate --model M --data F.h5 [--cache ...] [--beam W] [--count N] [--json]
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "command.hpp"
#include "digits_group.hpp"
#include "dotakv/digits/data.hpp"
#include "dotakv/digits/evaluate.hpp"
#include "dotakv/digits/session.hpp"
#include "dotakv/digits/trainer.hpp"
#include "dotakv/error.hpp"
#include "dotakv/sysinfo.hpp"

namespace {

using namespace dotakv;
using namespace dotakv::digits;

std::pair<int, int> parse_range(const std::string& s, const std::string& what) {
  const auto c = s.find(':');
  try {
    if (c == std::string::npos) {
      const int v = std::stoi(s);
      return {v, v};
    }
    return {std::stoi(s.substr(0, c)), std::stoi(s.substr(c + 1))};
  } catch (const std::exception&) {
    throw CLI::ValidationError(what, "'" + s + "': expected a:b");
  }
}

std::string default_model_path() {
  const char* env = std::getenv("DOTAKV_RESOURCES_DIR");
  return std::string(env && *env ? env : DOTAKV_RESOURCES_DIR) + "/models/dotakv-digits.h5";
}

std::shared_ptr<DigitsSession> open_session(const std::string& model) {
  auto m = DigitsModel::load_shared(model);
  auto s = std::make_shared<DigitsSession>(m);
  const std::string cal = default_calibration_path();
  if (std::filesystem::exists(cal)) s->set_calibration(load_calibration(cal));
  return s;
}

struct ReadArgs {
  std::string model, image, data, cache = "full", kv = "fp32";
  int index = 0, beam = 1, threads = 0, count = 0, batch = 8;
  bool json = false;
};

ReadOptions read_options(const ReadArgs& a) {
  ReadOptions o;
  o.cache = parse_cache_mode(a.cache);
  o.kv_precision = parse_kv_precision(a.kv, "--kv");
  o.beam = a.beam;
  o.threads = a.threads;
  return o;
}

void setup_digits_model(CLI::App& app) {
  CLI::App* g = dotakv::cli::digits_group(app);
  {  // train
    auto* cmd = g->add_subcommand("train", "Train the digits model on composed MNIST strings");
    auto o = std::make_shared<DigitsTrainOptions>();
    auto cfg = std::make_shared<std::string>("digits-small");
    auto len = std::make_shared<std::string>("1:20");
    auto lr = std::make_shared<double>(2e-3);
    auto warm = std::make_shared<long long>(200);
    auto json = std::make_shared<bool>(false);
    cmd->add_option("--out", o->out_dir, "Output directory (checkpoints, history)")->required();
    cmd->add_option("--config", *cfg, "digits-small | digits-tiny | JSON file")
        ->capture_default_str();
    cmd->add_option("--mnist", o->mnist_dir, "MNIST digits directory (default: the set-up's)");
    cmd->add_option("--epochs", o->epochs, "Total epochs")->capture_default_str();
    cmd->add_option("--strings", o->strings_per_epoch, "Strings per epoch")->capture_default_str();
    cmd->add_option("--len", *len, "Training lengths a:b (digits)")->capture_default_str();
    cmd->add_option("--val", o->val_strings, "Validation strings")->capture_default_str();
    cmd->add_option("--batch", o->batch, "Strings per step")->capture_default_str();
    cmd->add_option("--lr", *lr, "Peak learning rate (cosine with warm-up)")->capture_default_str();
    cmd->add_option("--warmup", *warm, "Warm-up steps")->capture_default_str();
    cmd->add_option("--optimizer", o->optimizer, "adamw | lamb")->capture_default_str();
    cmd->add_option("--weight-decay", o->weight_decay, "Decoupled weight decay")
        ->capture_default_str();
    cmd->add_option("--seed", o->seed, "Data and initialisation seed")->capture_default_str();
    cmd->add_option("--init", o->init_weights, "Start from these weights");
    cmd->add_option("--threads", o->threads, "OpenMP threads (0: all)");
    cmd->add_flag("--resume", o->resume, "Continue from OUT/last.h5");
    cmd->add_flag("--keep-epochs", o->keep_epoch_weights,
                  "Also write each epoch's weights to OUT/epoch_N.h5 (for `digits average`)");
    auto no_aug = std::make_shared<bool>(false);
    cmd->add_flag("--no-augment", *no_aug,
                  "No per-digit rotation/shear/stretch of training strings");
    cmd->add_option("--elastic", o->augment.elastic_alpha,
                    "Elastic distortion of training digits: displacement scale alpha, px (0: off)")
        ->check(CLI::Range(0.0, 100.0));
    cmd->add_flag("--json", *json, "Print the result as JSON");
    cmd->callback([=] {
      o->config = DigitsConfig::from_name_or_file(*cfg);
      if (*no_aug) o->augment = Augment{};
      std::tie(o->len_min, o->len_max) = parse_range(*len, "--len");
      if (o->len_min < 1 || o->len_max < o->len_min || o->len_max > o->config.max_digits)
        throw CLI::ValidationError("--len", "'" + *len + "': expected 1 <= a <= b <= " +
                                                std::to_string(o->config.max_digits));
      o->schedule.base_lr = *lr;
      o->schedule.warmup_steps = *warm;
      o->schedule.min_lr = std::min(o->schedule.min_lr, *lr);
      const auto r = train_digits(*o, nullptr, [](const std::string& s) {
        std::cerr << s;
        std::cerr.flush();
      });
      if (*json)
        dotakv::cli::print_json(r.to_json());
      else
        std::printf("best epoch %d: validation per-digit accuracy %.2f %%; model %s/model.h5\n",
                    r.best_epoch, 100 * r.best_digit_accuracy, o->out_dir.c_str());
    });
  }
  {  // read
    auto* cmd = g->add_subcommand("read", "Read the digits of one image");
    auto a = std::make_shared<ReadArgs>();
    a->model = default_model_path();
    cmd->add_option("--model", a->model, "Digits weights (.h5)")->capture_default_str();
    auto* img = cmd->add_option("--image", a->image, "PNG, 32 px high (ink on any background)");
    auto* dat = cmd->add_option("--data", a->data, "Strings file (from `digits strings`)");
    img->excludes(dat);
    cmd->add_option("--index", a->index, "String index in --data")->capture_default_str();
    cmd->add_option("--cache", a->cache, "off | self | full | auto")
        ->check(CLI::IsMember({"off", "self", "full", "auto"}))
        ->capture_default_str();
    cmd->add_option("--kv", a->kv, "KV cache storage: fp32 | fp16 | int8")
        ->check(CLI::IsMember({"fp32", "fp16", "int8"}))
        ->capture_default_str();
    cmd->add_option("--beam", a->beam, "Beam width (1: greedy)")
        ->check(CLI::Range(1, 16))
        ->capture_default_str();
    cmd->add_option("--threads", a->threads, "OpenMP threads (0: all)");
    cmd->add_flag("--json", a->json, "JSON output");
    cmd->callback([a] {
      if (a->image.empty() && a->data.empty())
        throw CLI::ValidationError("digits read", "give --image PNG or --data F.h5");
      GrayImage im;
      std::vector<int> truth;
      if (!a->image.empty()) {
        const auto png = load_png(a->image);
        im.height = png.height;
        im.width = png.width;
        im.pixels = png.pixels;
      } else {
        const auto set = load_strings(a->data);
        if (a->index < 0 || a->index >= int(set.size()))
          throw ValueError(a->data + ": index " + std::to_string(a->index) + ": expected 0.." +
                           std::to_string(int(set.size()) - 1));
        const LabelledImage li = labelled_image(set.string(a->index));
        im = li.image;
        truth = li.labels;
      }
      auto session = open_session(a->model);
      const auto r = session->read(im, read_options(*a));
      const auto& st = session->last_stats();
      if (a->json) {
        nlohmann::json j = {{"text", r.text},
                            {"digits", r.digits},
                            {"log_prob", r.log_prob},
                            {"finished", r.finished},
                            {"encoder_tokens", r.encoder_tokens},
                            {"stats", st.to_json()},
                            {"step_s", st.step_s}};
        if (!truth.empty()) j["truth"] = tokens_to_text(truth);
        nlohmann::json beams = nlohmann::json::array();
        for (const auto& b : r.beams)
          beams.push_back({{"text", tokens_to_text(b.digits)},
                           {"log_prob", b.log_prob},
                           {"finished", b.finished}});
        if (!r.beams.empty()) j["beams"] = beams;
        dotakv::cli::print_json(j);
      } else {
        std::printf("%s\n", r.text.c_str());
        if (!truth.empty()) std::printf("truth  %s\n", tokens_to_text(truth).c_str());
        std::printf(
            "cache %s (requested %s, kv %s), beam %d: encoder %.2f ms, first token %.2f ms, "
            "per token %.3f ms (median of %d steps), cache %.1f KiB (self %.1f + cross %.1f)\n",
            st.mode.c_str(), st.requested_mode.c_str(), st.kv_precision.c_str(), st.beam,
            1e3 * st.encode_s, 1e3 * st.first_token_s, 1e3 * st.per_token_median_s, st.steps,
            double(st.self_cache_bytes + st.cross_cache_bytes) / 1024.0,
            double(st.self_cache_bytes) / 1024.0, double(st.cross_cache_bytes) / 1024.0);
        for (const auto& b : r.beams)
          std::printf("  beam  %-24s log p %.4f%s\n", tokens_to_text(b.digits).c_str(), b.log_prob,
                      b.finished ? "" : " (unfinished)");
      }
    });
  }
  {  // average
    auto* cmd = g->add_subcommand(
        "average", "Average the weights of checkpoints of one config (SWA-style model averaging)");
    auto inputs = std::make_shared<std::vector<std::string>>();
    auto out = std::make_shared<std::string>();
    cmd->add_option("models", *inputs, "Digits weights (.h5) of one config, two or more")
        ->required()
        ->expected(2, 64);
    cmd->add_option("--out", *out, "Output weights (.h5, written atomically)")->required();
    cmd->callback([inputs, out] {
      std::vector<DigitsModel> models;
      for (const auto& p : *inputs) models.push_back(DigitsModel::load(p));
      const DigitsModel mean = average_models(models, *inputs);
      mean.save(*out);
      std::printf("%s: mean of %zu models, %zu parameters\n", out->c_str(), models.size(),
                  mean.parameter_count());
    });
  }
  {  // evaluate
    auto* cmd = g->add_subcommand("evaluate", "Accuracy of a digits model on a strings file");
    auto a = std::make_shared<ReadArgs>();
    a->model = default_model_path();
    cmd->add_option("--model", a->model, "Digits weights (.h5)")->capture_default_str();
    cmd->add_option("--data", a->data, "Strings file (from `digits strings`)")->required();
    cmd->add_option("--count", a->count, "Only the first N strings (0: all)");
    cmd->add_option("--cache", a->cache, "off | self | full | auto")
        ->check(CLI::IsMember({"off", "self", "full", "auto"}))
        ->capture_default_str();
    cmd->add_option("--kv", a->kv, "KV cache storage: fp32 | fp16 | int8")
        ->check(CLI::IsMember({"fp32", "fp16", "int8"}))
        ->capture_default_str();
    cmd->add_option("--beam", a->beam, "Beam width (1: greedy)")
        ->check(CLI::Range(1, 16))
        ->capture_default_str();
    cmd->add_option("--batch", a->batch, "Images per request")->capture_default_str();
    cmd->add_option("--threads", a->threads, "OpenMP threads (0: all)");
    cmd->add_flag("--json", a->json, "JSON output");
    cmd->callback([a] {
      const auto set = load_strings(a->data);
      const std::size_t n =
          a->count > 0 ? std::min<std::size_t>(std::size_t(a->count), set.size()) : set.size();
      std::vector<LabelledImage> data;
      for (std::size_t i = 0; i < n; ++i) data.push_back(labelled_image(set.string(int(i))));
      auto session = open_session(a->model);
      const auto ev = evaluate(*session, data, read_options(*a), a->batch);
      if (a->json) {
        auto j = ev.to_json();
        j["model"] = a->model;
        j["data"] = a->data;
        j["trained_max_digits"] = session->model().config().trained_max_digits;
        dotakv::cli::print_json(j);
        return;
      }
      std::printf("%zu strings, cache %s, beam %d, %.1f s\n", n, ev.mode.c_str(), ev.beam,
                  ev.seconds);
      std::printf("per-digit accuracy %.3f %%  exact strings %.2f %%  wrong length %.2f %%\n",
                  100 * ev.all.digit_accuracy(), 100 * ev.all.exact_rate(),
                  100 * ev.all.wrong_length_rate());
      std::printf("%6s %8s %10s %10s %10s\n", "length", "strings", "digits %", "exact %",
                  "wrong len %");
      for (const auto& [len, s] : ev.by_length)
        std::printf("%6d %8d %10.3f %10.2f %10.2f\n", len, s.strings, 100 * s.digit_accuracy(),
                    100 * s.exact_rate(), 100 * s.wrong_length_rate());
    });
  }
}
DOTAKV_REGISTER_COMMAND(setup_digits_model);

}  // namespace
