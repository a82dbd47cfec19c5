// Case files: round trip, atomic add, DoTA layout reading (transposition + crop), bad files
// (missing, non-HDF5, truncated, missing fields, wrong shapes, NaN), and the CLI commands
// phantom / dose / compare end to end including their failure modes.
#include <H5Cpp.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "dotakv/case_file.hpp"
#include "dotakv/error.hpp"
#include "test_support.hpp"

using namespace dotakv;

namespace {
Case small_case() {
  Case c;
  c.ct = Volume(5, 4, 3, 0.f);
  c.ct.spacing_mm = {2.0, 1.5, 1.0};
  for (size_t i = 0; i < c.ct.size(); ++i) c.ct.data[i] = float(i) - 30.f;
  c.energy_mev = 123.5;
  Dose d;
  d.volume = Volume(5, 4, 3, 0.f);
  for (size_t i = 0; i < d.volume.size(); ++i) d.volume.data[i] = float(i) * 1e-9f;
  d.attributes = {
      {"engine", "mc"}, {"primaries", 1000}, {"seed", 7}, {"cache", {{"enabled", true}}}};
  c.doses["mc"] = d;
  return c;
}
std::string tmp(QTemporaryDir& d, const char* name) {
  return d.filePath(name).toStdString();
}
}  // namespace

class TestCaseFile : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { H5::Exception::dontPrint(); }
  void roundTrip() {
    QTemporaryDir dir;
    const auto p = tmp(dir, "c.h5");
    const Case c = small_case();
    save_case(c, p);
    const Case r = load_case(p);
    QVERIFY(r.ct.data == c.ct.data);
    QCOMPARE(r.ct.slices, 5);
    QCOMPARE(r.ct.rows, 4);
    QCOMPARE(r.ct.cols, 3);
    QCOMPARE(r.ct.spacing_mm[1], 1.5);
    QCOMPARE(r.energy_mev, 123.5);
    QCOMPARE(r.doses.size(), size_t(1));
    QVERIFY(r.doses.at("mc").volume.data == c.doses.at("mc").volume.data);
    QCOMPARE(r.doses.at("mc").attributes, c.doses.at("mc").attributes);
  }
  void addDoseKeepsOthers() {
    QTemporaryDir dir;
    const auto p = tmp(dir, "c.h5");
    save_case(small_case(), p);
    Dose d;
    d.volume = Volume(5, 4, 3, 2.f);
    d.attributes = {{"engine", "pba"}};
    add_dose_to_case_file(p, "pba", d);
    const Case r = load_case(p);
    QCOMPARE(r.doses.size(), size_t(2));
    QCOMPARE(r.doses.at("pba").volume.at(1, 1, 1), 2.f);
    QCOMPARE(r.doses.at("pba").attributes["engine"].get<std::string>(), std::string("pba"));
    // a dose on another grid is refused and the file is unchanged
    Dose bad;
    bad.volume = Volume(5, 4, 4, 1.f);
    QVERIFY_THROWS_EXCEPTION(ShapeError, add_dose_to_case_file(p, "bad", bad));
    QCOMPARE(load_case(p).doses.size(), size_t(2));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);  // no temporaries left
  }
  void badFiles() {
    QTemporaryDir dir;
    QVERIFY_THROWS_EXCEPTION(IoError, load_case(tmp(dir, "missing.h5")));
    const auto text = tmp(dir, "text.h5");
    std::ofstream(text) << "this is not HDF5";
    QVERIFY_THROWS_EXCEPTION(IoError, load_case(text));
    // truncated: a valid file cut in half
    const auto good = tmp(dir, "good.h5");
    save_case(small_case(), good);
    const auto size = std::filesystem::file_size(good);
    const auto cut = tmp(dir, "cut.h5");
    std::filesystem::copy_file(good, cut);
    std::filesystem::resize_file(cut, size / 2);
    QVERIFY_THROWS_EXCEPTION(IoError, load_case(cut));
    // message names the file
    try {
      load_case(text);
    } catch (const IoError& e) {
      QVERIFY(std::string(e.what()).find("text.h5") != std::string::npos);
    }
  }
  void missingFieldsAndBadValues() {
    QTemporaryDir dir;
    {  // no ct
      const auto p = tmp(dir, "noct.h5");
      H5::H5File f(p, H5F_ACC_TRUNC);
      double e = 100;
      f.createAttribute("energy_mev", H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR))
          .write(H5::PredType::NATIVE_DOUBLE, &e);
      f.close();
      QVERIFY_THROWS_EXCEPTION(FormatError, load_case(p));
    }
    {  // ct without energy attribute
      const auto p = tmp(dir, "noenergy.h5");
      H5::H5File f(p, H5F_ACC_TRUNC);
      hsize_t d[3] = {2, 2, 2};
      float v[8] = {};
      auto ds = f.createDataSet("ct", H5::PredType::NATIVE_FLOAT, H5::DataSpace(3, d));
      ds.write(v, H5::PredType::NATIVE_FLOAT);
      hsize_t three = 3;
      double sp[3] = {2, 2, 2};
      ds.createAttribute("spacing_mm", H5::PredType::NATIVE_DOUBLE, H5::DataSpace(1, &three))
          .write(H5::PredType::NATIVE_DOUBLE, sp);
      f.close();
      QVERIFY_THROWS_EXCEPTION(FormatError, load_case(p));
    }
    {  // ct of rank 2
      const auto p = tmp(dir, "rank2.h5");
      H5::H5File f(p, H5F_ACC_TRUNC);
      hsize_t d[2] = {2, 2};
      float v[4] = {};
      f.createDataSet("ct", H5::PredType::NATIVE_FLOAT, H5::DataSpace(2, d))
          .write(v, H5::PredType::NATIVE_FLOAT);
      f.close();
      QVERIFY_THROWS_EXCEPTION(ShapeError, load_case(p));
    }
    // NaN CT / non-positive energy are refused on save; nothing is written
    Case c = small_case();
    c.ct.at(1, 1, 1) = std::nanf("");
    const auto p = tmp(dir, "nan.h5");
    QVERIFY_THROWS_EXCEPTION(ValueError, save_case(c, p));
    QVERIFY(!std::filesystem::exists(p));
    c = small_case();
    c.energy_mev = 0.0;
    QVERIFY_THROWS_EXCEPTION(ValueError, save_case(c, p));
    c = small_case();
    c.ct = Volume();
    QVERIFY_THROWS_EXCEPTION(ValueError, save_case(c, p));
    QVERIFY(!std::filesystem::exists(p));
  }
  // DoTA layout: geometry [A=25, B=25, D, N] in HDF5 order; DoTA's loader takes
  // geometry[:, :, :, n] and numpy-transposes it (reversing the axes) to [D, B, A], then drops
  // the last row and column. So our (z, y, x) must equal file[x, y, z, n].
  void readsDotaLayout() {
    QTemporaryDir dir;
    const auto p = tmp(dir, "dota.h5");
    const hsize_t A = 5, B = 4, D = 6, N = 3;
    auto value = [](hsize_t a, hsize_t b, hsize_t d, hsize_t n) {
      return float(1000 * n + 100 * a + 10 * b + d);
    };
    {
      H5::H5File f(p, H5F_ACC_TRUNC);
      hsize_t dims[4] = {A, B, D, N};
      std::vector<float> g(A * B * D * N), dose(A * B * D * N);
      for (hsize_t a = 0; a < A; ++a)
        for (hsize_t b = 0; b < B; ++b)
          for (hsize_t d = 0; d < D; ++d)
            for (hsize_t n = 0; n < N; ++n) {
              g[((a * B + b) * D + d) * N + n] = value(a, b, d, n);
              dose[((a * B + b) * D + d) * N + n] = -value(a, b, d, n);
            }
      f.createDataSet("geometry", H5::PredType::NATIVE_FLOAT, H5::DataSpace(4, dims))
          .write(g.data(), H5::PredType::NATIVE_FLOAT);
      f.createDataSet("dose0", H5::PredType::NATIVE_FLOAT, H5::DataSpace(4, dims))
          .write(dose.data(), H5::PredType::NATIVE_FLOAT);
      double e[3] = {70, 145.5, 220};
      f.createDataSet("energy0", H5::PredType::NATIVE_DOUBLE, H5::DataSpace(1, &N))
          .write(e, H5::PredType::NATIVE_DOUBLE);
    }
    QCOMPARE(dota_sample_count(p), 3);
    const Case full = read_dota_sample(p, 1, false);
    QCOMPARE(full.ct.slices, int(D));
    QCOMPARE(full.ct.rows, int(B));
    QCOMPARE(full.ct.cols, int(A));
    QCOMPARE(full.energy_mev, 145.5);
    for (int z = 0; z < int(D); ++z)
      for (int y = 0; y < int(B); ++y)
        for (int x = 0; x < int(A); ++x) {
          QCOMPARE(full.ct.at(z, y, x), value(x, y, z, 1));
          QCOMPARE(full.doses.at("dose0").volume.at(z, y, x), -value(x, y, z, 1));
        }
    const Case cropped = read_dota_sample(p, 2, true);
    QCOMPARE(cropped.ct.rows, int(B) - 1);
    QCOMPARE(cropped.ct.cols, int(A) - 1);
    QCOMPARE(cropped.ct.at(3, 2, 1), value(1, 2, 3, 2));
    QVERIFY_THROWS_EXCEPTION(ValueError, read_dota_sample(p, 3, true));
    QVERIFY_THROWS_EXCEPTION(IoError, read_dota_sample(tmp(dir, "none.h5"), 0, true));
  }
  // CLI: phantom -> dose (pba, mc) -> compare; and failures leave nothing behind.
  void cliEndToEnd() {
    QTemporaryDir dir;
    const QString c = dir.filePath("c.h5");
    auto r = test::run_cli({"phantom", "--kind", "slab", "--seed", "4", "--out", c, "--slices",
                            "60", "--energy", "100"});
    QCOMPARE(r.exit_code, 0);
    r = test::run_cli({"dose", "--engine", "pba", "--ct", c, "--quiet"});
    QCOMPARE(r.exit_code, 0);
    r = test::run_cli(
        {"dose", "--engine", "mc", "--ct", c, "--primaries", "20000", "--seed", "3", "--quiet"});
    QCOMPARE(r.exit_code, 0);
    const Case k = load_case(c.toStdString());
    QVERIFY(k.doses.count("mc") && k.doses.count("pba") && k.doses.count("mc_stderr"));
    QCOMPARE(k.doses.at("mc").attributes["primaries"].get<long long>(), 20000LL);
    r = test::run_cli({"compare", "--ref", c + ":mc", "--eval", c + ":pba", "--gamma", "3%/3mm",
                       "--threshold", "10%", "--json"});
    QCOMPARE(r.exit_code, 0);
    const auto j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const double rate = j["gamma"].toObject()["pass_rate"].toDouble();
    QVERIFY2(rate > 90.0, qPrintable(r.out));
    // without a dose name a case with several doses is ambiguous
    r = test::run_cli({"compare", "--ref", c, "--eval", c + ":pba"});
    QVERIFY(r.exit_code != 0);
    QVERIFY(r.err.contains("name one"));
  }
  void cliBadInput() {
    QTemporaryDir dir;
    const QString c = dir.filePath("c.h5"), other = dir.filePath("o.h5"),
                  out = dir.filePath("out.h5");
    QCOMPARE(test::run_cli({"phantom", "--kind", "water", "--out", c, "--slices", "20"}).exit_code,
             0);
    QCOMPARE(
        test::run_cli({"phantom", "--kind", "water", "--out", other, "--slices", "21"}).exit_code,
        0);
    QCOMPARE(test::run_cli({"dose", "--engine", "pba", "--ct", c, "--quiet"}).exit_code, 0);
    QCOMPARE(test::run_cli({"dose", "--engine", "pba", "--ct", other, "--quiet"}).exit_code, 0);
    auto r = test::run_cli({"dose", "--engine", "mc", "--ct", c, "--energy", "400", "--out", out});
    QVERIFY(r.exit_code != 0);
    QVERIFY(r.err.contains("energy"));
    r = test::run_cli({"dose", "--engine", "mc", "--ct", c, "--primaries", "0", "--out", out});
    QVERIFY(r.exit_code != 0);
    QVERIFY(r.err.contains("primaries"));
    r = test::run_cli({"phantom", "--kind", "marble", "--out", out});
    QVERIFY(r.exit_code != 0);
    QVERIFY(!QFile::exists(out));
    r = test::run_cli({"compare", "--ref", c + ":pba", "--eval", other + ":pba"});
    QVERIFY(r.exit_code != 0);
    QVERIFY(r.err.contains("grids differ"));
    r = test::run_cli({"dose", "--engine", "mc", "--ct", dir.filePath("missing.h5")});
    QVERIFY(r.exit_code != 0);
    QVERIFY(r.err.contains("missing.h5"));
    QVERIFY(!QFile::exists(out));
  }
};

QTEST_GUILESS_MAIN(TestCaseFile)
#include "test_case_file.moc"
