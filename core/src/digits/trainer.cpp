#include "dotakv/digits/trainer.hpp"

#include <omp.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../physics/rng.hpp"
#include "dotakv/atomic_file.hpp"
#include "dotakv/digits/data.hpp"
#include "dotakv/digits/evaluate.hpp"
#include "dotakv/digits/graph.hpp"
#include "dotakv/error.hpp"
#include "dotakv/sysinfo.hpp"
#include "dotakv/train/graph.hpp"
#include "dotakv/train/optimizer.hpp"
#include "dotakv/train/trainer.hpp"

namespace dotakv::digits {

nlohmann::json DigitsTrainOptions::to_json() const {
  return {{"config", config.to_json()},
          {"epochs", epochs},
          {"strings_per_epoch", strings_per_epoch},
          {"len_min", len_min},
          {"len_max", len_max},
          {"val_strings", val_strings},
          {"batch", batch},
          {"optimizer", optimizer},
          {"weight_decay", weight_decay},
          {"base_lr", schedule.base_lr},
          {"min_lr", schedule.min_lr},
          {"warmup_steps", schedule.warmup_steps},
          {"clip_norm", clip_norm},
          {"seed", seed},
          {"init_weights", init_weights},
          {"augment",
           {augment.rotate_deg, augment.shear, augment.stretch, augment.elastic_alpha,
            augment.elastic_sigma}}};
}

nlohmann::json DigitsTrainResult::to_json() const {
  nlohmann::json h = nlohmann::json::array();
  for (const auto& e : history)
    h.push_back({{"epoch", e.epoch},
                 {"lr", e.lr},
                 {"train_loss", e.train_loss},
                 {"val_loss", e.val_loss},
                 {"val_digit_accuracy", e.val_digit_accuracy},
                 {"val_exact", e.val_exact},
                 {"seconds", e.seconds},
                 {"strings_per_s", e.strings_per_s},
                 {"step", e.step}});
  return {{"history", h}, {"best_epoch", best_epoch}, {"best_digit_accuracy", best_digit_accuracy}};
}

namespace {

// The shared checkpoint's EpochRecord carries a digits epoch: val_loss_full = teacher-forced
// validation loss, val_loss_stream = greedy per-digit accuracy, max_mode_diff = exact rate.
train::EpochRecord to_record(const DigitsEpoch& e) {
  train::EpochRecord r;
  r.epoch = e.epoch;
  r.lr = e.lr;
  r.train_loss = e.train_loss;
  r.val_loss_full = e.val_loss;
  r.val_loss_stream = e.val_digit_accuracy;
  r.max_mode_diff = e.val_exact;
  r.seconds = e.seconds;
  r.samples_per_s = e.strings_per_s;
  r.step = e.step;
  return r;
}
DigitsEpoch from_record(const train::EpochRecord& r) {
  DigitsEpoch e;
  e.epoch = r.epoch;
  e.lr = r.lr;
  e.train_loss = r.train_loss;
  e.val_loss = r.val_loss_full;
  e.val_digit_accuracy = r.val_loss_stream;
  e.val_exact = r.max_mode_diff;
  e.seconds = r.seconds;
  e.strings_per_s = r.samples_per_s;
  e.step = r.step;
  return e;
}

std::string history_csv(const std::vector<DigitsEpoch>& h) {
  std::ostringstream s;
  s << "epoch,step,lr,train_loss,val_loss,val_digit_accuracy,val_exact,seconds,strings_per_s\n";
  for (const auto& e : h)
    s << e.epoch << ',' << e.step << ',' << e.lr << ',' << e.train_loss << ',' << e.val_loss << ','
      << e.val_digit_accuracy << ',' << e.val_exact << ',' << e.seconds << ',' << e.strings_per_s
      << '\n';
  return s.str();
}

// Labels of training string `index` of `epoch`: a pure function of (seed, epoch, index).
std::vector<int> draw_labels(std::uint64_t seed, int epoch, long long index, int a, int b) {
  physics::detail::Rng r(seed, (std::uint64_t(epoch) << 32) ^ std::uint64_t(index) ^ 0xD161);
  const int len = a + int(r.next() % std::uint64_t(b - a + 1));
  std::vector<int> l(static_cast<std::size_t>(len));
  for (int& v : l) v = int(r.next() % 10);
  return l;
}

std::uint64_t string_seed(std::uint64_t seed, int epoch, long long index) {
  std::uint64_t x =
      seed * 0x9E3779B97F4A7C15ULL ^ (std::uint64_t(epoch) << 40) ^ std::uint64_t(index);
  return physics::detail::splitmix64(x);
}

}  // namespace

DigitsTrainResult train_digits(const DigitsTrainOptions& o, Progress* progress,
                               const std::function<void(const std::string&)>& log) {
  auto say = [&](const std::string& s) {
    if (log) log(s);
  };
  if (o.epochs < 1) throw ValueError("epochs: expected >= 1, found " + std::to_string(o.epochs));
  if (o.batch < 1 || o.batch > 4096)
    throw ValueError("batch: expected 1..4096, found " + std::to_string(o.batch));
  if (o.strings_per_epoch < o.batch)
    throw ValueError("strings per epoch: expected >= batch, found " +
                     std::to_string(o.strings_per_epoch));
  if (o.len_min < 1 || o.len_max < o.len_min || o.len_max > o.config.max_digits)
    throw ValueError("training lengths " + std::to_string(o.len_min) + ":" +
                     std::to_string(o.len_max) + ": expected 1 <= a <= b <= max_digits (" +
                     std::to_string(o.config.max_digits) + ")");
  if (o.val_strings < 1) throw ValueError("val strings: expected >= 1");
  o.config.validate();
  const MnistSet mnist = load_mnist(o.mnist_dir.empty() ? default_mnist_dir() : o.mnist_dir);
  if (!o.init_weights.empty() && !o.resume) DigitsModel::load(o.init_weights);  // fail early
  if (o.threads > 0) set_num_threads(o.threads);
  std::filesystem::create_directories(o.out_dir);
  const std::string last_path = o.out_dir + "/last.h5", best_path = o.out_dir + "/best.h5",
                    model_path = o.out_dir + "/model.h5";
  DigitsConfig cfg = o.config;
  cfg.trained_max_digits = o.len_max;

  // parameters
  const auto specs = tensor_layout(cfg);
  std::vector<std::string> names;
  std::vector<std::size_t> sizes;
  for (const auto& s : specs) {
    names.push_back(s.name);
    std::size_t n = 1;
    for (auto d : s.shape) n *= std::size_t(d);
    sizes.push_back(n);
  }
  train::ParamSet<float> params;
  params.names = names;
  for (const auto& s : specs) params.shapes.push_back(s.shape);
  train::Checkpoint ck;
  DigitsModel start = DigitsModel::random(cfg, o.seed);
  if (o.resume) {
    if (!std::filesystem::exists(last_path))
      throw IoError(last_path + ": no checkpoint to resume from");
    start = DigitsModel::load(last_path);
    if (!(start.config().to_json() == cfg.to_json()))
      throw ConfigError(last_path + ": cannot resume: the checkpoint's config differs");
    ck = train::load_training_state(last_path, names, sizes);
    bool same = false;
    try {
      same = ck.options.value("seed", std::uint64_t(0)) == o.seed &&
             ck.options.value("batch", 0) == o.batch &&
             ck.options.value("strings_per_epoch", 0) == o.strings_per_epoch;
    } catch (const nlohmann::json::exception&) {
      throw FormatError(last_path +
                        ": attribute 'training/options': 'seed', 'batch' and "
                        "'strings_per_epoch' must be integers");
    }
    if (!same)
      throw ConfigError(last_path +
                        ": cannot resume with another seed, batch or strings per epoch");
  } else if (!o.init_weights.empty()) {
    DigitsModel init = DigitsModel::load(o.init_weights);
    DigitsConfig a = init.config(), b = cfg;
    a.trained_max_digits = b.trained_max_digits = 0;
    if (!(a.to_json() == b.to_json()))
      throw ConfigError(o.init_weights + ": config differs from the training config");
    start = DigitsModel(cfg, init.tensors());
  }
  for (const auto& t : start.tensors()) params.values.push_back(t.data);
  train::ParamSet<float> grads = params.zeros_like();
  train::ParamList plist = train::param_list(params, grads);
  train::AdamConfig ac;
  ac.weight_decay = o.weight_decay;
  ac.eps = 1e-8f;
  std::unique_ptr<train::Optimizer> opt;
  if (o.optimizer == "adamw")
    opt = std::make_unique<train::AdamW>(ac);
  else if (o.optimizer == "lamb")
    opt = std::make_unique<train::Lamb>(ac);
  else
    throw ConfigError("optimizer '" + o.optimizer + "': expected adamw or lamb");
  DigitsTrainResult result;
  int first_epoch = 0;
  if (o.resume) {
    opt->set_state(ck.state, plist);
    first_epoch = ck.epoch;
    for (const auto& r : ck.history) result.history.push_back(from_record(r));
    result.best_epoch = ck.best_epoch;
    result.best_digit_accuracy = ck.best_val_loss;
  }
  const long long steps_per_epoch = o.strings_per_epoch / o.batch;
  train::ScheduleConfig sched = o.schedule;
  if (sched.kind == train::ScheduleKind::Cosine) sched.total_steps = steps_per_epoch * o.epochs;
  train::validate(sched);

  // fixed validation set
  std::vector<LabelledImage> val;
  {
    const auto vs = compose_strings(mnist, Split::val, o.val_strings, o.len_min, o.len_max,
                                    o.seed + 1000003ULL);
    for (const auto& s : vs) val.push_back(labelled_image(s));
  }
  const DigitsGraph<float> graph(cfg);
  const int threads = omp_get_max_threads();
  std::vector<std::shared_ptr<DigitsWorkspace<float>>> ws;
  std::vector<train::ParamSet<float>> tgrads;
  for (int t = 0; t < threads; ++t) {
    ws.push_back(graph.make_workspace());
    tgrads.push_back(params.zeros_like());
  }
  auto pointers = [](train::ParamSet<float>& ps) {
    std::vector<float*> v;
    for (auto& x : ps.values) v.push_back(x.data());
    return v;
  };
  auto cpointers = [](const train::ParamSet<float>& ps) {
    std::vector<const float*> v;
    for (const auto& x : ps.values) v.push_back(x.data());
    return v;
  };
  std::vector<std::vector<float*>> tg;
  for (auto& g : tgrads) tg.push_back(pointers(g));

  long long step = o.resume ? ck.state.step : 0;
  for (int epoch = first_epoch; epoch < o.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    double loss_sum = 0;
    long long tok_sum = 0;
    double lr = 0;
    for (long long s = 0; s < steps_per_epoch; ++s) {
      check_cancel(progress);
      // compose the batch (pure function of seed, epoch, index) and count its tokens
      std::vector<DigitString> batch(std::size_t(o.batch));
#pragma omp parallel for schedule(static)
      for (int i = 0; i < o.batch; ++i) {
        const long long idx = s * o.batch + i;
        batch[std::size_t(i)] = compose_string(
            mnist, Split::train, draw_labels(o.seed, epoch, idx, o.len_min, o.len_max),
            string_seed(o.seed, epoch, idx), o.augment);
      }
      int tokens = 0;
      for (const auto& b : batch) tokens += int(b.labels.size()) + 1;
      const float scale = 1.f / float(tokens);
      const auto p = cpointers(params);
      std::vector<double> tloss(std::size_t(threads), 0.0);
#pragma omp parallel num_threads(threads)
      {
        const int tid = omp_get_thread_num(), nt = omp_get_num_threads();
        tgrads[std::size_t(tid)].set_zero();
        const int per = (o.batch + nt - 1) / nt;
        for (int i = tid * per; i < std::min(o.batch, (tid + 1) * per); ++i) {
          const auto& b = batch[std::size_t(i)];
          tloss[std::size_t(tid)] +=
              sample_loss<float>(graph, p, b.pixels.data(), b.width, b.labels,
                                 *ws[std::size_t(tid)], &tg[std::size_t(tid)], scale, nullptr);
        }
      }
      grads.set_zero();
      double loss = 0;
      for (int t = 0; t < threads; ++t) {
        loss += tloss[std::size_t(t)];
        for (std::size_t k = 0; k < grads.values.size(); ++k) {
          auto& dst = grads.values[k];
          const auto& src = tgrads[std::size_t(t)].values[k];
          for (std::size_t e = 0; e < dst.size(); ++e) dst[e] += src[e];
        }
      }
      if (!std::isfinite(loss))
        throw train::TrainingDiverged("digits training: loss became NaN/Inf at step " +
                                      std::to_string(step));
      const double gn = o.clip_norm > 0 ? train::clip_grad_norm(plist, o.clip_norm)
                                        : train::global_grad_norm(plist);
      if (!std::isfinite(gn))
        throw train::TrainingDiverged("digits training: gradient norm NaN/Inf at step " +
                                      std::to_string(step));
      lr = train::learning_rate(sched, step, epoch);
      opt->step(plist, float(lr));
      ++step;
      loss_sum += loss;
      tok_sum += tokens;
      if (progress)
        progress->report(double(s + 1), double(steps_per_epoch),
                         "epoch " + std::to_string(epoch + 1));
      if (log && (s % 20 == 0 || s + 1 == steps_per_epoch)) {
        const double el =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        char buf[200];
        std::snprintf(buf, sizeof buf, "epoch %d/%d  step %lld/%lld  loss %.4f  %.1f strings/s\r",
                      epoch + 1, o.epochs, s + 1, steps_per_epoch, loss_sum / double(tok_sum),
                      double((s + 1) * o.batch) / std::max(el, 1e-9));
        say(buf);
      }
    }
    // validation
    DigitsEpoch rec;
    rec.epoch = epoch + 1;
    rec.lr = lr;
    rec.step = step;
    rec.train_loss = loss_sum / double(std::max<long long>(tok_sum, 1));
    {
      const auto p = cpointers(params);
      double vl = 0;
      long long vt = 0;
      auto vws = graph.make_workspace();
      for (const auto& li : val) {
        const GrayImage im = prepare_image(li.image, cfg, "validation image");
        int t = 0;
        vl += sample_loss<float>(graph, p, im.pixels.data(), im.width, li.labels, *vws, nullptr,
                                 1.f, &t);
        vt += t;
      }
      rec.val_loss = vl / double(vt);
      std::vector<Tensor> ts;
      for (std::size_t k = 0; k < specs.size(); ++k) {
        Tensor t(specs[k].shape);
        t.data = params.values[k];
        ts.push_back(std::move(t));
      }
      auto model = std::make_shared<const DigitsModel>(cfg, std::move(ts));
      DigitsSession session(model);
      ReadOptions ro;
      ro.cache = CacheMode::full;
      const DigitsEvaluation ev = evaluate(session, val, ro, 16);
      rec.val_digit_accuracy = ev.all.digit_accuracy();
      rec.val_exact = ev.all.exact_rate();
      rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      rec.strings_per_s = double(steps_per_epoch * o.batch) / rec.seconds;
      result.history.push_back(rec);
      const bool better =
          result.best_epoch == 0 || rec.val_digit_accuracy > result.best_digit_accuracy;
      if (better) {
        result.best_epoch = rec.epoch;
        result.best_digit_accuracy = rec.val_digit_accuracy;
      }
      DigitsModel m = *model;
      m.set_description("dotakv digits, epoch " + std::to_string(rec.epoch) + ", seed " +
                        std::to_string(o.seed));
      train::Checkpoint out;
      out.optimizer = o.optimizer;
      out.state = opt->state();
      out.epoch = rec.epoch;
      out.best_epoch = result.best_epoch;
      out.best_val_loss = result.best_digit_accuracy;
      out.options = o.to_json();
      for (const auto& h : result.history) out.history.push_back(to_record(h));
      auto writer = [&](const std::string& tmp) { m.save(tmp); };
      train::save_checkpoint_with(last_path, writer, out, names);
      if (better) {
        train::save_checkpoint_with(best_path, writer, out, names);
        m.save(model_path);
      }
      if (o.keep_epoch_weights) m.save(o.out_dir + "/epoch_" + std::to_string(rec.epoch) + ".h5");
      write_atomically(o.out_dir + "/history.csv", [&](const std::string& tmp) {
        std::ofstream f(tmp);
        f << history_csv(result.history);
        if (!f) throw IoError(o.out_dir + "/history.csv: cannot write");
      });
      char buf[300];
      std::snprintf(
          buf, sizeof buf,
          "epoch %d/%d  train %.4f  val %.4f  val digits %.2f %%  exact %.1f %%  lr %.2e  "
          "%.1f strings/s%s\n",
          rec.epoch, o.epochs, rec.train_loss, rec.val_loss, 100 * rec.val_digit_accuracy,
          100 * rec.val_exact, rec.lr, rec.strings_per_s, better ? "  (best)" : "");
      say(buf);
    }
  }
  return result;
}

}  // namespace dotakv::digits
