// Foundation: build info, CPU detection, atomic writes, progress/cancel, `dotakv info`.
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

#include "dotakv/atomic_file.hpp"
#include "dotakv/build_info.hpp"
#include "dotakv/error.hpp"
#include "dotakv/progress.hpp"
#include "dotakv/sysinfo.hpp"
#include "test_support.hpp"

class TestFoundation : public QObject {
  Q_OBJECT
 private slots:
  void buildInfoIsStamped() {
    QVERIFY(!dotakv::build_info().version.empty());
    QVERIFY(!dotakv::build_info().git_revision.empty());
    QVERIFY(!dotakv::build_info().compiler.empty());
  }
  void cpuFeaturesAreConsistentWithProcCpuinfo() {
    std::ifstream in("/proc/cpuinfo");
    std::string all((std::istreambuf_iterator<char>(in)), {});
    const auto f = dotakv::detect_cpu_features();
    QCOMPARE(f.avx2, all.find(" avx2") != std::string::npos);
    QCOMPARE(f.avx512f, all.find(" avx512f") != std::string::npos);
    if (f.amx_bf16) QVERIFY(all.find("amx_bf16") != std::string::npos);
  }
  void atomicWriteReplacesWholeFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("a.txt").toStdString();
    dotakv::write_text_atomically(path, "first");
    dotakv::write_text_atomically(path, "second");
    std::ifstream in(path);
    std::string s((std::istreambuf_iterator<char>(in)), {});
    QCOMPARE(QString::fromStdString(s), QStringLiteral("second"));
  }
  void atomicWriteFailureKeepsOldFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("a.txt").toStdString();
    dotakv::write_text_atomically(path, "good");
    bool threw = false;
    try {
      dotakv::write_atomically(path, [](const std::string& tmp) {
        std::ofstream(tmp) << "half";
        throw dotakv::IoError("disk full (simulated)");
      });
    } catch (const dotakv::IoError&) {
      threw = true;
    }
    QVERIFY(threw);
    std::ifstream in(path);
    std::string s((std::istreambuf_iterator<char>(in)), {});
    QCOMPARE(QString::fromStdString(s), QStringLiteral("good"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);  // no temporary left behind
  }
  void progressCancelThrows() {
    int calls = 0;
    dotakv::Progress p([&](double, double, const std::string&) { ++calls; });
    p.report(1, 10);
    p.cancel();
    QVERIFY_THROWS_EXCEPTION(dotakv::Cancelled, p.report(2, 10));
    QCOMPARE(calls, 2);
  }
  void cliInfoJson() {
    const auto r = dotakv::test::run_cli({"info", "--json"});
    QCOMPARE(r.exit_code, 0);
    const auto doc = QJsonDocument::fromJson(r.out.toUtf8());
    QVERIFY(doc.isObject());
    const auto o = doc.object();
    QCOMPARE(o["version"].toString(), QString::fromStdString(dotakv::build_info().version));
    QVERIFY(o["cpu"].toObject()["features"].toObject().contains("amx_bf16"));
    QVERIFY(o["threads"].toInt() >= 1);
  }
  void cliUnknownCommandFails() {
    const auto r = dotakv::test::run_cli({"no-such-command"});
    QVERIFY(r.exit_code != 0);
  }
};

QTEST_GUILESS_MAIN(TestFoundation)
#include "test_foundation.moc"
