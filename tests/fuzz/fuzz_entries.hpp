// The fuzz entry points (docs/fuzzing.md): one function per target, taking the input bytes.
// Shared by the libFuzzer targets (tests/fuzz/fuzz_<name>.cpp, clang + sanitizers) and the
// release unit test that replays the corpus and every regression input
// (tests/unit/test_fuzz_regressions.cpp), so both run exactly the same code.
//
// Contract: an entry returns normally or throws dotakv::Error (typed, core/include/dotakv/
// error.hpp): bad input must give one clear error. Any other exception, a crash, a sanitizer
// report, a leak or a timeout is a bug. run_expecting_errors() swallows dotakv::Error only.
//
// HDF5 targets come in two levels:
//   <name>        raw bytes, opened from memory through dotakv::h5::ScopedFileImage;
//   <name>_edit   the bytes drive edits (h5_edit.hpp) of a valid file that the project's own
//                 writers produce (base_* below), then the edited image goes through <name>.
// JSON, PNG and tokenizer targets write the bytes to a scratch file (/dev/shm when present) and
// load it.
#pragma once
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "dotakv/auto_policy.hpp"
#include "dotakv/bench_harness.hpp"
#include "dotakv/case_file.hpp"
#include "dotakv/dataset.hpp"
#include "dotakv/digits/data.hpp"
#include "dotakv/digits/model.hpp"
#include "dotakv/digits/session.hpp"
#include "dotakv/error.hpp"
#include "dotakv/h5_file_image.hpp"
#include "dotakv/lm/model.hpp"
#include "dotakv/lm/session.hpp"
#include "dotakv/lm/tokenizer.hpp"
#include "dotakv/model.hpp"
#include "dotakv/model_config.hpp"
#include "dotakv/train/graph.hpp"
#include "dotakv/train/trainer.hpp"
#include "h5_edit.hpp"

namespace dotakv::fuzz {

using Entry = void (*)(std::string_view);

// The path under which raw HDF5 inputs are registered (must not exist on disk).
inline const std::string kImagePath = "/nonexistent/dotakv-fuzz/input.h5";

// Runs one entry; dotakv::Error is the expected outcome of bad input, everything else escapes.
inline void run_expecting_errors(Entry entry, std::string_view bytes) {
  try {
    entry(bytes);
  } catch (const dotakv::Error&) {
  }
}

// A property that must hold for any input that loads (reported as a bug, not a dotakv::Error).
inline void require(bool ok, const std::string& what) {
  if (!ok) throw std::logic_error("fuzz invariant violated: " + what);
}

// Process-private scratch directory (removed at exit).
inline const std::string& scratch_dir() {
  static const std::string dir = [] {
    const std::filesystem::path root = std::filesystem::is_directory("/dev/shm")
                                           ? std::filesystem::path("/dev/shm")
                                           : std::filesystem::temp_directory_path();
    const auto d = root / ("dotakv-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    static const std::string keep = d.string();
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(keep, ec);
    });
    return d.string();
  }();
  return dir;
}

inline void write_bytes(const std::string& path, std::string_view bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), std::streamsize(bytes.size()));
}
inline std::string read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// ---- valid files written by the project's own writers (seeds and edit bases) ----

// Writes with `writer(path)` into the scratch directory and returns the bytes.
inline std::string written_by(const std::string& name,
                              const std::function<void(const std::string&)>& writer) {
  const std::string path = scratch_dir() + "/" + name;
  writer(path);
  std::string b = read_bytes(path);
  std::error_code ec;
  std::filesystem::remove(path, ec);
  std::filesystem::remove_all(path + ".parts", ec);
  return b;
}

// A tiny but valid DoTA configuration (2 slices of 4x4, one block of one head).
inline ModelConfig tiny_model_config() {
  ModelConfig c;
  c.num_slices = 2;
  c.num_tokens = 3;
  c.data_shape = {4, 4, 1};
  c.kernel_size = 3;
  c.num_heads = 1;
  c.num_transformers = 1;
  c.projection_dim = {1, 1, 4};
  c.conv_channels = 16;
  c.key_dim = 4;
  return c;
}
inline digits::DigitsConfig tiny_digits_config() {
  digits::DigitsConfig c;
  c.stem1 = c.stem2 = c.stem3 = 2;
  c.d_model = 4;
  c.heads = 1;
  c.ffn = 4;
  c.encoder_layers = 1;
  c.decoder_layers = 1;
  c.max_digits = 4;
  c.max_width = 64;
  return c;
}

inline const std::string& base_case() {
  static const std::string b = written_by("case.h5", [](const std::string& p) {
    Case c;
    c.ct = Volume(3, 4, 4, 0.f);
    for (std::size_t i = 0; i < c.ct.data.size(); ++i) c.ct.data[i] = float(i % 7) * 100.f - 300.f;
    c.energy_mev = 120.0;
    Dose d{Volume(3, 4, 4, 1e-6f), {{"engine", "mc"}, {"primaries", 1000}, {"seed", 1}}};
    c.doses["mc"] = d;
    c.doses["pba"] = Dose{Volume(3, 4, 4, 2e-6f), {{"engine", "pba"}}};
    save_case(c, p);
  });
  return b;
}

inline physics::DatasetOptions tiny_dataset_options(bool dota) {
  physics::DatasetOptions o;
  o.n = 2;
  o.primaries = 30;
  o.slices = 4;
  o.rows = 4;
  o.cols = 4;
  o.threads = 1;
  o.dota_layout = dota;
  return o;
}
inline const std::string& base_dataset() {
  static const std::string b = written_by("dataset.h5", [](const std::string& p) {
    physics::generate_dataset(tiny_dataset_options(false), p);
  });
  return b;
}
inline const std::string& base_dota_dataset() {
  static const std::string b = written_by("dota.h5", [](const std::string& p) {
    physics::generate_dataset(tiny_dataset_options(true), p);
  });
  return b;
}

inline const Model& tiny_model() {
  static const Model m = Model::random(tiny_model_config(), 1);
  return m;
}
inline const std::string& base_weights() {
  static const std::string b =
      written_by("weights.h5", [](const std::string& p) { tiny_model().save(p); });
  return b;
}

inline train::Checkpoint tiny_checkpoint_fields(const std::vector<std::size_t>& sizes) {
  train::Checkpoint ck;
  ck.optimizer = "adamw";
  ck.state.step = 3;
  for (auto n : sizes) {
    ck.state.m.emplace_back(n, 0.01f);
    ck.state.v.emplace_back(n, 0.001f);
  }
  ck.epoch = 1;
  ck.best_epoch = 1;
  ck.best_val_loss = 0.5;
  ck.options = {{"seed", 1}, {"batch", 1}, {"epochs", 2}};
  train::EpochRecord e;
  e.epoch = 1;
  e.lr = 1e-3;
  e.train_loss = 0.6;
  e.val_loss_full = e.val_loss_stream = 0.5;
  e.seconds = 1.0;
  e.samples_per_s = 2.0;
  e.step = 3;
  ck.history = {e};
  return ck;
}
inline const std::string& base_checkpoint() {
  static const std::string b = written_by("checkpoint.h5", [](const std::string& p) {
    const auto params = train::ParamSet<float>::from_model(tiny_model());
    std::vector<std::size_t> sizes;
    for (const auto& v : params.values) sizes.push_back(v.size());
    train::Checkpoint ck = tiny_checkpoint_fields(sizes);
    ck.model = std::make_shared<const Model>(tiny_model());
    train::save_checkpoint(p, ck, params.names);
  });
  return b;
}

inline const digits::DigitsModel& tiny_digits_model() {
  static const digits::DigitsModel m = digits::DigitsModel::random(tiny_digits_config(), 1);
  return m;
}
inline void digits_state_layout(const digits::DigitsConfig& cfg, std::vector<std::string>& names,
                                std::vector<std::size_t>& sizes) {
  for (const auto& s : digits::tensor_layout(cfg)) {
    names.push_back(s.name);
    std::size_t n = 1;
    for (auto d : s.shape) n *= std::size_t(d);
    sizes.push_back(n);
  }
}
inline const std::string& base_digits_model() {
  static const std::string b =
      written_by("digits.h5", [](const std::string& p) { tiny_digits_model().save(p); });
  return b;
}
inline const std::string& base_digits_checkpoint() {
  static const std::string b = written_by("digits_last.h5", [](const std::string& p) {
    std::vector<std::string> names;
    std::vector<std::size_t> sizes;
    digits_state_layout(tiny_digits_model().config(), names, sizes);
    train::save_checkpoint_with(
        p, [](const std::string& tmp) { tiny_digits_model().save(tmp); },
        tiny_checkpoint_fields(sizes), names);
  });
  return b;
}

inline digits::DigitString tiny_digit_string(int width, std::vector<int> labels) {
  digits::DigitString s;
  s.width = width;
  s.pixels.assign(std::size_t(digits::kCanvasHeight) * width, 0.f);
  const int L = int(labels.size());
  for (int i = 0; i < L; ++i) {
    const int cx = (2 * i + 1) * width / (2 * L);
    for (int y = 10; y < 22; ++y) s.pixels[std::size_t(y) * width + cx] = 1.f;
    s.center_x.push_back(float(cx));
    s.source_class.push_back(labels[std::size_t(i)]);
    s.source_index.push_back(i);
  }
  s.labels = std::move(labels);
  return s;
}
// A tiny lm model (vocab 8, D 4, one block of 2 query heads / 1 K/V head); tied or not.
inline lm::LmConfig tiny_lm_config(bool tied) {
  lm::LmConfig c;
  c.vocab = 8;
  c.d_model = 4;
  c.layers = 1;
  c.heads = 2;
  c.kv_heads = 1;
  c.ffn = 4;
  c.max_context = 8;
  c.tie_embeddings = tied;
  return c;
}
inline const std::string& base_lm_model(bool tied = false) {
  static const std::string untied = written_by(
      "lm.h5", [](const std::string& p) { lm::LmModel::random(tiny_lm_config(false), 1).save(p); });
  static const std::string tied_b = written_by("lm_tied.h5", [](const std::string& p) {
    lm::LmModel::random(tiny_lm_config(true), 1).save(p);
  });
  return tied ? tied_b : untied;
}

inline const std::string& base_strings() {
  static const std::string b = written_by("strings.h5", [](const std::string& p) {
    digits::StringsMeta meta;
    meta.seed = 1;
    meta.len_min = 1;
    meta.len_max = 2;
    meta.mnist_dir = "mnist";
    digits::save_strings(p, {tiny_digit_string(16, {3}), tiny_digit_string(24, {1, 2})}, meta);
  });
  return b;
}

inline const std::string& base_png() {
  static const std::string b = written_by("digit.png", [](const std::string& p) {
    const digits::DigitString s = tiny_digit_string(24, {4, 2});
    digits::save_png(p, s.pixels, digits::kCanvasHeight, s.width);
  });
  return b;
}

inline const std::string& base_model_config() {
  static const std::string b = tiny_model_config().to_json().dump(2);
  return b;
}
inline const std::string& base_digits_config() {
  static const std::string b = tiny_digits_config().to_json().dump(2);
  return b;
}

inline const std::string& base_bench_results() {
  static const std::string b = written_by("bench.json", [](const std::string& p) {
    double t = 0;
    bench::HarnessOptions h;
    h.warmup = 1;
    h.reps = 3;
    h.bootstrap_resamples = 50;
    h.clock = [&t] { return t += 0.001; };
    std::vector<bench::Workload> w(2);
    for (int i = 0; i < 2; ++i) {
      w[std::size_t(i)].label = i ? "cache=on" : "cache=off";
      w[std::size_t(i)].settings = {{"cache", i ? "on" : "off"}};
      w[std::size_t(i)].run = [] {
        return bench::RunOutput{{1.f, 2.f}, 16, {{"first_token_s", 0.1}}};
      };
    }
    bench::SweepResult r;
    r.groups.push_back({nlohmann::json{{"batch", 1}}, {w[0].settings, w[1].settings}});
    r.comparisons.push_back(bench::run_comparison(w, h));
    bench::save_results_json(bench::results_json(nlohmann::json{{"workload", "full"}}, h, r), p);
  });
  return b;
}

inline const std::string& base_auto_policy() {
  static const std::string b = written_by("policy.json", [](const std::string& p) {
    bench::AutoPolicy a;
    a.meta = {{"threads", 1}, {"config", tiny_model_config().to_json()}};
    bench::StreamCurve s;
    s.prior_tokens = {0, 1, 2};
    s.cached_step_s = {0.010, 0.011, 0.012};
    s.uncached_step_s = {0.010, 0.020, 0.030};
    s.new_slices = {1, 1, 1};
    a.stream = {s};
    a.full = {bench::FullPoint{1, 0.05, 0.04}};
    bench::PrefixCurve pc;
    pc.depth = {0, 1};
    pc.reuse_s = {0.05, 0.03};
    pc.full_s = 0.05;
    a.prefix = {pc};
    a.save(p);
  });
  return b;
}

inline const std::string& base_calibration() {
  static const std::string b = written_by("digits_policy.json", [](const std::string& p) {
    digits::AutoCalibration c;
    c.valid = true;
    c.cpu = "fuzz";
    c.step_overhead_s = 1e-4;
    c.row_token_s = 1e-6;
    c.cross_token_s = 2e-6;
    c.attn_s = 3e-7;
    digits::save_calibration(p, c);
  });
  return b;
}

// A tiny SentencePiece BPE tokenizer (kMinVocab pieces) trained on a few sentences.
inline const std::string& base_tokenizer() {
  static const std::string b = [] {
    const std::vector<std::string_view> texts{
        "The jury said the election was conducted well .\n",
        "The quick brown fox jumps over the lazy dog .\nIt was 1961 .\n\nA new line .\n",
        "Was the jury in the city or the county ?\n"};
    return lm::Tokenizer::train(texts, {lm::kMinVocab}).model_bytes();
  }();
  return b;
}

// ---- raw HDF5 entries ----

inline void case_file(std::string_view bytes) {
  dotakv::h5::ScopedFileImage image(std::string(bytes), kImagePath);
  try {
    const Case c = load_case(kImagePath);
    for (const auto& [name, d] : c.doses) require(d.volume.same_grid(c.ct), "dose grid == CT grid");
    return;  // a case file; otherwise try DoTA's training layout
  } catch (const Error&) {
  }
  const int n = dota_sample_count(kImagePath);
  if (n <= 0) return;
  try {
    read_dota_sample(kImagePath, 0, true);
  } catch (const Error&) {
  }
  read_dota_sample(kImagePath, n - 1, false);
}

inline void dataset(std::string_view bytes) {
  dotakv::h5::ScopedFileImage image(std::string(bytes), kImagePath);
  const physics::DatasetInfo info = physics::dataset_info(kImagePath);
  if (info.n <= 0) return;
  try {
    physics::read_dataset_sample(kImagePath, 0, true);
  } catch (const Error&) {
  }
  physics::read_dataset_sample(kImagePath, info.n - 1, false);
}

inline void weights(std::string_view bytes) {
  dotakv::h5::ScopedFileImage image(std::string(bytes), kImagePath);
  const Model m = Model::load(kImagePath);
  require(m.config().to_json() == ModelConfig::from_json(m.config().to_json()).to_json(),
          "loaded config round-trips");
}

inline void checkpoint(std::string_view bytes) {
  dotakv::h5::ScopedFileImage image(std::string(bytes), kImagePath);
  try {  // DoTA checkpoint
    train::load_checkpoint(kImagePath);
    return;
  } catch (const Error&) {
  }
  // digits checkpoint: weights, then the /training group for the model's tensors
  const digits::DigitsModel m = digits::DigitsModel::load(kImagePath);
  std::vector<std::string> names;
  std::vector<std::size_t> sizes;
  digits_state_layout(m.config(), names, sizes);
  train::load_training_state(kImagePath, names, sizes);
}

inline void digits_model(std::string_view bytes) {
  dotakv::h5::ScopedFileImage image(std::string(bytes), kImagePath);
  const digits::DigitsModel m = digits::DigitsModel::load(kImagePath);
  require(m.tensors().size() == digits::tensor_layout(m.config()).size(), "tensor count");
}

inline void lm_model(std::string_view bytes) {
  dotakv::h5::ScopedFileImage image(std::string(bytes), kImagePath);
  auto m = lm::LmModel::load_shared(kImagePath);
  require(m->tensors().size() == lm::tensor_layout(m->config()).size(), "tensor count");
  require(m->config().to_json() == lm::LmConfig::from_json(m->config().to_json()).to_json(),
          "loaded config round-trips");
  lm::LmSession s(m);  // a loaded model runs: prefill, then one decoding step
  s.prefill({0});
  s.decode(m->config().vocab - 1);
}

inline void digits_strings(std::string_view bytes) {
  dotakv::h5::ScopedFileImage image(std::string(bytes), kImagePath);
  const digits::DigitStringSet set = digits::load_strings(kImagePath);
  for (int i = 0; i < set.size() && i < 4; ++i) {
    try {
      set.string(i);
    } catch (const Error&) {
    }
  }
  if (set.size() > 0) set.string(set.size() - 1);
}

// ---- structured HDF5 entries: edits of a valid file, then the raw entry ----

inline const std::string& pick_base(Reader& r, std::initializer_list<const std::string*> bases) {
  return **(bases.begin() + r.pick(bases.size()));
}
inline void case_file_edit(std::string_view bytes) {
  Reader r(bytes);
  const std::string& base = pick_base(r, {&base_case(), &base_dota_dataset()});
  case_file(edit_h5_image(base, r));
}
inline void dataset_edit(std::string_view bytes) {
  Reader r(bytes);
  const std::string& base = pick_base(r, {&base_dataset(), &base_dota_dataset()});
  dataset(edit_h5_image(base, r));
}
inline void weights_edit(std::string_view bytes) {
  Reader r(bytes);
  weights(edit_h5_image(base_weights(), r));
}
inline void checkpoint_edit(std::string_view bytes) {
  Reader r(bytes);
  const std::string& base = pick_base(r, {&base_checkpoint(), &base_digits_checkpoint()});
  checkpoint(edit_h5_image(base, r));
}
inline void digits_model_edit(std::string_view bytes) {
  Reader r(bytes);
  digits_model(edit_h5_image(base_digits_model(), r));
}
inline void lm_model_edit(std::string_view bytes) {
  Reader r(bytes);
  const std::string& base = pick_base(r, {&base_lm_model(false), &base_lm_model(true)});
  lm_model(edit_h5_image(base, r));
}
inline void digits_strings_edit(std::string_view bytes) {
  Reader r(bytes);
  digits_strings(edit_h5_image(base_strings(), r));
}

// ---- JSON and PNG entries (the loaders read a path) ----

inline std::string scratch_file(const std::string& name, std::string_view bytes) {
  const std::string path = scratch_dir() + "/" + name;
  write_bytes(path, bytes);
  return path;
}

inline void model_config(std::string_view bytes) {
  const std::string path = scratch_file("config.json", bytes);
  try {
    const ModelConfig c = ModelConfig::from_json_file(path);
    c.validate();
    require(ModelConfig::from_json(c.to_json()).to_json() == c.to_json(), "config round-trips");
    return;  // a DoTA config; otherwise try the digits family's
  } catch (const Error&) {
  }
  // The digits family's config: same file, its own parser (from_name_or_file reads *.json).
  const digits::DigitsConfig d = digits::DigitsConfig::from_name_or_file(path);
  require(digits::DigitsConfig::from_json(d.to_json()).to_json() == d.to_json(),
          "digits config round-trips");
}

inline void bench_results(std::string_view bytes) {
  const std::string path = scratch_file("results.json", bytes);
  bench::load_results(path);
}

inline void auto_policy(std::string_view bytes) {
  const std::string path = scratch_file("policy.json", bytes);
  const bench::AutoPolicy p = bench::AutoPolicy::load(path);
  require(bench::AutoPolicy::from_json(p.to_json()).to_json() == p.to_json(), "policy round-trips");
  for (const char* w : {"stream", "full", "prefix"}) {
    for (int slices : {1, 2, 150}) {
      bench::PolicyRequest q;
      q.workload = w;
      q.slices = slices;
      q.depth = slices / 2;
      try {
        p.decide(q);
      } catch (const Error&) {
      }
    }
  }
  p.break_even_slices(1, 1);
}

inline void calibration(std::string_view bytes) {
  const std::string path = scratch_file("digits_policy.json", bytes);
  const digits::AutoCalibration c = digits::load_calibration(path);
  require(digits::AutoCalibration::from_json(c.to_json()).to_json() == c.to_json(),
          "calibration round-trips");
}

inline void png(std::string_view bytes) {
  const std::string path = scratch_file("input.png", bytes);
  const digits::DigitImage im = digits::load_png(path);
  require(im.pixels.size() == std::size_t(im.height) * std::size_t(im.width), "pixel count");
}

inline void tokenizer(std::string_view bytes) {
  const std::string path = scratch_file("tokenizer.model", bytes);
  const lm::Tokenizer t = lm::Tokenizer::load(path);
  require(t.vocab_size() > lm::kByteFallbackPieces, "vocabulary holds the byte pieces");
  const std::string probe = "The jury said \xC3\xA9t\xC3\xA9 1/2 .\n\n\tA \xF0\x9F\x98\x80\n";
  const std::vector<int> ids = t.encode(probe);
  for (int id : ids) require(id >= 0 && id < t.vocab_size(), "encoded ids in range");
  t.decode(ids);
  for (int id = 0; id < t.vocab_size() && id < 300; ++id) t.id_of(t.piece(id));
}

// ---- the table of targets: name, entry, seeds (valid files the project writes) ----

struct Target {
  const char* name;
  Entry entry;
  std::function<std::vector<std::string>()> seeds;
};

// Seeds of an edit target: a few fixed byte strings (each is a valid edit list).
inline std::vector<std::string> edit_seeds() {
  return {std::string("\x00\x01\x00\x04", 4), std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8),
          std::string("\x00\x03\x05\x06\x01\x02\x08\x09\x00\x07\x03", 11),
          std::string("\x01\x04\x02\x09\x01\x00\x04\x02\x00\x06\x01\x00", 12)};
}

inline const std::vector<Target>& targets() {
  static const std::vector<Target> t{
      {"case_file", case_file,
       [] {
         return std::vector{base_case(), base_dota_dataset()};
       }},
      {"case_file_edit", case_file_edit, edit_seeds},
      {"dataset", dataset,
       [] {
         return std::vector{base_dataset(), base_dota_dataset()};
       }},
      {"dataset_edit", dataset_edit, edit_seeds},
      {"weights", weights, [] { return std::vector{base_weights()}; }},
      {"weights_edit", weights_edit, edit_seeds},
      {"checkpoint", checkpoint,
       [] {
         return std::vector{base_checkpoint(), base_digits_checkpoint()};
       }},
      {"checkpoint_edit", checkpoint_edit, edit_seeds},
      {"digits_model", digits_model, [] { return std::vector{base_digits_model()}; }},
      {"digits_model_edit", digits_model_edit, edit_seeds},
      {"lm_model", lm_model,
       [] {
         return std::vector{base_lm_model(false), base_lm_model(true)};
       }},
      {"lm_model_edit", lm_model_edit, edit_seeds},
      {"digits_strings", digits_strings, [] { return std::vector{base_strings()}; }},
      {"digits_strings_edit", digits_strings_edit, edit_seeds},
      {"model_config", model_config,
       [] {
         return std::vector{base_model_config(), base_digits_config(),
                            ModelConfig::preset("compact").to_json().dump()};
       }},
      {"bench_results", bench_results, [] { return std::vector{base_bench_results()}; }},
      {"auto_policy", auto_policy, [] { return std::vector{base_auto_policy()}; }},
      {"calibration", calibration, [] { return std::vector{base_calibration()}; }},
      {"png", png, [] { return std::vector{base_png()}; }},
      {"tokenizer", tokenizer, [] { return std::vector{base_tokenizer()}; }},
  };
  return t;
}

inline const Target& target(const std::string& name) {
  for (const auto& t : targets())
    if (name == t.name) return t;
  throw std::invalid_argument("no fuzz target '" + name + "'");
}

// Process set-up shared by the fuzz targets and the unit test: HDF5 quiet, memory cap.
inline void initialize() {
  setenv("DOTAKV_MEMORY_LIMIT", "256M", 1);  // dotakv/limits.hpp: claims above it are refused
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  (void)scratch_dir();
}

}  // namespace dotakv::fuzz

// One libFuzzer target: tests/fuzz/fuzz_<name>.cpp is DOTAKV_FUZZ_TARGET(name).
#define DOTAKV_FUZZ_TARGET(name)                                                          \
  extern "C" int LLVMFuzzerInitialize(int*, char***) {                                    \
    dotakv::fuzz::initialize();                                                           \
    return 0;                                                                             \
  }                                                                                       \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {     \
    dotakv::fuzz::run_expecting_errors(                                                   \
        dotakv::fuzz::name, std::string_view(reinterpret_cast<const char*>(data), size)); \
    return 0;                                                                             \
  }
