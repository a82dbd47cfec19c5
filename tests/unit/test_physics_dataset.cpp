// Datasets: generation, resumption after an interruption (identical to a clean run), growing an
// existing file, DoTA layout round trip, scaling constants, CLI progress and bad options.
#include <H5Cpp.h>

#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>

#include "dotakv/dataset.hpp"
#include "dotakv/error.hpp"
#include "test_support.hpp"

using namespace dotakv;
using namespace dotakv::physics;

namespace {
DatasetOptions small(int n) {
  DatasetOptions o;
  o.n = n;
  o.primaries = 300;
  o.seed = 5;
  o.slices = 40;
  o.rows = 8;
  o.cols = 8;
  return o;
}
}  // namespace

class TestPhysicsDataset : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { H5::Exception::dontPrint(); }
  void generatesAndReads() {
    QTemporaryDir dir;
    const std::string p = dir.filePath("d.h5").toStdString();
    const auto s = generate_dataset(small(4), p);
    QCOMPARE(s.generated, 4);
    const auto info = dataset_info(p);
    QCOMPARE(info.n, 4);
    QVERIFY(!info.dota_layout);
    QCOMPARE(info.slices, 40);
    double xmin = 1e30, xmax = -1e30, ymin = 1e30, ymax = -1e30;
    for (int i = 0; i < 4; ++i) {
      const Case c = read_dataset_sample(p, i);
      QVERIFY(c.energy_mev >= 70.0 && c.energy_mev <= 220.0);
      for (float v : c.ct.data) xmin = std::min<double>(xmin, v), xmax = std::max<double>(xmax, v);
      for (float v : c.doses.at("mc").volume.data)
        ymin = std::min<double>(ymin, v), ymax = std::max<double>(ymax, v);
    }
    QCOMPARE(info.x_min, xmin);
    QCOMPARE(info.x_max, xmax);
    QCOMPARE(info.y_min, ymin);
    QCOMPARE(info.y_max, ymax);
    QCOMPARE(info.e_min, 70.0);
    QCOMPARE(info.e_max, 220.0);
    QVERIFY(!std::filesystem::exists(p + ".parts"));
    QVERIFY_THROWS_EXCEPTION(ValueError, read_dataset_sample(p, 4));
  }
  // Interrupt after 2 samples (cancel), resume: the result equals a clean run bit for bit.
  void resumesAfterInterruption() {
    QTemporaryDir dir;
    const std::string clean = dir.filePath("clean.h5").toStdString();
    const std::string cut = dir.filePath("cut.h5").toStdString();
    generate_dataset(small(4), clean);
    int calls = 0;
    Progress p([&](double, double, const std::string&) {
      if (++calls == 2) throw Cancelled();
    });
    QVERIFY_THROWS_EXCEPTION(Cancelled, generate_dataset(small(4), cut, &p));
    QVERIFY(!std::filesystem::exists(cut));  // nothing half-written
    QVERIFY(std::filesystem::exists(cut + ".parts"));
    const auto s = generate_dataset(small(4), cut);
    QCOMPARE(s.reused, 2);
    QCOMPARE(s.generated, 2);
    // no timestamps are stored, so the files are byte-identical
    auto bytes = [](const std::string& p) {
      std::ifstream in(p, std::ios::binary);
      return std::string((std::istreambuf_iterator<char>(in)), {});
    };
    QVERIFY(bytes(clean) == bytes(cut));
    for (int i = 0; i < 4; ++i) {
      const Case a = read_dataset_sample(clean, i), b = read_dataset_sample(cut, i);
      QVERIFY(a.ct.data == b.ct.data);
      QVERIFY(a.doses.at("mc").volume.data == b.doses.at("mc").volume.data);
      QCOMPARE(a.energy_mev, b.energy_mev);
    }
  }
  void growsExistingFile() {
    QTemporaryDir dir;
    const std::string p = dir.filePath("d.h5").toStdString();
    generate_dataset(small(2), p);
    const auto s = generate_dataset(small(3), p);
    QCOMPARE(s.reused, 2);
    QCOMPARE(s.generated, 1);
    QCOMPARE(dataset_info(p).n, 3);
    // different options on an existing file are refused (not silently mixed)
    auto o = small(4);
    o.seed = 6;
    QVERIFY_THROWS_EXCEPTION(ConfigError, generate_dataset(o, p));
  }
  // DoTA layout: [25, 25, 150, N]-style (here [9, 9, 40, N]) padded by repeating the last
  // row/column; read back with the crop it equals our layout.
  void dotaLayoutRoundTrip() {
    QTemporaryDir dir;
    const std::string ours = dir.filePath("o.h5").toStdString();
    const std::string dota = dir.filePath("d.h5").toStdString();
    generate_dataset(small(2), ours);
    auto o = small(2);
    o.dota_layout = true;
    generate_dataset(o, dota);
    const auto info = dataset_info(dota);
    QVERIFY(info.dota_layout);
    QCOMPARE(info.rows, 9);
    QCOMPARE(info.cols, 9);
    QCOMPARE(info.slices, 40);
    QCOMPARE(dota_sample_count(dota), 2);
    for (int i = 0; i < 2; ++i) {
      const Case a = read_dataset_sample(ours, i), b = read_dataset_sample(dota, i, true);
      QVERIFY(a.ct.data == b.ct.data);
      QVERIFY(a.doses.at("mc").volume.data == b.doses.at("mc").volume.data);
      QCOMPARE(a.energy_mev, b.energy_mev);
      const Case full = read_dataset_sample(dota, i, false);
      QCOMPARE(full.ct.at(5, 8, 8), a.ct.at(5, 7, 7));  // padding repeats the last row/col
    }
  }
  void badOptions() {
    QTemporaryDir dir;
    const std::string p = dir.filePath("d.h5").toStdString();
    auto o = small(0);
    QVERIFY_THROWS_EXCEPTION(ValueError, generate_dataset(o, p));
    o = small(1);
    o.primaries = 0;
    QVERIFY_THROWS_EXCEPTION(ValueError, generate_dataset(o, p));
    o = small(1);
    o.energy_min = 250;
    o.energy_max = 100;
    QVERIFY_THROWS_EXCEPTION(ValueError, generate_dataset(o, p));
    QVERIFY(!std::filesystem::exists(p));
    QVERIFY_THROWS_EXCEPTION(IoError, dataset_info(dir.filePath("none.h5").toStdString()));
  }
  void cliProgressWithEta() {
    QTemporaryDir dir;
    const QString p = dir.filePath("d.h5");
    auto r = test::run_cli({"dataset", "--n", "2", "--energies", "70:100", "--primaries", "200",
                            "--seed", "3", "--out", p});
    QCOMPARE(r.exit_code, 0);
    QVERIFY(r.err.contains("ETA"));
    QCOMPARE(dataset_info(p.toStdString()).n, 2);
    r = test::run_cli(
        {"dataset", "--n", "2", "--energies", "300:400", "--out", dir.filePath("x.h5")});
    QVERIFY(r.exit_code != 0);
    QVERIFY(!QFile::exists(dir.filePath("x.h5")));
  }
};

QTEST_GUILESS_MAIN(TestPhysicsDataset)
#include "test_physics_dataset.moc"
