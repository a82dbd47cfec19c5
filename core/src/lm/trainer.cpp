#include "dotakv/lm/trainer.hpp"

#include <omp.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "../physics/rng.hpp"
#include "dotakv/atomic_file.hpp"
#include "dotakv/error.hpp"
#include "dotakv/lm/corpus.hpp"
#include "dotakv/lm/evaluate.hpp"
#include "dotakv/lm/graph.hpp"
#include "dotakv/lm/tokenizer.hpp"
#include "dotakv/sysinfo.hpp"
#include "dotakv/train/graph.hpp"
#include "dotakv/train/optimizer.hpp"
#include "dotakv/train/trainer.hpp"

namespace dotakv::lm {

nlohmann::json LmTrainOptions::to_json() const {
  return {{"config", config.to_json()},
          {"tokenizer", tokenizer},
          {"epochs", epochs},
          {"context", context},
          {"batch", batch},
          {"train_documents", train_documents},
          {"val_documents", val_documents},
          {"optimizer", optimizer},
          {"weight_decay", weight_decay},
          {"base_lr", schedule.base_lr},
          {"min_lr", schedule.min_lr},
          {"warmup_steps", schedule.warmup_steps},
          {"clip_norm", clip_norm},
          {"seed", seed}};
}

nlohmann::json LmTrainResult::to_json() const {
  nlohmann::json h = nlohmann::json::array();
  for (const auto& e : history)
    h.push_back({{"epoch", e.epoch},
                 {"lr", e.lr},
                 {"train_loss", e.train_loss},
                 {"val_loss", e.val_loss},
                 {"val_bits_per_byte", e.val_bits_per_byte},
                 {"val_perplexity", e.val_perplexity},
                 {"seconds", e.seconds},
                 {"tokens_per_s", e.tokens_per_s},
                 {"step", e.step}});
  return {{"history", h},
          {"best_epoch", best_epoch},
          {"best_val_loss", best_val_loss},
          {"train_tokens", train_tokens},
          {"val_tokens", val_tokens},
          {"val_bytes", val_bytes}};
}

namespace {

train::EpochRecord to_record(const LmEpoch& e) {
  train::EpochRecord r;
  r.epoch = e.epoch;
  r.lr = e.lr;
  r.train_loss = e.train_loss;
  r.val_loss_full = e.val_loss;
  r.val_loss_stream = e.val_bits_per_byte;
  r.max_mode_diff = e.val_perplexity;
  r.seconds = e.seconds;
  r.samples_per_s = e.tokens_per_s;
  r.step = e.step;
  return r;
}
LmEpoch from_record(const train::EpochRecord& r) {
  LmEpoch e;
  e.epoch = r.epoch;
  e.lr = r.lr;
  e.train_loss = r.train_loss;
  e.val_loss = r.val_loss_full;
  e.val_bits_per_byte = r.val_loss_stream;
  e.val_perplexity = r.max_mode_diff;
  e.seconds = r.seconds;
  e.tokens_per_s = r.samples_per_s;
  e.step = r.step;
  return e;
}

std::string history_csv(const std::vector<LmEpoch>& h) {
  std::ostringstream s;
  s << "epoch,step,lr,train_loss,val_loss,val_bits_per_byte,val_perplexity,seconds,tokens_per_s\n";
  for (const auto& e : h)
    s << e.epoch << ',' << e.step << ',' << e.lr << ',' << e.train_loss << ',' << e.val_loss << ','
      << e.val_bits_per_byte << ',' << e.val_perplexity << ',' << e.seconds << ',' << e.tokens_per_s
      << '\n';
  return s.str();
}

// Window starts of epoch e, in visiting order: a pure function of (seed, epoch).
std::vector<long long> epoch_windows(std::uint64_t seed, int epoch, long long windows, int C) {
  physics::detail::Rng r(seed, (std::uint64_t(epoch) << 32) ^ 0x1A7E);
  const long long shift = (long long)(r.next() % std::uint64_t(C));
  std::vector<long long> w(static_cast<std::size_t>(windows));
  for (long long k = 0; k < windows; ++k) w[std::size_t(k)] = shift + k * C;
  for (long long i = windows - 1; i > 0; --i)
    std::swap(w[std::size_t(i)], w[std::size_t(r.next() % std::uint64_t(i + 1))]);
  return w;
}

std::vector<const Document*> first(std::vector<const Document*> d, int n) {
  if (n > 0 && std::size_t(n) < d.size()) d.resize(std::size_t(n));
  return d;
}

}  // namespace

LmTrainResult train_lm(const LmTrainOptions& o, Progress* progress,
                       const std::function<void(const std::string&)>& log) {
  auto say = [&](const std::string& s) {
    if (log) log(s);
  };
  o.config.validate();
  const LmConfig& cfg = o.config;
  const int C = o.context == 0 ? cfg.max_context : o.context;
  if (o.epochs < 1) throw ValueError("epochs: expected >= 1, found " + std::to_string(o.epochs));
  if (o.batch < 1 || o.batch > 4096)
    throw ValueError("batch: expected 1..4096, found " + std::to_string(o.batch));
  if (C < 2 || C > cfg.max_context)
    throw ValueError("context: expected 2.." + std::to_string(cfg.max_context) +
                     " (the config's max_context), found " + std::to_string(C));
  if (o.train_documents < 0 || o.val_documents < 0)
    throw ValueError("train/val documents: expected >= 0 (0: all)");
  if (o.tokenizer.empty()) throw ValueError("lm training: no tokenizer given");
  const Tokenizer tok = Tokenizer::load(o.tokenizer);
  if (tok.vocab_size() != cfg.vocab)
    throw ConfigError(o.tokenizer + ": tokenizer of " + std::to_string(tok.vocab_size()) +
                      " pieces, the config's vocabulary is " + std::to_string(cfg.vocab));
  const Corpus corpus = load_brown(o.brown_dir.empty() ? default_brown_dir() : o.brown_dir);
  const std::vector<int> train_ids =
      tok.encode(join_text(first(corpus.split(Split::train), o.train_documents)));
  const std::string val_text = join_text(first(corpus.split(Split::val), o.val_documents));
  const std::vector<int> val_ids = tok.encode(val_text);
  const long long N = (long long)train_ids.size();
  const long long windows = (N - C + 1) / C;
  const long long steps_per_epoch = windows / o.batch;
  if (steps_per_epoch < 1)
    throw ValueError("lm training: " + std::to_string(N) + " train tokens make " +
                     std::to_string(std::max(0LL, windows)) + " windows of " + std::to_string(C) +
                     ", fewer than one batch of " + std::to_string(o.batch));
  if (o.threads > 0) set_num_threads(o.threads);
  std::filesystem::create_directories(o.out_dir);
  const std::string last_path = o.out_dir + "/last.h5", best_path = o.out_dir + "/best.h5",
                    model_path = o.out_dir + "/model.h5";

  // parameters
  const auto specs = tensor_layout(cfg);
  std::vector<std::string> names;
  std::vector<std::size_t> sizes;
  train::ParamSet<float> params;
  for (const auto& s : specs) {
    names.push_back(s.name);
    std::size_t n = 1;
    for (auto d : s.shape) n *= std::size_t(d);
    sizes.push_back(n);
    params.shapes.push_back(s.shape);
  }
  params.names = names;
  train::Checkpoint ck;
  std::unique_ptr<LmModel> start;
  if (o.resume) {
    if (!std::filesystem::exists(last_path))
      throw IoError(last_path + ": no checkpoint to resume from");
    start = std::make_unique<LmModel>(LmModel::load(last_path));
    if (!(start->config().to_json() == cfg.to_json()))
      throw ConfigError(last_path + ": cannot resume: the checkpoint's config differs");
    ck = train::load_training_state(last_path, names, sizes);
    bool same = false;
    try {
      same = ck.options.value("seed", std::uint64_t(0)) == o.seed &&
             ck.options.value("batch", 0) == o.batch &&
             ck.options.value("context", -1) == o.context &&
             ck.options.value("train_documents", -1) == o.train_documents;
    } catch (const nlohmann::json::exception&) {
      throw FormatError(last_path +
                        ": attribute 'training/options': 'seed', 'batch', 'context' and "
                        "'train_documents' must be integers");
    }
    if (!same)
      throw ConfigError(last_path +
                        ": cannot resume with another seed, batch, context or train documents");
  } else {
    start = std::make_unique<LmModel>(LmModel::random(cfg, o.seed));
  }
  for (const auto& t : start->tensors()) params.values.push_back(t.data);
  start.reset();
  train::ParamSet<float> grads = params.zeros_like();
  train::ParamList plist = train::param_list(params, grads);
  train::AdamConfig ac;
  ac.weight_decay = o.weight_decay;
  ac.eps = 1e-8f;
  ac.beta2 = 0.95f;
  std::unique_ptr<train::Optimizer> opt;
  if (o.optimizer == "adamw")
    opt = std::make_unique<train::AdamW>(ac);
  else if (o.optimizer == "lamb")
    opt = std::make_unique<train::Lamb>(ac);
  else
    throw ConfigError("optimizer '" + o.optimizer + "': expected adamw or lamb");
  LmTrainResult result;
  result.train_tokens = N;
  result.val_tokens = (long long)val_ids.size();
  result.val_bytes = (long long)val_text.size();
  int first_epoch = 0;
  if (o.resume) {
    opt->set_state(ck.state, plist);
    first_epoch = ck.epoch;
    for (const auto& r : ck.history) result.history.push_back(from_record(r));
    result.best_epoch = ck.best_epoch;
    result.best_val_loss = ck.best_val_loss;
  }
  train::ScheduleConfig sched = o.schedule;
  if (sched.kind == train::ScheduleKind::Cosine) sched.total_steps = steps_per_epoch * o.epochs;
  train::validate(sched);
  tok.save(o.out_dir + "/tokenizer.model");

  const LmGraph<float> graph(cfg);
  const int threads = omp_get_max_threads();
  std::vector<std::shared_ptr<LmWorkspace<float>>> ws;
  std::vector<train::ParamSet<float>> tgrads;
  for (int t = 0; t < threads; ++t) {
    ws.push_back(graph.make_workspace());
    tgrads.push_back(params.zeros_like());
  }
  std::vector<std::vector<float*>> tg;
  for (auto& g : tgrads) {
    std::vector<float*> v;
    for (auto& x : g.values) v.push_back(x.data());
    tg.push_back(std::move(v));
  }
  auto cpointers = [&] {
    std::vector<const float*> v;
    for (const auto& x : params.values) v.push_back(x.data());
    return v;
  };
  const int bos = tok.bos_id();
  std::vector<std::vector<int>> in(static_cast<std::size_t>(threads),
                                   std::vector<int>(static_cast<std::size_t>(C))),
      tgt = in;

  long long step = o.resume ? ck.state.step : 0;
  for (int epoch = first_epoch; epoch < o.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<long long> order = epoch_windows(o.seed, epoch, windows, C);
    double loss_sum = 0;
    long long tok_sum = 0;
    double lr = 0;
    for (long long s = 0; s < steps_per_epoch; ++s) {
      check_cancel(progress);
      const float scale = 1.f / float(std::size_t(o.batch) * C);
      const auto p = cpointers();
      std::vector<double> tloss(std::size_t(threads), 0.0);
      std::exception_ptr failure;
#pragma omp parallel num_threads(threads)
      {
        const int tid = omp_get_thread_num(), nt = omp_get_num_threads();
        try {
          tgrads[std::size_t(tid)].set_zero();
          const int per = (o.batch + nt - 1) / nt;
          auto& x = in[std::size_t(tid)];
          auto& y = tgt[std::size_t(tid)];
          for (int i = tid * per; i < std::min(o.batch, (tid + 1) * per); ++i) {
            const long long b = order[std::size_t(s * o.batch + i)];
            x[0] = bos;
            for (int k = 1; k < C; ++k) x[std::size_t(k)] = train_ids[std::size_t(b + k - 1)];
            for (int k = 0; k < C; ++k) y[std::size_t(k)] = train_ids[std::size_t(b + k)];
            tloss[std::size_t(tid)] +=
                sequence_loss<float>(graph, p, x.data(), y.data(), C, *ws[std::size_t(tid)],
                                     &tg[std::size_t(tid)], scale);
          }
        } catch (...) {
#pragma omp critical(lm_train_failure)
          if (!failure) failure = std::current_exception();
        }
      }
      if (failure) std::rethrow_exception(failure);
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
        throw train::TrainingDiverged("lm training: loss became NaN/Inf at step " +
                                      std::to_string(step));
      const double gn = o.clip_norm > 0 ? train::clip_grad_norm(plist, o.clip_norm)
                                        : train::global_grad_norm(plist);
      if (!std::isfinite(gn))
        throw train::TrainingDiverged("lm training: gradient norm NaN/Inf at step " +
                                      std::to_string(step));
      lr = train::learning_rate(sched, step, epoch);
      opt->step(plist, float(lr));
      ++step;
      loss_sum += loss;
      tok_sum += (long long)o.batch * C;
      if (progress)
        progress->report(double(s + 1), double(steps_per_epoch),
                         "epoch " + std::to_string(epoch + 1));
      if (log && (s % 10 == 0 || s + 1 == steps_per_epoch)) {
        const double el =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        char buf[200];
        std::snprintf(buf, sizeof buf, "epoch %d/%d  step %lld/%lld  loss %.4f  %.0f tokens/s\r",
                      epoch + 1, o.epochs, s + 1, steps_per_epoch, loss_sum / double(tok_sum),
                      double(tok_sum) / std::max(el, 1e-9));
        say(buf);
      }
    }
    // validation with the inference session
    LmEpoch rec;
    rec.epoch = epoch + 1;
    rec.lr = lr;
    rec.step = step;
    rec.train_loss = loss_sum / double(std::max<long long>(tok_sum, 1));
    const double train_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::vector<Tensor> ts;
    for (std::size_t k = 0; k < specs.size(); ++k) {
      Tensor t(specs[k].shape, 0.f);
      t.data = params.values[k];
      ts.push_back(std::move(t));
    }
    auto model = std::make_shared<LmModel>(cfg, std::move(ts));
    model->set_description("dotakv lm, epoch " + std::to_string(rec.epoch) + ", seed " +
                           std::to_string(o.seed));
    const TextScore vs = score_tokens(model, val_ids, (long long)val_text.size(), bos, C);
    rec.val_loss = vs.nats_per_token();
    rec.val_bits_per_byte = vs.bits_per_byte();
    rec.val_perplexity = vs.token_perplexity();
    rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rec.tokens_per_s = double(tok_sum) / std::max(train_s, 1e-9);
    result.history.push_back(rec);
    const bool better = result.best_epoch == 0 || rec.val_loss < result.best_val_loss;
    if (better) {
      result.best_epoch = rec.epoch;
      result.best_val_loss = rec.val_loss;
    }
    train::Checkpoint out;
    out.optimizer = o.optimizer;
    out.state = opt->state();
    out.epoch = rec.epoch;
    out.best_epoch = result.best_epoch;
    out.best_val_loss = result.best_val_loss;
    out.options = o.to_json();
    for (const auto& h : result.history) out.history.push_back(to_record(h));
    auto writer = [&](const std::string& tmp) { model->save(tmp); };
    train::save_checkpoint_with(last_path, writer, out, names);
    if (better) {
      train::save_checkpoint_with(best_path, writer, out, names);
      model->save(model_path);
    }
    write_atomically(o.out_dir + "/history.csv", [&](const std::string& tmp) {
      std::ofstream f(tmp);
      f << history_csv(result.history);
      if (!f) throw IoError(o.out_dir + "/history.csv: cannot write");
    });
    char buf[300];
    std::snprintf(buf, sizeof buf,
                  "epoch %d/%d  train %.4f  val %.4f nats/token  %.4f bits/byte  ppl %.2f  lr "
                  "%.2e  %.0f tokens/s%s\n",
                  rec.epoch, o.epochs, rec.train_loss, rec.val_loss, rec.val_bits_per_byte,
                  rec.val_perplexity, rec.lr, rec.tokens_per_s, better ? "  (best)" : "");
    say(buf);
  }
  return result;
}

}  // namespace dotakv::lm
