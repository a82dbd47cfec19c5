// The shipped digits model (resources/models/dotakv-digits.h5) against its model card, on test
// strings composed from the MNIST test split only (images the training never saw): size, config,
// per-digit and exact-string accuracy on 1-5 digits, accuracy up to the longest trained length,
// identical readings in every cache mode, and the effect of fp16/int8 cache storage.
#include <QtTest>

#include <filesystem>

#include "dotakv/digits/data.hpp"
#include "dotakv/digits/evaluate.hpp"
#include "dotakv/digits/session.hpp"
#include "test_support.hpp"

using namespace dotakv;
using namespace dotakv::digits;

namespace {
// Floors: the model card's figures on these 1,000 strings (99.07 % of digits, 97.2 % of strings)
// less about two standard errors of a 1,000-string sample. They guard what ships; they are NOT the
// issue's bar (99.0 % / 97 %): this set passes it, a second 1,000-string test set (98.89 % /
// 96.6 %) does not (model card, "Limits").
constexpr double kBarDigit = 0.987, kBarExact = 0.962;

std::vector<LabelledImage> test_strings(int count, int a, int b, std::uint64_t seed) {
  const auto set = load_mnist();
  std::vector<LabelledImage> out;
  for (const auto& s : compose_strings(set, Split::test, count, a, b, seed))
    out.push_back(labelled_image(s));
  return out;
}
}  // namespace

class TestShippedDigits : public QObject {
  Q_OBJECT
  std::string path_ = test::source_path("resources/models/dotakv-digits.h5");
  std::shared_ptr<const DigitsModel> model_;
 private slots:
  void initTestCase() { model_ = DigitsModel::load_shared(path_); }

  void sizeAndConfigAsTheModelCard() {
    QVERIFY(std::filesystem::file_size(path_) <= 20u * 1024 * 1024);
    auto c = model_->config();
    QCOMPARE(c.trained_max_digits, 30);
    c.trained_max_digits = 0;
    QCOMPARE(c.to_json(), DigitsConfig::preset("digits-small").to_json());
  }

  void shortStringsAsTheModelCard() {
    DigitsSession s(model_);
    const auto ev = evaluate(s, test_strings(1000, 1, 5, 20261202), ReadOptions{}, 16);
    qInfo("1-5 digits: per-digit %.3f %%, exact %.2f %%, wrong length %.2f %%",
          100 * ev.all.digit_accuracy(), 100 * ev.all.exact_rate(),
          100 * ev.all.wrong_length_rate());
    QVERIFY2(ev.all.digit_accuracy() >= kBarDigit, "per-digit accuracy below the card");
    QVERIFY2(ev.all.exact_rate() >= kBarExact, "exact-string rate below the card");
  }

  void longStringsUpToTheTrainedLength() {
    DigitsSession s(model_);
    const auto ev = evaluate(s, test_strings(150, 20, 30, 77), ReadOptions{}, 8);
    qInfo("20-30 digits: per-digit %.3f %%, exact %.2f %%, wrong length %.2f %%",
          100 * ev.all.digit_accuracy(), 100 * ev.all.exact_rate(),
          100 * ev.all.wrong_length_rate());
    QVERIFY(ev.all.digit_accuracy() >= 0.95);
    QVERIFY(ev.all.wrong_length_rate() <= 0.05);
  }

  void everyCacheModeReadsTheSameAndStorageEffectIsSmall() {
    DigitsSession s(model_);
    const auto data = test_strings(60, 1, 12, 5);
    std::vector<GrayImage> ims;
    for (const auto& d : data) ims.push_back(d.image);
    ReadOptions o;
    o.beam = 2;
    o.cache = CacheMode::off;
    const auto ref = s.read(ims, o);
    for (CacheMode c : {CacheMode::self, CacheMode::full, CacheMode::automatic}) {
      o.cache = c;
      const auto r = s.read(ims, o);
      for (std::size_t i = 0; i < r.size(); ++i) QCOMPARE(r[i].digits, ref[i].digits);
    }
    o.cache = CacheMode::full;
    for (KvPrecision p : {KvPrecision::fp16, KvPrecision::int8}) {
      o.kv_precision = p;
      const auto r = s.read(ims, o);
      int same = 0;
      for (std::size_t i = 0; i < r.size(); ++i) same += r[i].digits == ref[i].digits;
      qInfo("%s cache: %d / %zu strings read as with fp32", to_string(p).c_str(), same, r.size());
      QVERIFY(same >= int(r.size()) - (p == KvPrecision::fp16 ? 0 : 2));
    }
  }
};

QTEST_GUILESS_MAIN(TestShippedDigits)
#include "test_shipped_digits.moc"
