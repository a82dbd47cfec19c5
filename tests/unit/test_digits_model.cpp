// The digits family: config and weights files (family checks, bad input), the training graph
// against central finite differences in double, the inference session against the training
// forward, the four cache modes (identical tokens, logits within 1e-5, over lengths, batch sizes
// and beam widths), cache accounting (cross K/V once per image, self rows never recomputed),
// no allocation per decoding step, and training (loss falls, resume is bit-exact).
#include <QtTest>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <random>

#include "dotakv/digits/data.hpp"
#include "dotakv/digits/graph.hpp"
#include "dotakv/digits/model.hpp"
#include "dotakv/digits/session.hpp"
#include "dotakv/digits/trainer.hpp"
#include "dotakv/error.hpp"
#include "dotakv/model.hpp"
#include "test_support.hpp"

// Allocation counter for the no-allocation-per-token test (this executable only). The
// ThreadSanitizer runtime defines operator new/delete itself (strong symbols in
// libclang_rt.tsan_cxx), so there the counter stays off and that one test is skipped.
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
using namespace dotakv::digits;

namespace {

// A synthetic "string": strokes in columns, deterministic.
GrayImage synthetic_image(int width, std::uint64_t seed) {
  std::mt19937_64 r(seed);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  GrayImage im;
  im.width = width;
  im.pixels.assign(std::size_t(32) * width, 0.f);
  for (int y = 4; y < 28; ++y)
    for (int x = 2; x < width - 2; ++x)
      if (u(r) < 0.25f) im.pixels[std::size_t(y) * width + x] = u(r);
  return im;
}

std::shared_ptr<const DigitsModel> tiny_model(std::uint64_t seed = 3) {
  return std::make_shared<const DigitsModel>(
      DigitsModel::random(DigitsConfig::preset("digits-tiny"), seed));
}

std::string tmp(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() / "dotakv_test_digits_model";
  std::filesystem::create_directories(d);
  return (d / name).string();
}

template <class F>
void expect_throw_containing(F&& f, const char* needle) {
  try {
    f();
    QFAIL(qPrintable(QString("no exception, expected one containing '%1'").arg(needle)));
  } catch (const Error& e) {
    if (std::string(e.what()).find(needle) == std::string::npos)
      QFAIL(qPrintable(QString("message '%1' lacks '%2'").arg(e.what(), needle)));
  }
}

}  // namespace

class TestDigitsModel : public QObject {
  Q_OBJECT
 private slots:
  void configRejectsUnknownKeysAndBadValues() {
    auto j = DigitsConfig::preset("digits-small").to_json();
    QCOMPARE(DigitsConfig::from_json(j).to_json(), j);
    auto bad = j;
    bad["colour"] = 1;
    expect_throw_containing([&] { DigitsConfig::from_json(bad); }, "unknown key 'colour'");
    bad = j;
    bad["heads"] = 3;
    expect_throw_containing([&] { DigitsConfig::from_json(bad); }, "heads");
    bad = j;
    bad["family"] = "dota";
    expect_throw_containing([&] { DigitsConfig::from_json(bad); }, "family");
    bad = j;
    bad["d_model"] = "128";
    expect_throw_containing([&] { DigitsConfig::from_json(bad); }, "d_model");
    bad = j;
    bad["heads"] = 4294967300ull;  // 2^32 + 4 would wrap to 4 heads through get<int>()
    expect_throw_containing([&] { DigitsConfig::from_json(bad); }, "heads");
    bad = j;
    bad["stem_channels"] = {"16", 32, 32};  // fuzz finding: nlohmann's type_error escaped
    expect_throw_containing([&] { DigitsConfig::from_json(bad); }, "stem_channels'[0]");
    expect_throw_containing([] { DigitsConfig::preset("huge"); }, "unknown preset");
  }

  void weightsRoundTripAndFamilyChecks() {
    auto m = tiny_model();
    const std::string p = tmp("tiny.h5");
    m->save(p);
    const DigitsModel back = DigitsModel::load(p);
    QCOMPARE(back.tensors().size(), m->tensors().size());
    for (std::size_t i = 0; i < back.tensors().size(); ++i)
      QVERIFY(back.tensors()[i].data == m->tensors()[i].data);
    // a digits file given to DoTA, and a DoTA file given to digits
    expect_throw_containing([&] { Model::load(p); }, "family");
    const std::string dota = tmp("dota.h5");
    Model::random(ModelConfig::preset("compact"), 1).save(dota);
    expect_throw_containing([&] { DigitsModel::load(dota); }, "expected 'digits', found 'dota'");
    // the shipped DoTA model (written before the family attribute existed) is still DoTA
    const std::string shipped = test::source_path("resources/models/dotakv-compact.h5");
    expect_throw_containing([&] { DigitsModel::load(shipped); }, "family");
    Model::load(shipped);
    expect_throw_containing([&] { DigitsModel::load(tmp("missing.h5")); }, "no such file");
    {
      std::ofstream f(tmp("text.h5"));
      f << "not hdf5";
    }
    expect_throw_containing([&] { DigitsModel::load(tmp("text.h5")); }, "not an HDF5");
    // NaN weight
    std::vector<Tensor> ts = m->tensors();
    ts[0].data[0] = std::nanf("");
    DigitsModel(m->config(), ts).save(tmp("nan.h5"));
    expect_throw_containing([&] { DigitsModel::load(tmp("nan.h5")); }, "NaN");
    // wrong shape in the constructor
    ts = m->tensors();
    ts[1].shape = {99};
    QVERIFY_THROWS_EXCEPTION(ShapeError, DigitsModel(m->config(), ts));
  }

  void averageModelsIsTheElementwiseMean() {
    const auto a = tiny_model(3), b = tiny_model(4), c = tiny_model(5);
    // one model: itself, bit for bit
    const DigitsModel self = average_models({*a});
    for (std::size_t i = 0; i < a->tensors().size(); ++i)
      QVERIFY(self.tensors()[i].data == a->tensors()[i].data);
    // three models: every element the mean, computed independently in long double
    const DigitsModel mean = average_models({*a, *b, *c}, {"a.h5", "b.h5", "c.h5"});
    QCOMPARE(mean.config().to_json(), a->config().to_json());
    double worst = 0;
    for (std::size_t t = 0; t < a->tensors().size(); ++t) {
      QVERIFY(mean.tensors()[t].shape == a->tensors()[t].shape);
      for (std::size_t i = 0; i < a->tensors()[t].data.size(); ++i) {
        const long double want = ((long double)a->tensors()[t].data[i] + b->tensors()[t].data[i] +
                                  c->tensors()[t].data[i]) /
                                 3.0L;
        worst = std::max(worst, double(std::fabs((long double)mean.tensors()[t].data[i] - want)));
      }
    }
    QVERIFY2(worst <= 1e-7, qPrintable(QString("max |mean - reference| = %1").arg(worst)));
    QVERIFY(mean.description().find("mean of 3 models") != std::string::npos);
    QVERIFY(mean.description().find("c.h5") != std::string::npos);
    // mean of the same model twice is the model (x + x) / 2 == x exactly in double
    const DigitsModel twice = average_models({*b, *b});
    for (std::size_t t = 0; t < b->tensors().size(); ++t)
      QVERIFY(twice.tensors()[t].data == b->tensors()[t].data);
    // bad input: none, or another config
    expect_throw_containing([] { average_models({}); }, "at least one model");
    const DigitsModel small = DigitsModel::random(DigitsConfig::preset("digits-small"), 1);
    try {
      average_models({*a, small}, {"tiny.h5", "small.h5"});
      QFAIL("mixed configs were averaged");
    } catch (const ConfigError& e) {
      QVERIFY2(
          std::string(e.what()).find("small.h5: config differs from tiny.h5") != std::string::npos,
          e.what());
    }
  }

  void graphGradientsMatchFiniteDifferences() {
    const DigitsConfig cfg = DigitsConfig::preset("digits-tiny");
    const DigitsModel fm = DigitsModel::random(cfg, 11);
    std::vector<std::vector<double>> pv;
    for (const auto& t : fm.tensors()) pv.emplace_back(t.data.begin(), t.data.end());
    // perturb LayerNorm gains/biases away from 1/0 so their gradients are generic
    std::mt19937_64 r(5);
    std::uniform_real_distribution<double> u(-0.2, 0.2);
    for (auto& v : pv)
      for (auto& x : v) x += 0.1 * u(r);
    const GrayImage im = synthetic_image(24, 9);
    std::vector<double> img(im.pixels.begin(), im.pixels.end());
    const std::vector<int> labels{3, 1, 4};
    DigitsGraph<double> g(cfg);
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
    sample_loss<double>(g, ptrs(), img.data(), 24, labels, *ws, &gp, 1.0, nullptr);
    const auto specs = tensor_layout(cfg);
    int checked = 0;
    for (std::size_t k = 0; k < pv.size(); ++k) {
      const std::size_t n = pv[k].size();
      for (std::size_t e : {std::size_t(0), n / 3, n / 2, n - 1}) {
        const double h = 1e-6, x0 = pv[k][e];
        pv[k][e] = x0 + h;
        const double lp =
            sample_loss<double>(g, ptrs(), img.data(), 24, labels, *ws, nullptr, 1.0, nullptr);
        pv[k][e] = x0 - h;
        const double lm =
            sample_loss<double>(g, ptrs(), img.data(), 24, labels, *ws, nullptr, 1.0, nullptr);
        pv[k][e] = x0;
        const double fd = (lp - lm) / (2 * h), an = gv[k][e];
        const double err = std::abs(fd - an) / std::max(1e-6, std::abs(fd) + std::abs(an));
        if (err > 1e-5)
          QFAIL(qPrintable(QString("%1[%2]: analytic %3 vs finite difference %4")
                               .arg(specs[k].name.c_str())
                               .arg(e)
                               .arg(an)
                               .arg(fd)));
        ++checked;
      }
    }
    QVERIFY(checked >= 4 * int(specs.size()));
  }

  void sessionMatchesTheTrainingForward() {
    auto m = tiny_model(4);
    DigitsSession s(m);
    ReadOptions o;
    o.force_digits = 7;
    o.record_logits = true;
    const GrayImage im = synthetic_image(64, 2);
    const ReadResult r = s.read(im, o);
    QCOMPARE(int(r.digits.size()), 7);
    DigitsGraph<float> g(m->config());
    auto ws = g.make_workspace();
    std::vector<const float*> p;
    for (std::size_t i = 0; i < m->tensors().size(); ++i) p.push_back(m->data(int(i)));
    g.encode(p, im.pixels.data(), 64, *ws);
    std::vector<int> tok{kBos};
    tok.insert(tok.end(), r.digits.begin(), r.digits.end() - 1);
    g.decode(p, tok.data(), int(tok.size()), *ws);
    const float* lg = DigitsGraph<float>::logits(*ws);
    double md = 0;
    for (int t = 0; t < 7; ++t)
      for (int v = 0; v < kVocab; ++v)
        md = std::max(
            md, double(std::abs(lg[t * kVocab + v] - r.logits[std::size_t(t)][std::size_t(v)])));
    QVERIFY2(md < 1e-4, qPrintable(QString("max logit difference %1").arg(md)));
  }

  void cacheModesAgree_data() {
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("beam");
    QTest::addColumn<int>("digits");
    for (int b : {1, 3})
      for (int w : {1, 3})
        for (int d : {1, 6, 20})
          QTest::newRow(qPrintable(QString("b%1 w%2 L%3").arg(b).arg(w).arg(d))) << b << w << d;
  }
  void cacheModesAgree() {
    QFETCH(int, batch);
    QFETCH(int, beam);
    QFETCH(int, digits);
    auto m = tiny_model(6);
    DigitsSession s(m);
    std::vector<GrayImage> ims;
    for (int b = 0; b < batch; ++b)
      ims.push_back(synthetic_image(40 + 16 * b, 100 + b));  // widths differ
    ReadOptions o;
    o.force_digits = digits;
    o.beam = beam;
    o.record_logits = true;
    std::vector<std::vector<ReadResult>> res;
    for (CacheMode c : {CacheMode::off, CacheMode::self, CacheMode::full, CacheMode::automatic}) {
      o.cache = c;
      res.push_back(s.read(ims, o));
    }
    for (std::size_t k = 1; k < res.size(); ++k)
      for (int b = 0; b < batch; ++b) {
        QCOMPARE(res[k][std::size_t(b)].digits, res[0][std::size_t(b)].digits);
        for (std::size_t w = 0; w < res[0][std::size_t(b)].beams.size(); ++w)
          QCOMPARE(res[k][std::size_t(b)].beams[w].digits, res[0][std::size_t(b)].beams[w].digits);
        const auto& a = res[k][std::size_t(b)].logits;
        const auto& z = res[0][std::size_t(b)].logits;
        QCOMPARE(a.size(), z.size());
        for (std::size_t t = 0; t < a.size(); ++t)
          for (int v = 0; v < kVocab; ++v)
            QVERIFY2(std::abs(a[t][std::size_t(v)] - z[t][std::size_t(v)]) < 1e-5,
                     qPrintable(QString("mode %1 step %2: %3 vs %4")
                                    .arg(k)
                                    .arg(t)
                                    .arg(a[t][std::size_t(v)])
                                    .arg(z[t][std::size_t(v)])));
      }
  }

  void crossKvOncePerImageSelfRowsNeverRecomputed() {
    auto m = tiny_model(7);
    const DigitsConfig& c = m->config();
    DigitsSession s(m);
    const std::vector<GrayImage> ims{synthetic_image(48, 1), synthetic_image(80, 2)};
    const long long te = 48 / 8 + 80 / 8, L = c.decoder_layers;
    ReadOptions o;
    o.force_digits = 9;
    o.beam = 4;
    o.cache = CacheMode::full;
    s.read(ims, o);
    QCOMPARE(s.last_stats().cross_rows_written, te * L);          // once per image
    QCOMPARE(s.last_stats().self_rows_written, 9LL * 2 * 4 * L);  // one row per step and beam
    o.cache = CacheMode::self;
    s.read(ims, o);
    QCOMPARE(s.last_stats().cross_rows_written, 9 * te * L);  // recomputed every step
    o.cache = CacheMode::off;
    s.read(ims, o);
    QCOMPARE(s.last_stats().self_rows_written, (9LL * 10 / 2) * 2 * 4 * L);  // whole prefixes
  }

  void decodingAllocatesNothingPerToken() {
#ifdef DOTAKV_NO_NEW_REPLACEMENT
    QSKIP("ThreadSanitizer build: its runtime owns operator new, so allocations are not counted");
#endif
    auto m = tiny_model(8);
    DigitsSession s(m);
    for (CacheMode c : {CacheMode::self, CacheMode::full})
      for (int beam : {1, 4}) {
        ReadOptions o;
        o.force_digits = 30;
        o.cache = c;
        o.beam = beam;
        s.read(synthetic_image(64, 3), o);  // warm-up: threads, caches reserved
        std::vector<long long> at(64, -1);
        s.read(synthetic_image(64, 3), o, nullptr,
               [&](int step, const std::vector<std::vector<int>>&) {
                 at[std::size_t(step)] = g_allocs.load();
               });
        QVERIFY2(at[2] == at[29],
                 qPrintable(QString("%1 allocations in steps 3..30 (mode %2, beam %3)")
                                .arg(at[29] - at[2])
                                .arg(to_string(c).c_str())
                                .arg(beam)));
      }
  }

  void kvPrecisionsStayClose() {
    auto m = tiny_model(9);
    DigitsSession s(m);
    ReadOptions o;
    o.force_digits = 12;
    o.record_logits = true;
    const GrayImage im = synthetic_image(96, 5);
    const auto ref = s.read(im, o);
    for (KvPrecision p : {KvPrecision::fp16, KvPrecision::int8}) {
      o.kv_precision = p;
      const auto r = s.read(im, o);
      double md = 0;
      const std::size_t n = std::min(r.logits.size(), ref.logits.size());
      for (std::size_t t = 0; t < n; ++t)
        for (int v = 0; v < kVocab; ++v)
          md = std::max(
              md, double(std::abs(r.logits[t][std::size_t(v)] - ref.logits[t][std::size_t(v)])));
      QVERIFY2(md < (p == KvPrecision::fp16 ? 2e-3 : 5e-2),
               qPrintable(QString("max logit diff %1").arg(md)));
    }
  }

  void badInputIsRefused() {
    auto m = tiny_model();
    DigitsSession s(m);
    GrayImage im = synthetic_image(32, 1);
    GrayImage empty;
    empty.width = 32;
    empty.pixels.assign(32 * 32, 0.f);
    expect_throw_containing([&] { s.read(empty); }, "empty canvas");
    GrayImage tall;
    tall.height = 28;
    tall.width = 28;
    tall.pixels.assign(28 * 28, 0.5f);
    QVERIFY_THROWS_EXCEPTION(ShapeError, s.read(tall));
    GrayImage nan = im;
    nan.pixels[100] = std::nanf("");
    expect_throw_containing([&] { s.read(nan); }, "not finite");
    GrayImage big = im;
    big.pixels[5] = 2.f;
    QVERIFY_THROWS_EXCEPTION(ValueError, s.read(big));
    GrayImage wide = synthetic_image(m->config().max_width + 8, 1);
    QVERIFY_THROWS_EXCEPTION(ShapeError, s.read(wide));
    ReadOptions o;
    o.beam = 0;
    QVERIFY_THROWS_EXCEPTION(ValueError, s.read(im, o));
    o.beam = 1;
    o.max_digits = m->config().max_digits + 1;
    expect_throw_containing([&] { s.read(im, o); }, "maximum");
    QVERIFY_THROWS_EXCEPTION(ConfigError, parse_cache_mode("sometimes"));
  }

  void trainingLowersTheLossAndResumesBitExactly() {
    DigitsTrainOptions o;
    o.config = DigitsConfig::preset("digits-tiny");
    o.epochs = 2;
    o.strings_per_epoch = 64;
    o.batch = 16;
    o.len_min = 1;
    o.len_max = 3;
    o.val_strings = 8;
    o.schedule.warmup_steps = 2;
    o.threads = 2;
    o.out_dir = tmp("run_a");
    std::filesystem::remove_all(o.out_dir);
    const auto a = train_digits(o);
    QCOMPARE(int(a.history.size()), 2);
    QVERIFY(a.history[1].train_loss < a.history[0].train_loss);
    QVERIFY(a.history[0].train_loss < std::log(13.0) + 0.5);
    // the same run interrupted during epoch 2, then resumed: bit-identical weights
    auto o1 = o;
    o1.out_dir = tmp("run_b");
    std::filesystem::remove_all(o1.out_dir);
    Progress stop;
    Progress* sp = &stop;
    Progress cb([&](double, double, const std::string& msg) {
      if (msg == "epoch 2") sp->cancel();
    });
    sp = &cb;
    QVERIFY_THROWS_EXCEPTION(Cancelled, train_digits(o1, &cb));
    o1.resume = true;
    const auto b = train_digits(o1);
    QCOMPARE(int(b.history.size()), 2);
    const DigitsModel wa = DigitsModel::load(o.out_dir + "/last.h5");
    const DigitsModel wb = DigitsModel::load(o1.out_dir + "/last.h5");
    for (std::size_t i = 0; i < wa.tensors().size(); ++i)
      QVERIFY2(wa.tensors()[i].data == wb.tensors()[i].data,
               tensor_layout(wa.config())[i].name.c_str());
    QCOMPARE(b.history[1].train_loss, a.history[1].train_loss);
    const DigitsModel ma = DigitsModel::load(o.out_dir + "/last.h5");
    QVERIFY(ma.config().trained_max_digits == 3);
  }
};

QTEST_GUILESS_MAIN(TestDigitsModel)
#include "test_digits_model.moc"
