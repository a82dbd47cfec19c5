// The lm family's model (issue #17): config (unknown keys, types, ranges, presets and their
// parameter counts), weights files (round trip, family checks both ways, NaN, shapes, absurd
// sizes refused before allocating), the new shared layers (RMSNorm, SwiGLU, grouped-query
// attention, embedding lookup) and the whole training graph against central finite differences
// in double, the inference session against the training forward, cached vs uncached decoding
// (identical greedy tokens, logits within 1e-5), no allocation per decoded token, bad input,
// text scoring (bits per byte against the training graph), training on a slice of the Brown
// Corpus (the loss falls; resume is bit-exact) and the `dotakv lm train|perplexity` commands.
// The corpus tests skip (QSKIP) when the corpus is not installed (scripts/setup.sh).
#include <H5Cpp.h>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <new>
#include <random>

#include "dotakv/digits/model.hpp"
#include "dotakv/error.hpp"
#include "dotakv/layers/attention.hpp"
#include "dotakv/layers/embedding.hpp"
#include "dotakv/layers/rmsnorm.hpp"
#include "dotakv/layers/swiglu.hpp"
#include "dotakv/lm/corpus.hpp"
#include "dotakv/lm/evaluate.hpp"
#include "dotakv/lm/graph.hpp"
#include "dotakv/lm/model.hpp"
#include "dotakv/lm/session.hpp"
#include "dotakv/lm/tokenizer.hpp"
#include "dotakv/lm/trainer.hpp"
#include "dotakv/model.hpp"
#include "test_expect.hpp"
#include "test_support.hpp"

// Allocation counter for the no-allocation-per-token test (this executable only); off under
// ThreadSanitizer, whose runtime owns operator new (as in test_digits_model.cpp).
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define DOTAKV_NO_NEW_REPLACEMENT 1
#endif
#endif
static std::atomic<long long> g_allocs{0};
#ifndef DOTAKV_NO_NEW_REPLACEMENT
void* operator new(std::size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
#endif

using namespace dotakv;
using namespace dotakv::lm;
using dotakv::test::expect_cli_error;
using dotakv::test::expect_error;
using dotakv::test::run_cli;
namespace ly = dotakv::layers;

namespace {

LmConfig tiny(bool tied = false) {
  LmConfig c = LmConfig::preset("lm-tiny");
  c.tie_embeddings = tied;
  return c;
}

std::shared_ptr<const LmModel> tiny_model(std::uint64_t seed = 3, bool tied = false) {
  return std::make_shared<const LmModel>(LmModel::random(tiny(tied), seed));
}

std::vector<int> random_tokens(int n, int vocab, std::uint64_t seed) {
  std::mt19937_64 r(seed);
  std::vector<int> t(static_cast<std::size_t>(n));
  for (int& x : t) x = int(r() % std::uint64_t(vocab));
  return t;
}

int argmax(const float* x, int n) {
  return int(std::max_element(x, x + n) - x);
}

void replace_config_attribute(const std::string& path, const std::string& json) {
  H5::H5File f(path, H5F_ACC_RDWR);
  H5::Group root = f.openGroup("/");
  root.removeAttr("config");
  H5::StrType t(H5::PredType::C_S1, json.size());
  root.createAttribute("config", t, H5::DataSpace(H5S_SCALAR)).write(t, json);
}

// Central finite differences of a scalar function of x (double) at a few indices vs grad.
void check_gradient(const char* what, std::vector<double>& x, const std::vector<double>& grad,
                    const std::function<double()>& f, double tol = 1e-6) {
  const std::size_t n = x.size();
  for (std::size_t e : {std::size_t(0), n / 3, n / 2, (2 * n) / 3, n - 1}) {
    const double h = 1e-6, x0 = x[e];
    x[e] = x0 + h;
    const double lp = f();
    x[e] = x0 - h;
    const double lm = f();
    x[e] = x0;
    const double fd = (lp - lm) / (2 * h), an = grad[e];
    const double err = std::abs(fd - an) / std::max(1e-6, std::abs(fd) + std::abs(an));
    if (err > tol)
      QFAIL(qPrintable(
          QString("%1[%2]: analytic %3 vs finite difference %4").arg(what).arg(e).arg(an).arg(fd)));
  }
}

std::vector<double> uniform(std::size_t n, std::uint64_t seed, double a = 1.0) {
  std::mt19937_64 r(seed);
  std::uniform_real_distribution<double> u(-a, a);
  std::vector<double> v(n);
  for (auto& x : v) x = u(r);
  return v;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

}  // namespace

class TestLmModel : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  bool have_corpus_ = false;
  Corpus corpus_;
  std::string tokenizer_;  // a 512-piece tokenizer trained on 24 train documents
#define REQUIRE_CORPUS()                                                                           \
  if (!have_corpus_)                                                                               \
  QSKIP(qPrintable(QString::fromStdString("Brown Corpus not installed at " + default_brown_dir() + \
                                          "; run scripts/setup.sh")))
  std::string tmp(const std::string& name) {
    return tmp_.filePath(QString::fromStdString(name)).toStdString();
  }

 private slots:
  void initTestCase() {
    H5::Exception::dontPrint();
    QVERIFY(tmp_.isValid());
    std::error_code ec;
    have_corpus_ = std::filesystem::is_regular_file(default_brown_dir() + "/cats.txt", ec);
    if (have_corpus_) {
      corpus_ = load_brown();
      auto docs = corpus_.split(Split::train);
      docs.resize(24);
      tokenizer_ = tmp("tok512.model");
      Tokenizer::train(docs, {512}).save(tokenizer_);
    }
  }

  // ---- 1. config ----

  void configRejectsUnknownKeysAndBadValues() {
    for (const char* p : {"lm-small", "lm-tiny"}) {
      const auto j = LmConfig::preset(p).to_json();
      QCOMPARE(LmConfig::from_json(j).to_json(), j);
    }
    const auto j = LmConfig::preset("lm-small").to_json();
    auto bad = j;
    auto refuse = [&](const char* key, nlohmann::json value, std::vector<std::string> needles) {
      auto b = j;
      b[key] = std::move(value);
      expect_error<ConfigError>([&] { LmConfig::from_json(b); }, needles);
    };
    refuse("colour", 1, {"unknown key 'colour'"});
    refuse("heads", 3, {"heads", "does not divide"});
    refuse("kv_heads", 3, {"kv_heads"});
    refuse("kv_heads", 16, {"kv_heads", "1..8"});
    refuse("d_model", "256", {"d_model", "expected an integer"});
    refuse("heads", 4294967304ull, {"heads", "expected an integer"});  // 2^32 + 8: not an int
    refuse("heads", 1000000, {"heads", "1..256"});                     // 10^6 heads
    refuse("max_context", 1000000000, {"max_context", "1..131072"});   // context 10^9
    refuse("vocab", 1, {"vocab"});
    refuse("layers", 0, {"layers"});
    refuse("ffn", -5, {"ffn"});
    refuse("family", "digits", {"family"});
    refuse("tie_embeddings", 1, {"tie_embeddings"});
    refuse("rope_theta", "x", {"rope_theta"});
    refuse("rope_theta", 0.5, {"rope_theta"});
    refuse("norm_eps", 0, {"norm_eps"});
    refuse("layers", 2.5, {"layers"});
    expect_error<ConfigError>([] { LmConfig::from_json(nlohmann::json::array()); },
                              {"JSON object"});
    expect_error<ConfigError>([] { LmConfig::preset("lm-huge"); }, {"unknown preset"});
    // a config file: unknown key named with the file
    const std::string f = tmp("cfg.json");
    {
      auto b = j;
      b["wings"] = 2;
      std::ofstream(f) << b.dump();
    }
    expect_error<ConfigError>([&] { LmConfig::from_name_or_file(f); }, {"cfg.json", "wings"});
    // parameter counts (docs/lm.md)
    QCOMPARE(LmConfig::preset("lm-small").parameter_count(), std::uint64_t(5278976));
    QCOMPARE(LmConfig::preset("lm-tiny").parameter_count(), std::uint64_t(51360));
    QCOMPARE(std::uint64_t(LmModel::random(tiny(true), 1).parameter_count()),
             tiny(true).parameter_count());
  }

  // ---- 2. weights files ----

  void weightsRoundTripAndFamilyChecks() {
    for (bool tied : {false, true}) {
      auto m = tiny_model(3, tied);
      const std::string p = tmp(tied ? "tied.h5" : "tiny.h5");
      m->save(p);
      const LmModel back = LmModel::load(p);
      QCOMPARE(back.config().to_json(), m->config().to_json());
      QCOMPARE(back.tensors().size(), m->tensors().size());
      for (std::size_t i = 0; i < back.tensors().size(); ++i)
        QVERIFY(back.tensors()[i].data == m->tensors()[i].data);
      QCOMPARE(back.description(), std::string("random seed=3"));
    }
    const std::string lmf = tmp("tiny.h5");
    // an lm file given to DoTA and to digits, and their files given to lm
    expect_error<FormatError>([&] { Model::load(lmf); }, {"family", "found 'lm'"});
    expect_error<FormatError>([&] { digits::DigitsModel::load(lmf); }, {"family", "found 'lm'"});
    const std::string dig = tmp("digits.h5");
    digits::DigitsModel::random(digits::DigitsConfig::preset("digits-tiny"), 1).save(dig);
    expect_error<FormatError>([&] { LmModel::load(dig); },
                              {"digits.h5", "expected 'lm', found 'digits'"});
    const std::string dota = tmp("dota.h5");
    Model::random(ModelConfig::preset("compact"), 1).save(dota);
    expect_error<FormatError>([&] { LmModel::load(dota); }, {"expected 'lm', found 'dota'"});
    const std::string shipped = test::source_path("resources/models/dotakv-compact.h5");
    expect_error<FormatError>([&] { LmModel::load(shipped); }, {"found 'none"});
    expect_error<IoError>([&] { LmModel::load(tmp("missing.h5")); }, {"missing.h5"});
    {
      std::ofstream f(tmp("text.h5"));
      f << "not hdf5";
    }
    expect_error<IoError>([&] { LmModel::load(tmp("text.h5")); }, {"not an HDF5"});
    // NaN in a file and in memory
    const std::string nan = tmp("nan.h5");
    std::filesystem::copy_file(lmf, nan, std::filesystem::copy_options::overwrite_existing);
    {
      H5::H5File f(nan, H5F_ACC_RDWR);
      H5::DataSet ds = f.openDataSet("block_1/mlp_norm/gamma");
      std::vector<float> v(32, 1.f);
      v[7] = std::numeric_limits<float>::quiet_NaN();
      ds.write(v.data(), H5::PredType::NATIVE_FLOAT);
    }
    expect_error<ValueError>([&] { LmModel::load(nan); }, {"block_1/mlp_norm/gamma", "NaN"});
    auto m = tiny_model();
    std::vector<Tensor> ts = m->tensors();
    ts[3].data[1] = std::numeric_limits<float>::infinity();
    expect_error<ValueError>([&] { LmModel(m->config(), ts); }, {"block_0/attention/key/kernel"});
    // wrong shapes: in memory and in a file (a tied file read with an untied config)
    ts = m->tensors();
    ts[2].shape = {32, 33};
    expect_error<ShapeError>([&] { LmModel(m->config(), ts); },
                             {"block_0/attention/query/kernel", "[32,32]", "[32,33]"});
    ts.pop_back();
    expect_error<ShapeError>([&] { LmModel(m->config(), ts); }, {"tensors"});
    const std::string shape = tmp("shape.h5");
    std::filesystem::copy_file(lmf, shape, std::filesystem::copy_options::overwrite_existing);
    {
      auto c = tiny().to_json();
      c["ffn"] = 96;
      replace_config_attribute(shape, c.dump());
    }
    expect_error<ShapeError>([&] { LmModel::load(shape); }, {"mlp/gate/kernel", "[32,96]"});
    const std::string noout = tmp("noout.h5");
    std::filesystem::copy_file(lmf, noout, std::filesystem::copy_options::overwrite_existing);
    {
      H5::H5File f(noout, H5F_ACC_RDWR);
      f.unlink("output/kernel");
    }
    expect_error<FormatError>([&] { LmModel::load(noout); }, {"output/kernel", "[32,512]"});
    // bad config attribute; absurd sizes refused before any tensor is read
    const std::string cfg = tmp("cfg.h5");
    std::filesystem::copy_file(lmf, cfg, std::filesystem::copy_options::overwrite_existing);
    replace_config_attribute(cfg, R"({"family": "lm", "wings": 2})");
    expect_error<ConfigError>([&] { LmModel::load(cfg); }, {"cfg.h5", "wings"});
    replace_config_attribute(cfg, R"({"family": "lm", "heads": 1000000})");
    expect_error<ConfigError>([&] { LmModel::load(cfg); }, {"heads"});
    replace_config_attribute(
        cfg, R"({"family": "lm", "d_model": 8192, "layers": 256, "heads": 256, "ffn": 65536})");
    expect_error<ResourceError>([&] { LmModel::load(cfg); }, {"cfg.h5", "memory cap"});
    LmConfig huge = tiny();
    huge.d_model = 8192;
    huge.layers = 256;
    huge.heads = 256;
    huge.ffn = 65536;
    expect_error<ResourceError>([&] { LmModel::random(huge, 1); }, {"memory cap"});
    // a failed save leaves nothing
    QVERIFY_THROWS_EXCEPTION(Error, m->save(tmp("nodir/w.h5")));
    QVERIFY(!std::filesystem::exists(tmp("nodir/w.h5")));
  }

  // ---- 4. the new layers against finite differences (double) ----

  void rmsNormGradients() {
    const int rows = 3, d = 7;
    std::vector<double> x = uniform(rows * d, 1), gamma = uniform(d, 2), w = uniform(rows * d, 3);
    for (auto& g : gamma) g += 1.0;
    std::vector<double> y(x.size()), rstd(rows), dx(x.size()), dg(d, 0.0);
    auto loss = [&] {
      ly::rms_norm_forward<double>(x.data(), rows, d, gamma.data(), 1e-5, y.data(), rstd.data());
      return dot(y, w);
    };
    loss();
    ly::rms_norm_backward<double>(x.data(), rows, d, gamma.data(), rstd.data(), w.data(), dx.data(),
                                  dg.data());
    check_gradient("rmsnorm x", x, dx, loss);
    check_gradient("rmsnorm gamma", gamma, dg, loss);
    // the inference form equals the training forward (float) bit for bit
    std::vector<float> xf(x.begin(), x.end()), gf(gamma.begin(), gamma.end()), a(xf.size()),
        b(xf.size()), rf(rows);
    ly::rms_norm(xf.data(), rows, d, gf.data(), 1e-5f, a.data());
    ly::rms_norm_forward<float>(xf.data(), rows, d, gf.data(), 1e-5f, b.data(), rf.data());
    QVERIFY(a == b);
    // value: y = x / rms * gamma
    double ss = 0;
    for (int i = 0; i < d; ++i) ss += x[std::size_t(i)] * x[std::size_t(i)];
    QVERIFY(std::abs(y[2] - x[2] / std::sqrt(ss / d + 1e-5) * gamma[2]) < 1e-12);
  }

  void swigluGradients() {
    const std::size_t n = 11;
    std::vector<double> g = uniform(n, 4, 3.0), u = uniform(n, 5, 2.0), w = uniform(n, 6);
    std::vector<double> out(n), dg(n), du(n);
    auto loss = [&] {
      ly::swiglu_forward<double>(g.data(), u.data(), n, out.data());
      return dot(out, w);
    };
    loss();
    ly::swiglu_backward<double>(g.data(), u.data(), w.data(), n, dg.data(), du.data());
    check_gradient("swiglu gate", g, dg, loss);
    check_gradient("swiglu up", u, du, loss);
    QVERIFY(std::abs(out[1] - g[1] / (1 + std::exp(-g[1])) * u[1]) < 1e-14);
  }

  void groupedQueryAttentionGradients() {
    const int t = 5, nh = 4, nkv = 2, kd = 6;
    std::vector<double> q = uniform(std::size_t(t) * nh * kd, 7),
                        k = uniform(std::size_t(t) * nkv * kd, 8),
                        v = uniform(std::size_t(t) * nkv * kd, 9),
                        w = uniform(std::size_t(t) * nh * kd, 10);
    std::vector<double> probs(std::size_t(nh) * t * t), out(q.size()), dq(q.size()), dk(k.size()),
        dv(v.size());
    auto loss = [&] {
      ly::gqa_forward<double>(q.data(), t, k.data(), v.data(), t, nh, nkv, kd, true, probs.data(),
                              out.data());
      return dot(out, w);
    };
    loss();
    ly::gqa_backward<double>(q.data(), t, k.data(), v.data(), t, probs.data(), w.data(), nh, nkv,
                             kd, true, dq.data(), dk.data(), dv.data());
    check_gradient("gqa q", q, dq, loss);
    check_gradient("gqa k", k, dk, loss);
    check_gradient("gqa v", v, dv, loss);
    // GQA == MHA on K/V heads repeated per group
    std::vector<double> kr(q.size()), vr(q.size()), out2(q.size()), p2(probs.size());
    for (int i = 0; i < t; ++i)
      for (int h = 0; h < nh; ++h)
        for (int d = 0; d < kd; ++d) {
          const std::size_t dst = (std::size_t(i) * nh + h) * kd + d,
                            src = (std::size_t(i) * nkv + h / (nh / nkv)) * kd + d;
          kr[dst] = k[src];
          vr[dst] = v[src];
        }
    loss();
    ly::mha_forward<double>(q.data(), kr.data(), vr.data(), t, nh, kd, true, p2.data(),
                            out2.data());
    for (std::size_t i = 0; i < out.size(); ++i) QVERIFY(std::abs(out[i] - out2[i]) < 1e-14);
    expect_error<ValueError>(
        [&] {
          ly::gqa_forward<double>(q.data(), t, k.data(), v.data(), t, nh, 3, kd, true, probs.data(),
                                  out.data());
        },
        {"do not divide"});
  }

  void groupedQueryAttentionThroughTheCache() {
    // attention_rows with G = 2 query heads per cached K/V head == the training gqa_forward
    const int t = 6, nh = 4, nkv = 2, kd = 8;
    std::vector<double> qd = uniform(std::size_t(t) * nh * kd, 11),
                        kdv = uniform(std::size_t(t) * nkv * kd, 12),
                        vd = uniform(std::size_t(t) * nkv * kd, 13);
    std::vector<float> q(qd.begin(), qd.end()), k(kdv.begin(), kdv.end()), v(vd.begin(), vd.end());
    std::vector<float> probs(std::size_t(nh) * t * t), ref(q.size()), out(q.size());
    ly::gqa_forward<float>(q.data(), t, k.data(), v.data(), t, nh, nkv, kd, true, probs.data(),
                           ref.data());
    for (KvPrecision p : {KvPrecision::fp32, KvPrecision::fp16}) {
      KVCache c;
      c.reserve(1, 1, nkv, 16, kd, p);
      for (int i = 0; i < t; ++i) {  // token by token, as decoding does
        c.append(0, 0, 1, k.data() + std::size_t(i) * nkv * kd,
                 v.data() + std::size_t(i) * nkv * kd, nkv * kd);
        ly::attention_rows(q.data() + std::size_t(i) * nh * kd, nh * kd, 1, 1, i, c, 0, true,
                           out.data() + std::size_t(i) * nh * kd, nh * kd, nullptr, nh / nkv);
      }
      double md = 0;
      for (std::size_t i = 0; i < out.size(); ++i)
        md = std::max(md, double(std::abs(out[i] - ref[i])));
      QVERIFY2(md < (p == KvPrecision::fp32 ? 1e-5 : 5e-3), qPrintable(QString::number(md)));
    }
  }

  void embeddingLookupGradients() {
    const int vocab = 5, d = 3;
    std::vector<double> table = uniform(std::size_t(vocab) * d, 14);
    const std::vector<int> ids{4, 1, 4, 0};
    std::vector<double> w = uniform(ids.size() * d, 15), out(ids.size() * d),
                        grad(table.size(), 0.0);
    auto loss = [&] {
      ly::embedding_lookup_forward<double>(table.data(), vocab, d, ids.data(), int(ids.size()),
                                           out.data());
      return dot(out, w);
    };
    loss();
    ly::embedding_lookup_backward<double>(w.data(), ids.data(), int(ids.size()), d, grad.data());
    check_gradient("embedding", table, grad, loss);
    QCOMPARE(grad[2 * 3], 0.0);  // ids 2 and 3 are absent
    QCOMPARE(grad[3 * 3], 0.0);
    QCOMPARE(grad[4 * 3 + 1], w[1] + w[2 * 3 + 1]);  // id 4 twice: its gradients add up
    const std::vector<int> bad{1, 5};
    expect_error<ValueError>(
        [&] {
          ly::embedding_lookup_forward<double>(table.data(), vocab, d, bad.data(), 2, out.data());
        },
        {"token id 5 at position 1", "0..4"});
  }

  // ---- 4. the whole graph against finite differences (double), every tensor ----

  void graphGradientsMatchFiniteDifferences_data() {
    QTest::addColumn<bool>("tied");
    QTest::newRow("untied") << false;
    QTest::newRow("tied") << true;
  }
  void graphGradientsMatchFiniteDifferences() {
    QFETCH(bool, tied);
    LmConfig cfg = tiny(tied);
    cfg.vocab = 40;  // small head: the check is about the wiring, not the width
    const LmModel fm = LmModel::random(cfg, 11);
    std::vector<std::vector<double>> pv;
    for (const auto& t : fm.tensors()) pv.emplace_back(t.data.begin(), t.data.end());
    // generic values: norm gains away from 1, kernels 5x the init's 0.02 (attention not uniform)
    std::mt19937_64 r(5);
    std::uniform_real_distribution<double> u(-0.2, 0.2);
    for (auto& v : pv)
      for (auto& x : v) x = x == 1.0 ? 1.0 + u(r) : 5 * x + 0.1 * u(r);
    const std::vector<int> in{1, 7, 3, 39, 7, 12, 0}, target{7, 3, 39, 7, 12, 0, 5};
    const int t = int(in.size());
    LmGraph<double> g(cfg);
    auto ws = g.make_workspace();
    auto ptrs = [&] {
      std::vector<const double*> p;
      for (auto& v : pv) p.push_back(v.data());
      return p;
    };
    std::vector<std::vector<double>> gv;
    for (auto& v : pv) gv.emplace_back(v.size(), 0.0);
    std::vector<double*> gp;
    for (auto& v : gv) gp.push_back(v.data());
    const double l0 = sequence_loss<double>(g, ptrs(), in.data(), target.data(), t, *ws, &gp, 1.0);
    QVERIFY(std::isfinite(l0) && l0 > 0);
    const auto specs = tensor_layout(cfg);
    QCOMPARE(specs.size(), pv.size());
    int checked = 0;
    for (std::size_t k = 0; k < pv.size(); ++k) {
      check_gradient(
          specs[k].name.c_str(), pv[k], gv[k],
          [&] {
            return sequence_loss<double>(g, ptrs(), in.data(), target.data(), t, *ws, nullptr, 1.0);
          },
          1e-5);
      ++checked;
    }
    QCOMPARE(checked, int(specs.size()));
  }

  // ---- 3. inference session ----

  void sessionMatchesTheTrainingForward_data() {
    QTest::addColumn<bool>("tied");
    QTest::newRow("untied") << false;
    QTest::newRow("tied") << true;
  }
  void sessionMatchesTheTrainingForward() {
    QFETCH(bool, tied);
    auto m = tiny_model(4, tied);
    const int V = m->config().vocab, t = 23;
    const std::vector<int> tok = random_tokens(t, V, 1);
    LmGraph<float> g(m->config());
    auto ws = g.make_workspace();
    std::vector<const float*> p;
    for (std::size_t i = 0; i < m->tensors().size(); ++i) p.push_back(m->data(int(i)));
    g.forward(p, tok.data(), t, *ws);
    const float* ref = LmGraph<float>::logits(*ws);
    // prefill of the whole sequence, all logits
    LmSession s(m);
    std::vector<float> all(std::size_t(t) * V);
    s.prefill(tok, all.data());
    double md = 0;
    for (std::size_t i = 0; i < all.size(); ++i)
      md = std::max(md, double(std::abs(all[i] - ref[i])));
    QVERIFY2(md < 1e-5, qPrintable(QString("prefill vs graph: %1").arg(md)));
    // prefill of a prefix, then token by token, then a chunk
    s.prefill(std::vector<int>(tok.begin(), tok.begin() + 5));
    md = 0;
    for (int i = 5; i < 15; ++i) {
      const float* lg = s.decode(tok[std::size_t(i)]);
      for (int v = 0; v < V; ++v)
        md = std::max(md, double(std::abs(lg[v] - ref[std::size_t(i) * V + v])));
    }
    std::vector<float> chunk(std::size_t(t - 15) * V);
    s.append(tok.data() + 15, t - 15, chunk.data());
    for (std::size_t i = 0; i < chunk.size(); ++i)
      md = std::max(md, double(std::abs(chunk[i] - ref[15 * std::size_t(V) + i])));
    QVERIFY2(md < 1e-5, qPrintable(QString("decode vs graph: %1").arg(md)));
    QCOMPARE(s.length(), t);
    QCOMPARE(s.cache().length(0), t);
    QCOMPARE(s.cache().heads(), m->config().kv_heads);  // GQA: the cache holds the K/V heads only
  }

  void cachedAndUncachedDecodingAgree_data() {
    QTest::addColumn<bool>("tied");
    QTest::addColumn<int>("prompt");
    for (bool tied : {false, true})
      for (int n : {1, 9})
        QTest::newRow(qPrintable(QString("%1 prompt %2").arg(tied ? "tied" : "untied").arg(n)))
            << tied << n;
  }
  void cachedAndUncachedDecodingAgree() {
    QFETCH(bool, tied);
    QFETCH(int, prompt);
    auto m = tiny_model(6, tied);
    const int V = m->config().vocab, steps = 40;
    const std::vector<int> pr = random_tokens(prompt, V, 2);
    std::vector<std::vector<int>> toks(2);
    std::vector<std::vector<std::vector<float>>> logits(2);
    for (int mode = 0; mode < 2; ++mode) {
      LmSession s(m);
      s.set_cache(mode == 0);
      const float* lg = s.prefill(pr);
      for (int i = 0; i < steps; ++i) {
        logits[std::size_t(mode)].emplace_back(lg, lg + V);
        const int next = argmax(lg, V);
        toks[std::size_t(mode)].push_back(next);
        lg = s.decode(next);
      }
      QCOMPARE(s.length(), prompt + steps);
      if (mode == 0)
        QCOMPARE(std::int64_t(s.cache().rows_written()),
                 std::int64_t(prompt + steps) * m->config().layers);
    }
    QCOMPARE(toks[0], toks[1]);
    double md = 0;
    for (int i = 0; i < steps; ++i)
      for (int v = 0; v < V; ++v)
        md = std::max(md, double(std::abs(logits[0][std::size_t(i)][std::size_t(v)] -
                                          logits[1][std::size_t(i)][std::size_t(v)])));
    QVERIFY2(md < 1e-5, qPrintable(QString("cached vs uncached logits: %1").arg(md)));
  }

  void decodingAllocatesNothingPerToken() {
#ifdef DOTAKV_NO_NEW_REPLACEMENT
    QSKIP("ThreadSanitizer build: its runtime owns operator new, so allocations are not counted");
#endif
    for (bool tied : {false, true})
      for (KvPrecision p : {KvPrecision::fp32, KvPrecision::int8}) {
        auto m = tiny_model(8, tied);
        LmSession s(m, p);
        const int V = m->config().vocab;
        const float* lg = s.prefill(random_tokens(4, V, 3));
        for (int i = 0; i < 3; ++i) lg = s.decode(argmax(lg, V));  // warm-up
        const long long before = g_allocs.load();
        for (int i = 0; i < 50; ++i) lg = s.decode(argmax(lg, V));
        const long long n = g_allocs.load() - before;
        QVERIFY2(n == 0, qPrintable(QString("%1 allocations in 50 decoding steps").arg(n)));
      }
  }

  // ---- 6. bad input ----

  void badInputIsRefused() {
    auto m = tiny_model();
    const int V = m->config().vocab, C = m->config().max_context;
    LmSession s(m);
    expect_error<ValueError>([&] { s.prefill({}); }, {"empty"});
    expect_error<ValueError>(
        [&] {
          s.prefill({1, 2, V});
        },
        {"token id 512 at position 2", "vocabulary 0..511"});
    expect_error<ValueError>([&] { s.prefill({-1}); }, {"token id -1"});
    expect_error<ValueError>([&] { s.prefill(random_tokens(C + 1, V, 1)); },
                             {"prompt of 65 tokens exceeds the model's context of 64"});
    // a failed prefill keeps the sequence
    s.prefill({5, 6, 7});
    expect_error<ValueError>([&] { s.prefill(random_tokens(C + 1, V, 1)); }, {"exceeds"});
    QCOMPARE(s.length(), 3);
    expect_error<ValueError>([&] { s.decode(V + 7); }, {"token id 519 at position 3"});
    QCOMPARE(s.length(), 3);
    s.prefill(random_tokens(C, V, 4));
    expect_error<ValueError>([&] { s.decode(1); }, {"context full", "64"});
    QCOMPARE(s.length(), C);
    // the training graph
    LmGraph<float> g(m->config());
    auto ws = g.make_workspace();
    std::vector<const float*> p;
    for (std::size_t i = 0; i < m->tensors().size(); ++i) p.push_back(m->data(int(i)));
    const std::vector<int> bad{3, 900};
    expect_error<ValueError>([&] { g.forward(p, bad.data(), 2, *ws); }, {"token id 900"});
    const auto longer = random_tokens(C + 1, V, 5);
    expect_error<ShapeError>([&] { g.forward(p, longer.data(), C + 1, *ws); }, {"65 tokens"});
    const std::vector<int> in{1, 2}, tgt{2, 600};
    expect_error<ValueError>(
        [&] { sequence_loss<float>(g, p, in.data(), tgt.data(), 2, *ws, nullptr, 1.f); }, {"600"});
  }

  // ---- 5. scoring text, training, the CLI ----

  void scoreTokensMatchesTheGraph() {
    auto m = tiny_model(12, true);
    const int V = m->config().vocab, bos = 1, C = 16;
    const std::vector<int> ids = random_tokens(50, V, 7);  // windows of 16, 16, 16, 2
    const TextScore s = score_tokens(m, ids, 173, bos, C);
    QCOMPARE(s.tokens, 50LL);
    QCOMPARE(s.windows, 4);
    LmGraph<double> g(m->config());
    auto ws = g.make_workspace();
    std::vector<std::vector<double>> pv;
    for (const auto& t : m->tensors()) pv.emplace_back(t.data.begin(), t.data.end());
    std::vector<const double*> p;
    for (auto& v : pv) p.push_back(v.data());
    double ref = 0;
    for (int b = 0; b < 50; b += C) {
      const int n = std::min(C, 50 - b);
      std::vector<int> in{bos}, tgt;
      for (int i = 0; i < n; ++i) {
        if (i + 1 < n) in.push_back(ids[std::size_t(b + i)]);
        tgt.push_back(ids[std::size_t(b + i)]);
      }
      ref += sequence_loss<double>(g, p, in.data(), tgt.data(), n, *ws, nullptr, 1.0);
    }
    QVERIFY2(std::abs(s.nll_nats - ref) < 1e-4 * ref,
             qPrintable(QString("%1 vs %2").arg(s.nll_nats).arg(ref)));
    QVERIFY(std::abs(s.bits_per_byte() - ref / std::log(2.0) / 173) < 1e-6);
    QVERIFY(std::abs(s.token_perplexity() - std::exp(ref / 50)) < 1e-3 * s.token_perplexity());
    // a random model is close to uniform: about ln V nats per token
    QVERIFY(std::abs(s.nats_per_token() - std::log(double(V))) < 0.5);
    expect_error<ValueError>([&] { score_tokens(m, {}, 1, bos); }, {"no tokens"});
    expect_error<ValueError>([&] { score_tokens(m, {1, V}, 9, bos); }, {"token id 512"});
    expect_error<ValueError>([&] { score_tokens(m, ids, 9, bos, 65); }, {"context 65"});
  }

  void trainingLowersTheLossAndResumesBitExactly() {
    REQUIRE_CORPUS();
    LmTrainOptions o;
    o.config = tiny();
    o.tokenizer = tokenizer_;
    o.epochs = 2;
    o.context = 32;
    o.batch = 8;
    o.train_documents = 4;
    o.val_documents = 2;
    o.schedule.base_lr = 3e-3;
    o.schedule.warmup_steps = 5;
    o.threads = 2;
    o.out_dir = tmp("run_a");
    const auto t0 = std::chrono::steady_clock::now();
    const LmTrainResult a = train_lm(o);
    const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    QCOMPARE(int(a.history.size()), 2);
    qInfo(
        "lm-tiny on 4 train documents (%lld tokens): train loss %.3f -> %.3f, val %.3f -> %.3f "
        "nats/token (%.3f bits/byte), %.1f s",
        a.train_tokens, a.history[0].train_loss, a.history[1].train_loss, a.history[0].val_loss,
        a.history[1].val_loss, a.history[1].val_bits_per_byte, sec);
    const double uniform = std::log(512.0);
    QVERIFY(a.history[1].train_loss < a.history[0].train_loss);
    QVERIFY(a.history[0].train_loss < uniform - 0.5);
    QVERIFY(a.history[1].val_loss < uniform - 1.0);
    QVERIFY(a.history[1].val_loss < a.history[0].val_loss);
    QCOMPARE(a.best_epoch, 2);
    for (const char* f : {"last.h5", "best.h5", "model.h5", "tokenizer.model", "history.csv"})
      QVERIFY2(std::filesystem::exists(o.out_dir + "/" + f), f);
    // the model it wrote scores the val text as the trainer said (the inference session)
    const auto m = LmModel::load_shared(o.out_dir + "/model.h5");
    const Tokenizer tok = Tokenizer::load(o.out_dir + "/tokenizer.model");
    auto val = corpus_.split(Split::val);
    val.resize(2);
    const std::string text = join_text(val);
    const TextScore vs =
        score_tokens(m, tok.encode(text), (long long)text.size(), tok.bos_id(), 32);
    QCOMPARE(vs.nats_per_token(), a.history[1].val_loss);
    // the same run interrupted during epoch 2, then resumed: bit-identical weights
    auto o1 = o;
    o1.out_dir = tmp("run_b");
    Progress* sp = nullptr;
    Progress cb([&](double, double, const std::string& msg) {
      if (msg == "epoch 2") sp->cancel();
    });
    sp = &cb;
    QVERIFY_THROWS_EXCEPTION(Cancelled, train_lm(o1, &cb));
    QCOMPARE(int(LmModel::load(o1.out_dir + "/last.h5").config().vocab), 512);
    o1.resume = true;
    const LmTrainResult b = train_lm(o1);
    QCOMPARE(int(b.history.size()), 2);
    const LmModel wa = LmModel::load(o.out_dir + "/last.h5");
    const LmModel wb = LmModel::load(o1.out_dir + "/last.h5");
    for (std::size_t i = 0; i < wa.tensors().size(); ++i)
      QVERIFY2(wa.tensors()[i].data == wb.tensors()[i].data,
               tensor_layout(wa.config())[i].name.c_str());
    QCOMPARE(b.history[1].train_loss, a.history[1].train_loss);
    QCOMPARE(b.history[1].val_loss, a.history[1].val_loss);
    // resume with another batch, a tokenizer of another vocabulary
    auto o2 = o1;
    o2.batch = 4;
    expect_error<ConfigError>([&] { train_lm(o2); }, {"cannot resume"});
    auto o3 = o;
    o3.out_dir = tmp("run_c");
    o3.config.vocab = 600;
    expect_error<ConfigError>([&] { train_lm(o3); }, {"512 pieces", "vocabulary is 600"});
    QVERIFY(!std::filesystem::exists(o3.out_dir + "/last.h5"));
  }

  void cliTrainAndPerplexity() {
    REQUIRE_CORPUS();
    const QString out = QString::fromStdString(tmp("cli_run"));
    const QString tok = QString::fromStdString(tokenizer_);
    auto r = run_cli({"lm",        "train",   "--out",        out, "--tokenizer", tok,
                      "--config",  "lm-tiny", "--epochs",     "1", "--context",   "32",
                      "--batch",   "8",       "--train-docs", "2", "--val-docs",  "1",
                      "--threads", "1",       "--warmup",     "5", "--json"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const auto j = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(int(j["history"].size()), 1);
    const QString model = out + "/model.h5";
    r = run_cli({"lm", "perplexity", "--model", model, "--tokenizer", tok, "--split", "val",
                 "--context", "32", "--json"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const auto p = nlohmann::json::parse(r.out.toStdString());
    QVERIFY(p["bits_per_byte"].get<double>() > 0.5 && p["bits_per_byte"].get<double>() < 8);
    QCOMPARE(p["bytes"].get<long long>(), 641820LL);  // the 52 val documents joined
    const std::string txt = tmp("text.txt");
    test::write_bytes(txt, "The jury said it was a good election .\n");
    r = run_cli({"lm", "perplexity", "--model", model, "--tokenizer", tok, "--text",
                 QString::fromStdString(txt)});
    QVERIFY2(r.exit_code == 0 && r.out.contains("bits/byte"), qPrintable(r.err + r.out));
    // bad input: one line, exit 1 (2 for usage)
    const std::string bad = tmp("latin1.txt");
    test::write_bytes(bad, "caf\xE9\n");
    expect_cli_error(run_cli({"lm", "perplexity", "--model", model, "--tokenizer", tok, "--text",
                              QString::fromStdString(bad)}),
                     1, "not UTF-8");
    const std::string empty = tmp("empty.txt");
    test::write_bytes(empty, "");
    expect_cli_error(run_cli({"lm", "perplexity", "--model", model, "--tokenizer", tok, "--text",
                              QString::fromStdString(empty)}),
                     1, "empty text");
    const std::string dig = tmp("digits_cli.h5");
    digits::DigitsModel::random(digits::DigitsConfig::preset("digits-tiny"), 1).save(dig);
    expect_cli_error(run_cli({"lm", "perplexity", "--model", QString::fromStdString(dig),
                              "--tokenizer", tok, "--split", "val"}),
                     1, "expected 'lm', found 'digits'");
    const std::string big = tmp("tok600.model");
    {
      auto docs = corpus_.split(Split::train);
      docs.resize(24);
      Tokenizer::train(docs, {600}).save(big);
    }
    expect_cli_error(run_cli({"lm", "perplexity", "--model", model, "--tokenizer",
                              QString::fromStdString(big), "--split", "val"}),
                     1, "tokenizer of 600 pieces, the model's vocabulary is 512");
    expect_cli_error(run_cli({"lm", "perplexity", "--model", model, "--tokenizer", tok}), 2,
                     "exactly one of");
    expect_cli_error(
        run_cli({"lm", "train", "--out", out + "2", "--tokenizer", tok, "--config", "lm-huge"}), 1,
        "unknown preset");
    QVERIFY(!std::filesystem::exists((out + "2/last.h5").toStdString()));
  }
};

QTEST_GUILESS_MAIN(TestLmModel)
#include "test_lm_model.moc"
