#include "dotakv/train/trainer.hpp"

#include <omp.h>

#include <H5Cpp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "../h5_memory_file.hpp"
#include "../physics/h5util.hpp"
#include "../physics/rng.hpp"
#include "dotakv/atomic_file.hpp"
#include "dotakv/dataset.hpp"
#include "dotakv/kernels.hpp"
#include "dotakv/limits.hpp"
#include "dotakv/session.hpp"
#include "dotakv/sysinfo.hpp"
#include "dotakv/train/augment.hpp"

namespace dotakv::train {

namespace h5 = physics::h5;
using physics::detail::Rng;

nlohmann::json TrainOptions::to_json() const {
  return {{"data", data},
          {"config", config.to_json()},
          {"epochs", epochs},
          {"batch", batch},
          {"optimizer", optimizer},
          {"weight_decay", weight_decay},
          {"adam_eps", adam_eps},
          {"lr", schedule.base_lr},
          {"schedule", schedule.kind == ScheduleKind::Step     ? "step"
                       : schedule.kind == ScheduleKind::Cosine ? "cosine"
                                                               : "constant"},
          {"step_epochs", schedule.step_epochs},
          {"gamma", schedule.gamma},
          {"warmup_steps", schedule.warmup_steps},
          {"clip_norm", clip_norm},
          {"loss", loss == LossKind::mse ? "mse" : "dose_weighted"},
          {"loss_alpha", loss_alpha},
          {"seed", seed},
          {"val_fraction", val_fraction},
          {"max_samples", max_samples},
          {"kinds", kinds},
          {"frozen", frozen},
          {"zeroed", zeroed},
          {"zero_output_init", zero_output_init},
          {"augment", augment},
          {"threads", threads},
          {"precision", dotakv::to_string(precision)},
          {"stream_chunk", stream_chunk}};
}

nlohmann::json TrainResult::to_json() const {
  nlohmann::json h = nlohmann::json::array();
  for (const auto& r : history)
    h.push_back({{"epoch", r.epoch},
                 {"lr", r.lr},
                 {"train_loss", r.train_loss},
                 {"val_loss_full", r.val_loss_full},
                 {"val_loss_stream", r.val_loss_stream},
                 {"max_mode_diff", r.max_mode_diff},
                 {"seconds", r.seconds},
                 {"samples_per_s", r.samples_per_s},
                 {"step", r.step}});
  return {{"history", h},
          {"best_epoch", best_epoch},
          {"best_val_loss", best_val_loss},
          {"n_train", n_train},
          {"n_val", n_val},
          {"last_checkpoint", last_checkpoint},
          {"best_checkpoint", best_checkpoint}};
}

std::string history_csv(const std::vector<EpochRecord>& h) {
  std::ostringstream s;
  s << "epoch,step,lr,train_loss,val_loss_full,val_loss_stream,max_mode_diff,seconds,samples_per_"
       "s\n";
  s.precision(9);
  for (const auto& r : h)
    s << r.epoch << ',' << r.step << ',' << r.lr << ',' << r.train_loss << ',' << r.val_loss_full
      << ',' << r.val_loss_stream << ',' << r.max_mode_diff << ',' << r.seconds << ','
      << r.samples_per_s << '\n';
  return s.str();
}

// ---------------------------------------------------------------- checkpoints
namespace {
const char* kHistCols[] = {"epoch",         "step",          "lr",
                           "train_loss",    "val_loss_full", "val_loss_stream",
                           "max_mode_diff", "seconds",       "samples_per_s"};
constexpr int kHistN = 9;

std::vector<double> history_row(const EpochRecord& r) {
  return {double(r.epoch),   double(r.step),  r.lr,      r.train_loss,   r.val_loss_full,
          r.val_loss_stream, r.max_mode_diff, r.seconds, r.samples_per_s};
}
EpochRecord history_from_row(const double* v, const std::string& where) {
  EpochRecord r;
  r.epoch = int(h5::stored_count(v[0], 2147483647.0, where + ": training/history epoch"));
  r.step = h5::stored_count(v[1], 9.0e18, where + ": training/history step");
  r.lr = v[2];
  r.train_loss = v[3];
  r.val_loss_full = v[4];
  r.val_loss_stream = v[5];
  r.max_mode_diff = v[6];
  r.seconds = v[7];
  r.samples_per_s = v[8];
  return r;
}

void write_history(H5::Group& g, const std::vector<EpochRecord>& h) {
  const hsize_t dims[2] = {hsize_t(h.size()), hsize_t(kHistN)};
  H5::DataSpace sp(2, dims);
  H5::DataSet ds = g.createDataSet("history", H5::PredType::IEEE_F64LE, sp);
  std::vector<double> flat;
  for (const auto& r : h) {
    auto row = history_row(r);
    flat.insert(flat.end(), row.begin(), row.end());
  }
  if (!flat.empty()) ds.write(flat.data(), H5::PredType::NATIVE_DOUBLE);
  std::string cols;
  for (int i = 0; i < kHistN; ++i) cols += std::string(i ? "," : "") + kHistCols[i];
  h5::write_attr(ds, "columns", cols);
}

std::vector<EpochRecord> read_history(const H5::Group& g, const std::string& where) {
  H5::DataSet ds = g.openDataSet("history");
  const auto d = h5::dims(ds);
  if (d.size() != 2 || d[1] != hsize_t(kHistN))
    throw ShapeError(where + ": dataset 'training/history': expected [epochs, " +
                     std::to_string(kHistN) + "]");
  require_memory(d, sizeof(double), where + ": dataset 'training/history'");
  std::vector<double> flat(d[0] * d[1]);
  if (!flat.empty()) ds.read(flat.data(), H5::PredType::NATIVE_DOUBLE);
  std::vector<EpochRecord> h;
  for (hsize_t i = 0; i < d[0]; ++i) h.push_back(history_from_row(&flat[i * kHistN], where));
  return h;
}

void write_floats(H5::Group& g, const std::string& name, const std::vector<float>& v) {
  const hsize_t n = v.size();
  H5::DataSpace sp(1, &n);
  H5::LinkCreatPropList lcpl;
  lcpl.setCreateIntermediateGroup(true);
  H5::DataSet ds =
      g.createDataSet(name, H5::PredType::IEEE_F32LE, sp, H5::DSetCreatPropList::DEFAULT,
                      H5::DSetAccPropList::DEFAULT, lcpl);
  if (n) ds.write(v.data(), H5::PredType::NATIVE_FLOAT);
}
std::vector<float> read_floats(const H5::Group& g, const std::string& group,
                               const std::string& tensor, const std::string& where,
                               std::size_t expect) {
  const std::string name = group + "/" + tensor;
  if (!g.nameExists(name)) throw FormatError(where + ": missing dataset 'training/" + name + "'");
  H5::DataSet ds = g.openDataSet(name);
  const auto d = h5::dims(ds);
  if (d.size() != 1 || d[0] != expect)
    throw ShapeError(where + ": dataset 'training/" + name + "': expected [" +
                     std::to_string(expect) + "], found " +
                     shape_string(std::vector<long long>(d.begin(), d.end())));
  require_memory(d, sizeof(float), where + ": dataset 'training/" + name + "'");
  std::vector<float> v(expect);
  if (expect) ds.read(v.data(), H5::PredType::NATIVE_FLOAT);
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i]) || (group == "v" && v[i] < 0))
      throw ValueError(where + ": dataset 'training/" + name + "': element " + std::to_string(i) +
                       (group == "v" ? " must be finite and >= 0 (a second moment), found "
                                     : " is not finite, found ") +
                       std::to_string(v[i]));
  return v;
}
}  // namespace

void save_checkpoint(const std::string& path, const Checkpoint& ck,
                     const std::vector<std::string>& names) {
  save_checkpoint_with(
      path, [&](const std::string& tmp) { ck.model->save(tmp); }, ck, names);
}

void save_checkpoint_with(const std::string& path,
                          const std::function<void(const std::string&)>& write_weights,
                          const Checkpoint& ck, const std::vector<std::string>& names) {
  if (!ck.state.m.empty() &&
      (ck.state.m.size() != names.size() || ck.state.v.size() != names.size()))
    throw ShapeError(path + ": optimizer state has " + std::to_string(ck.state.m.size()) +
                     " moments, expected " + std::to_string(names.size()));
  H5::Exception::dontPrint();
  write_atomically(path, [&](const std::string& tmp) {
    write_weights(tmp);
    try {
      H5::H5File f = h5mem::open_rdwr(tmp);  // in memory: a failed write cannot wedge HDF5
      H5::Group g = f.createGroup("training");
      h5::write_attr(g, "optimizer", ck.optimizer);
      h5::write_attr(g, "optimizer_step", (long long)ck.state.step);
      h5::write_attr(g, "epoch", (long long)ck.epoch);
      h5::write_attr(g, "best_epoch", (long long)ck.best_epoch);
      h5::write_attr(g, "best_val_loss", ck.best_val_loss);
      h5::write_attr(g, "options", ck.options.dump());
      h5::write_attr(g, "has_moments", (long long)!ck.state.m.empty());
      write_history(g, ck.history);
      H5::Group gm = g.createGroup("m"), gv = g.createGroup("v");
      for (std::size_t i = 0; i < ck.state.m.size(); ++i) {
        write_floats(gm, names[i], ck.state.m[i]);
        write_floats(gv, names[i], ck.state.v[i]);
      }
      h5mem::write_image(f, tmp, path);
    } catch (const H5::Exception& e) {
      throw IoError(path + ": cannot write the training state (" + e.getDetailMsg() + ")");
    }
  });
}

Checkpoint load_checkpoint(const std::string& path) {
  auto model = Model::load_shared(path);
  const auto p = ParamSet<float>::from_model(*model);
  std::vector<std::size_t> sizes;
  for (const auto& v : p.values) sizes.push_back(v.size());
  Checkpoint ck = load_training_state(path, p.names, sizes);
  ck.model = model;
  return ck;
}

Checkpoint load_training_state(const std::string& path, const std::vector<std::string>& names,
                               const std::vector<std::size_t>& sizes) {
  Checkpoint ck;
  H5::Exception::dontPrint();
  try {
    H5::H5File f = h5::open_read(path);
    if (!h5::has_link(f, "training"))
      throw FormatError(path + ": no group 'training' (a weights file, not a training checkpoint)");
    H5::Group g = f.openGroup("training");
    ck.optimizer = h5::read_attr_string(g, "optimizer");
    ck.state.step = h5::stored_count(h5::read_attr_double(g, "optimizer_step", path), 9.0e18,
                                     path + ": attribute 'training/optimizer_step'");
    ck.epoch = int(h5::stored_count(h5::read_attr_double(g, "epoch", path), 2147483647.0,
                                    path + ": attribute 'training/epoch'"));
    ck.best_epoch = int(h5::stored_count(h5::read_attr_double(g, "best_epoch", path), 2147483647.0,
                                         path + ": attribute 'training/best_epoch'"));
    ck.best_val_loss = h5::read_attr_double(g, "best_val_loss", path);
    try {
      ck.options = nlohmann::json::parse(h5::read_attr_string(g, "options"));
    } catch (const nlohmann::json::exception&) {
      throw FormatError(path + ": attribute 'training/options' is not valid JSON");
    }
    if (!ck.options.is_object())
      throw FormatError(path + ": attribute 'training/options': expected a JSON object, found " +
                        std::string(ck.options.type_name()));
    ck.history = read_history(g, path);
    if (h5::read_attr_double(g, "has_moments", path) != 0.0) {
      for (std::size_t i = 0; i < names.size(); ++i) {
        ck.state.m.push_back(read_floats(g, "m", names[i], path, sizes[i]));
        ck.state.v.push_back(read_floats(g, "v", names[i], path, sizes[i]));
      }
    }
  } catch (const H5::Exception& e) {
    throw FormatError(path + ": bad training group (" + e.getDetailMsg() + ")");
  }
  return ck;
}

// ---------------------------------------------------------------- data
namespace {
struct Data {
  int n = 0, S = 0, H = 0, W = 0;
  std::vector<float> x, y, e;  // scaled
  physics::DatasetInfo info;
  std::size_t voxels() const { return std::size_t(S) * H * W; }
};

Data load_data(const TrainOptions& o, const Model& like, Progress* progress) {
  Data d;
  d.info = physics::dataset_info(o.data);
  const auto& i = d.info;
  if (!(std::isfinite(i.x_min) && std::isfinite(i.x_max) && i.x_max > i.x_min &&
        std::isfinite(i.y_max) && i.y_max > 0))
    throw FormatError(o.data +
                      ": missing or invalid scaling constants (need attributes x_min < x_max and "
                      "y_max > 0; found x_min " +
                      std::to_string(i.x_min) + ", x_max " + std::to_string(i.x_max) + ", y_max " +
                      std::to_string(i.y_max) + ")");
  const int scan = o.max_samples > 0 ? std::min(o.max_samples, i.n) : i.n;
  const auto& c = like.config();
  d.S = c.num_slices, d.H = c.rows(), d.W = c.cols();
  // CT and dose of every scanned sample stay in memory for the whole run.
  require_memory(std::vector<std::uint64_t>{std::uint64_t(std::max(scan, 0)), 2, d.voxels()},
                 sizeof(float), o.data + ": training set (" + std::to_string(scan) + " samples)");
  for (int s = 0; s < scan; ++s) {
    if (progress) progress->report(s, scan, "loading " + o.data);
    Case cs = physics::read_dataset_sample(o.data, s, true);
    auto it = cs.doses.find("mc");
    if (it == cs.doses.end())
      throw FormatError(o.data + ": sample " + std::to_string(s) + " has no dose");
    if (!o.kinds.empty()) {
      const auto& a = it->second.attributes;
      const std::string kind =
          a.contains("kind") && a["kind"].is_string() ? a["kind"].get<std::string>() : "";
      if (std::find(o.kinds.begin(), o.kinds.end(), kind) == o.kinds.end()) continue;
    }
    const Volume& dose = it->second.volume;
    if (cs.ct.slices != d.S || cs.ct.rows != d.H || cs.ct.cols != d.W || !dose.same_grid(cs.ct))
      throw ShapeError(o.data + ": sample " + std::to_string(s) + ": expected grid " +
                       shape_string({d.S, d.H, d.W}) + " (model config), found " +
                       shape_string({cs.ct.slices, cs.ct.rows, cs.ct.cols}));
    const double E = cs.energy_mev;
    const auto& sc = like.scaling();
    if (!std::isfinite(E) || E < sc.energy_min_mev || E > sc.energy_max_mev)
      throw ValueError(o.data + ": sample " + std::to_string(s) + ": energy " + std::to_string(E) +
                       " MeV outside the model range");
    d.e.push_back(like.scale_energy(E));
    d.x.resize(d.x.size() + d.voxels());
    d.y.resize(d.y.size() + d.voxels());
    float* xs = &d.x[std::size_t(d.n) * d.voxels()];
    float* ys = &d.y[std::size_t(d.n) * d.voxels()];
    ++d.n;
    for (std::size_t v = 0; v < d.voxels(); ++v) {
      xs[v] = like.scale_ct(cs.ct.data[v]);
      ys[v] = float(dose.data[v] / i.y_max);
      if (!std::isfinite(xs[v]) || !std::isfinite(ys[v]))
        throw ValueError(o.data + ": sample " + std::to_string(s) +
                         ": non-finite CT or dose at voxel " + std::to_string(v));
    }
  }
  if (d.n < 2)
    throw ValueError(o.data + ": need at least 2 samples (of the selected kinds), found " +
                     std::to_string(d.n));
  return d;
}

std::vector<int> permutation(int n, std::uint64_t seed, std::uint64_t stream) {
  std::vector<int> p(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) p[std::size_t(i)] = i;
  Rng r(seed, stream);
  for (int i = n - 1; i > 0; --i) std::swap(p[std::size_t(i)], p[r.next() % std::uint64_t(i + 1)]);
  return p;
}

// Validation losses in full and stream+cache modes and their largest output difference.
void validate(const std::shared_ptr<const Model>& model, const Data& d, const std::vector<int>& idx,
              int chunk, EpochRecord& rec) {
  const int B = 8;
  Session full(model, {.mode = Mode::full, .max_batch = B});
  Session stream(model, {.mode = Mode::stream, .cache = true, .chunk = chunk, .max_batch = B});
  double lf = 0, ls = 0, diff = 0;
  for (std::size_t i0 = 0; i0 < idx.size(); i0 += B) {
    std::vector<Volume> xs;
    std::vector<float> es;
    for (std::size_t i = i0; i < std::min(idx.size(), i0 + B); ++i) {
      Volume v(d.S, d.H, d.W);
      const float* src = &d.x[std::size_t(idx[i]) * d.voxels()];
      std::copy(src, src + d.voxels(), v.data.begin());
      xs.push_back(std::move(v));
      es.push_back(d.e[std::size_t(idx[i])]);
    }
    auto of = full.infer_scaled(xs, es);
    auto os = stream.infer_scaled(xs, es);
    for (std::size_t b = 0; b < xs.size(); ++b) {
      const float* y = &d.y[std::size_t(idx[i0 + b]) * d.voxels()];
      lf += mse_loss(of[b].data.data(), y, d.voxels(), nullptr);
      ls += mse_loss(os[b].data.data(), y, d.voxels(), nullptr);
      for (std::size_t v = 0; v < d.voxels(); ++v)
        diff = std::max(diff, double(std::abs(of[b].data[v] - os[b].data[v])));
    }
  }
  rec.val_loss_full = lf / double(idx.size());
  rec.val_loss_stream = ls / double(idx.size());
  rec.max_mode_diff = diff;
}

std::string fmt_duration(double s) {
  char b[32];
  if (s >= 3600)
    std::snprintf(b, sizeof b, "%dh%02dm", int(s / 3600), int(s / 60) % 60);
  else
    std::snprintf(b, sizeof b, "%dm%02ds", int(s / 60), int(s) % 60);
  return b;
}

std::unique_ptr<Optimizer> make_optimizer(const TrainOptions& o) {
  AdamConfig ac;
  ac.weight_decay = o.weight_decay;
  ac.eps = o.adam_eps;
  if (o.optimizer == "lamb") return std::make_unique<Lamb>(ac);
  if (o.optimizer == "adamw") return std::make_unique<AdamW>(ac);
  throw ConfigError("optimizer: expected lamb|adamw, found '" + o.optimizer + "'");
}

constexpr const char* kOutputKernel = "decoder/conv/kernel";

void check_resume_compatible(const nlohmann::json& saved, const TrainOptions& o,
                             const std::string& path) {
  const nlohmann::json now = o.to_json();
  for (const char* k :
       {"config", "batch", "seed", "val_fraction", "max_samples", "optimizer", "augment", "loss"})
    if (saved.contains(k) && saved[k] != now[k])
      throw ConfigError(path + ": cannot resume: option '" + k + "' was " + saved[k].dump() +
                        ", now " + now[k].dump());
}
}  // namespace

std::shared_ptr<const Model> grow_transformer(const Model& from, const ModelConfig& to,
                                              std::uint64_t seed) {
  ModelConfig same_depth = to;
  same_depth.num_transformers = from.config().num_transformers;
  if (!(same_depth.to_json() == from.config().to_json()) ||
      to.num_transformers <= from.config().num_transformers)
    throw ConfigError("grow_transformer: expected the config " + from.config().to_json().dump() +
                      " with more than " + std::to_string(from.config().num_transformers) +
                      " transformer blocks, found " + to.to_json().dump());
  ModelWeights w = from.weights();
  ModelWeights fresh = Model::random(to, seed).weights();
  for (size_t l = w.blocks.size(); l < fresh.blocks.size(); ++l) {
    auto& b = w.blocks.emplace_back(std::move(fresh.blocks[l]));
    for (Tensor* t : {&b.wo, &b.ff2_kernel, &b.ff2_bias})
      std::fill(t->data.begin(), t->data.end(), 0.f);
  }
  auto grown = std::make_shared<Model>(to, std::move(w), from.scaling());
  grown->set_description(from.description() + " (grown to " + std::to_string(to.num_transformers) +
                         " transformer blocks)");
  return grown;
}

TrainResult train(const TrainOptions& o, Progress* progress,
                  const std::function<void(const std::string&)>& log) {
  auto say = [&](const std::string& s) {
    if (log) log(s);
  };
  if (o.epochs < 1) throw ValueError("epochs: expected >= 1, found " + std::to_string(o.epochs));
  if (o.batch < 1) throw ValueError("batch: expected >= 1, found " + std::to_string(o.batch));
  if (!(o.val_fraction > 0 && o.val_fraction < 1))
    throw ValueError("val_fraction: expected in (0, 1), found " + std::to_string(o.val_fraction));
  if (!(o.clip_norm >= 0) || !std::isfinite(o.clip_norm))
    throw ValueError("clip_norm: expected >= 0, found " + std::to_string(o.clip_norm));
  o.config.validate();
  if (o.precision == ComputePrecision::bf16 && !kernels::bf16_supported())
    throw ValueError(
        "precision: bf16 training needs a CPU with bf16 support in oneDNN "
        "(AVX512-BF16 or AMX); this one has none, use fp32");
  if (o.threads > 0) set_num_threads(o.threads);
  std::filesystem::create_directories(o.out_dir);
  const std::string last_path = o.out_dir + "/last.h5", best_path = o.out_dir + "/best.h5";
  for (const char* f : {"/last.h5", "/best.h5", "/model.h5", "/history.csv", "/history.h5"})
    remove_stale_temporaries(o.out_dir + f);  // left by a killed run; not all are rewritten

  // initial model (random or given) and resume state
  Checkpoint ck;
  std::shared_ptr<const Model> start;
  if (o.resume) {
    if (!std::filesystem::exists(last_path))
      throw IoError(last_path + ": no checkpoint to resume from");
    ck = load_checkpoint(last_path);
    if (!(ck.model->config().to_json() == o.config.to_json()))
      throw ConfigError(last_path +
                        ": cannot resume: the checkpoint's config differs from --config");
    check_resume_compatible(ck.options, o, last_path);
    start = ck.model;
  } else if (!o.init_weights.empty()) {
    start = Model::load_shared(o.init_weights);
    if (start->config().num_transformers < o.config.num_transformers)
      start = grow_transformer(*start, o.config, o.seed);
    if (!(start->config().to_json() == o.config.to_json()))
      throw ConfigError(o.init_weights + ": config differs from the training config");
  } else {
    start = Model::random_shared(o.config, o.seed);
  }
  // data, scaled with the dataset's constants (stored in the model's scaling)
  Scaling sc = start->scaling();
  {
    const auto info = physics::dataset_info(o.data);
    sc.ct_min_hu = info.x_min;
    sc.ct_max_hu = info.x_max;
    sc.dose_scale = info.y_max;
  }
  ModelWeights start_weights = start->weights();
  std::vector<std::string> zeroed = o.zeroed;
  const bool fresh = !o.resume && o.init_weights.empty();
  if (fresh && o.zero_output_init &&
      std::find(zeroed.begin(), zeroed.end(), kOutputKernel) == zeroed.end())
    zeroed.push_back(kOutputKernel);
  if (!o.resume && !zeroed.empty()) {
    std::vector<std::string> left = zeroed;
    Model::for_each_tensor(o.config, start_weights,
                           [&](const std::string& name, const std::vector<long long>&, Tensor& t) {
                             auto it = std::find(left.begin(), left.end(), name);
                             if (it == left.end()) return;
                             std::fill(t.data.begin(), t.data.end(), 0.f);
                             left.erase(it);
                           });
    if (!left.empty()) throw ValueError("--zero: no tensor named '" + left.front() + "'");
  }
  auto like = std::make_shared<Model>(start->config(), std::move(start_weights), sc);
  like->set_description("trained by dotakv train on " + o.data);
  Data d = load_data(o, *like, progress);
  if (o.resume &&
      (std::abs(ck.model->scaling().dose_scale - sc.dose_scale) > 1e-12 * std::abs(sc.dose_scale)))
    throw ConfigError(last_path + ": cannot resume: dataset scaling constants differ");

  // split
  const auto perm = permutation(d.n, o.seed, 0xDA7A);
  const int n_val = std::max(1, std::min(d.n - 1, int(std::lround(d.n * o.val_fraction))));
  std::vector<int> val_idx(perm.begin(), perm.begin() + n_val),
      train_idx(perm.begin() + n_val, perm.end());
  std::sort(val_idx.begin(), val_idx.end());
  std::sort(train_idx.begin(), train_idx.end());
  std::vector<int> val_eval = val_idx;
  if (o.max_val_samples > 0 && int(val_eval.size()) > o.max_val_samples)
    val_eval.resize(std::size_t(o.max_val_samples));

  Graph<float> graph(o.config, o.precision);
  auto params = ParamSet<float>::from_model(*like);
  auto grads = params.zeros_like();
  ParamList plist = param_list(params, grads);
  std::vector<std::size_t> frozen_idx;  // zero gradient and no decay: Adam leaves them exact
  for (const auto& f : o.frozen) {
    frozen_idx.push_back(params.index(f));
    plist[frozen_idx.back()].decay = false;
  }
  auto opt = make_optimizer(o);
  TrainResult res;
  res.n_train = int(train_idx.size());
  res.n_val = n_val;
  int first_epoch = 0;
  if (o.resume) {
    if (ck.optimizer != o.optimizer)
      throw ConfigError(last_path + ": cannot resume: optimizer was " + ck.optimizer);
    if (!ck.state.m.empty()) opt->set_state(ck.state, plist);
    first_epoch = ck.epoch;
    res.history = ck.history;
    res.best_epoch = ck.best_epoch;
    res.best_val_loss = ck.best_val_loss;
    say("resuming " + last_path + " after epoch " + std::to_string(ck.epoch) + "\n");
  }
  const int steps_per_epoch = (res.n_train + o.batch - 1) / o.batch;
  ScheduleConfig sched = o.schedule;
  if (sched.kind == ScheduleKind::Cosine && sched.total_steps == 0)
    sched.total_steps = (long long)steps_per_epoch * o.epochs;
  validate(sched);
  BatchScratch scratch;
  std::vector<float> bx, by;
  for (int epoch = first_epoch; epoch < o.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto order = permutation(res.n_train, o.seed, 0x5EED0000ull + std::uint64_t(epoch));
    double loss_sum = 0;
    int seen = 0;
    EpochRecord rec;
    rec.epoch = epoch + 1;
    for (int s = 0; s < steps_per_epoch; ++s) {
      if (progress) progress->check();
      const int b0 = s * o.batch, b1 = std::min(res.n_train, b0 + o.batch), B = b1 - b0;
      bx.resize(std::size_t(B) * d.voxels());
      by.resize(bx.size());
      std::vector<ScaledSample> batch;
      for (int b = 0; b < B; ++b) {
        const int i = train_idx[std::size_t(order[std::size_t(b0 + b)])];
        float* xb = &bx[std::size_t(b) * d.voxels()];
        float* yb = &by[std::size_t(b) * d.voxels()];
        std::copy_n(&d.x[std::size_t(i) * d.voxels()], d.voxels(), xb);
        std::copy_n(&d.y[std::size_t(i) * d.voxels()], d.voxels(), yb);
        if (o.augment) {
          Rng r(o.seed, (std::uint64_t(epoch) << 32) ^ std::uint64_t(i) ^ 0xA0A0000000000000ull);
          const int k = int(r.next() % 4);
          if (k) {
            Volume vx(d.S, d.H, d.W), vy(d.S, d.H, d.W);
            std::copy_n(xb, d.voxels(), vx.data.begin());
            std::copy_n(yb, d.voxels(), vy.data.begin());
            rotate_lateral_pair(vx, vy, k);
            std::copy_n(vx.data.begin(), d.voxels(), xb);
            std::copy_n(vy.data.begin(), d.voxels(), yb);
          }
        }
        batch.push_back({xb, yb, d.e[std::size_t(i)]});
      }
      const double loss =
          loss_and_gradients(graph, params, batch, o.loss, o.loss_alpha, grads, scratch);
      for (std::size_t fi : frozen_idx)
        std::fill(grads.values[fi].begin(), grads.values[fi].end(), 0.f);
      const double gnorm =
          o.clip_norm > 0 ? clip_grad_norm(plist, o.clip_norm) : global_grad_norm(plist);
      if (!std::isfinite(loss) || !std::isfinite(gnorm))
        throw TrainingDiverged(
            "training stopped: " + std::string(!std::isfinite(loss) ? "loss" : "gradient norm") +
            " is not finite at epoch " + std::to_string(epoch + 1) + ", step " +
            std::to_string(s + 1) + "; the last good checkpoint " +
            (std::filesystem::exists(last_path) ? last_path : "(none yet)") + " is unchanged");
      const double lr = learning_rate(sched, opt->state().step, epoch);
      opt->step(plist, float(lr));
      rec.lr = lr;
      loss_sum += loss * B;
      seen += B;
      const double el =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const double sps = seen / std::max(el, 1e-9);
      char line[200];
      std::snprintf(line, sizeof line,
                    "epoch %d/%d  step %d/%d  loss %.4e  %.1f samples/s  ETA %s   \r", epoch + 1,
                    o.epochs, s + 1, steps_per_epoch, loss_sum / seen, sps,
                    fmt_duration((res.n_train - seen) / std::max(sps, 1e-9)).c_str());
      say(line);
      if (progress)
        progress->report(double(epoch) * steps_per_epoch + s + 1,
                         double(o.epochs) * steps_per_epoch, line);
    }
    const double train_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rec.train_loss = loss_sum / std::max(seen, 1);
    rec.samples_per_s = seen / std::max(train_s, 1e-9);
    rec.step = opt->state().step;
    auto model = model_from_params(*like, params);
    validate(model, d, val_eval, o.stream_chunk, rec);
    rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    res.history.push_back(rec);
    const bool improved = res.best_epoch == 0 || rec.val_loss_full < res.best_val_loss;
    if (improved) res.best_epoch = rec.epoch, res.best_val_loss = rec.val_loss_full;
    ck.model = model;
    ck.optimizer = o.optimizer;
    ck.state = opt->state();
    ck.epoch = epoch + 1;
    ck.best_epoch = res.best_epoch;
    ck.best_val_loss = res.best_val_loss;
    ck.options = o.to_json();
    ck.history = res.history;
    if (improved) {
      save_checkpoint(best_path, ck, params.names);
      model->save(o.out_dir + "/model.h5");  // the best weights alone, ready to ship
    }
    save_checkpoint(last_path, ck, params.names);
    write_text_atomically(o.out_dir + "/history.csv", history_csv(res.history));
    write_atomically(o.out_dir + "/history.h5", [&](const std::string& tmp) {
      try {
        H5::H5File f = h5mem::create();
        H5::Group g = f.openGroup("/");
        write_history(g, res.history);
        h5mem::write_image(f, tmp, o.out_dir + "/history.h5");
      } catch (const H5::Exception& e) {
        throw IoError(o.out_dir + "/history.h5: write failed: " + e.getDetailMsg());
      }
    });
    char line[300];
    std::snprintf(line, sizeof line,
                  "epoch %d/%d  train %.4e  val full %.4e  stream+cache %.4e  |full-stream| %.1e  "
                  "lr %.2e  %.1f samples/s  %s%s\n",
                  rec.epoch, o.epochs, rec.train_loss, rec.val_loss_full, rec.val_loss_stream,
                  rec.max_mode_diff, rec.lr, rec.samples_per_s, fmt_duration(rec.seconds).c_str(),
                  improved ? "  (best)" : "");
    say(line);
  }
  res.last_checkpoint = last_path;
  res.best_checkpoint = best_path;
  return res;
}

}  // namespace dotakv::train
