// Fuzzing in the normal build (docs/fuzzing.md): every fuzz target's seeds (valid files written by
// the project's writers) load without any exception, and every kept input — the corpus in
// tests/fuzz/corpus/<target>/ and each crash found so far in tests/fuzz/regressions/<target>/ —
// goes through the same entry function as the libFuzzer target (tests/fuzz/fuzz_entries.hpp)
// with dotakv::Error or success as the only outcomes. Also the HDF5 file-image seam itself.
#include <cxxabi.h>

#include <QtTest>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <typeinfo>

#include "../fuzz/fuzz_entries.hpp"
#include "dotakv/case_file.hpp"
#include "dotakv/error.hpp"
#include "dotakv/h5_file_image.hpp"
#include "dotakv/model.hpp"
#include "test_support.hpp"

using namespace dotakv;

namespace {
std::string type_name(const std::type_info& t) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> d(abi::__cxa_demangle(t.name(), nullptr, nullptr, &status),
                                           std::free);
  return status == 0 && d ? d.get() : t.name();
}

// "" if the entry ended with success or a dotakv::Error, else what escaped.
std::string outcome(const fuzz::Target& t, const std::string& bytes) {
  try {
    fuzz::run_expecting_errors(t.entry, bytes);
    return "";
  } catch (const std::exception& e) {
    return type_name(typeid(e)) + ": " + e.what();
  } catch (...) {
    return "a non-std exception";
  }
}

template <class E, class F>
QString error_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return QString::fromStdString(e.what());
  } catch (const std::exception& e) {
    return "wrong exception type: " + QString::fromStdString(e.what());
  }
  return "no exception";
}
}  // namespace

class TestFuzzRegressions : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { fuzz::initialize(); }

  // Valid inputs: a raw target's seeds load with no exception at all (they prove the seam and
  // the writers agree); an edit target's seeds may give dotakv::Error only.
  void seeds() {
    for (const auto& t : fuzz::targets()) {
      const bool edit = std::string(t.name).ends_with("_edit");
      const auto seeds = t.seeds();
      QVERIFY2(!seeds.empty(), t.name);
      for (std::size_t k = 0; k < seeds.size(); ++k) {
        const std::string what = std::string(t.name) + " seed " + std::to_string(k);
        if (edit) {
          const std::string bad = outcome(t, seeds[k]);
          QVERIFY2(bad.empty(), (what + ": " + bad).c_str());
        } else {
          try {
            t.entry(seeds[k]);
          } catch (const std::exception& e) {
            QFAIL((what + ": " + type_name(typeid(e)) + ": " + e.what()).c_str());
          }
        }
      }
    }
  }

  // Every kept corpus and regression input: success or dotakv::Error.
  void replay() {
    namespace fs = std::filesystem;
    int files = 0;
    QStringList failures;
    for (const char* kind : {"corpus", "regressions"}) {
      const fs::path root = test::source_path(std::string("tests/fuzz/") + kind);
      if (!fs::is_directory(root)) continue;
      for (const auto& dir : fs::directory_iterator(root)) {
        if (!dir.is_directory()) continue;
        const fuzz::Target& t = fuzz::target(dir.path().filename().string());
        for (const auto& f : fs::directory_iterator(dir.path())) {
          if (!f.is_regular_file() || f.path().filename().string().starts_with(".")) continue;
          ++files;
          const std::string bad = outcome(t, fuzz::read_bytes(f.path().string()));
          if (!bad.empty()) failures << QString::fromStdString(f.path().string() + ": " + bad);
        }
      }
    }
    qInfo("replayed %d kept inputs", files);
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join("\n")));
  }

  // dotakv::h5::ScopedFileImage: the registered path reads from memory with the usual checks and
  // messages; after the scope the path is a (missing) file again.
  void image_seam() {
    const std::string path = "/nonexistent/dotakv-test/seam.h5";
    {
      h5::ScopedFileImage image(fuzz::base_case(), path);
      const Case c = load_case(path);
      QCOMPARE(c.ct.slices, 3);
      QCOMPARE(c.doses.size(), std::size_t(2));
    }
    QVERIFY(error_of<IoError>([&] { load_case(path); }).contains("no such file"));
    {
      h5::ScopedFileImage image("this is not an HDF5 file", path);
      const QString m = error_of<IoError>([&] { Model::load(path); });
      QVERIFY2(m.contains(QString::fromStdString(path)) && m.contains("not an HDF5 file"),
               qPrintable(m));
    }
    {
      h5::ScopedFileImage image(fuzz::base_weights().substr(0, 600), path);
      const QString m = error_of<IoError>([&] { Model::load(path); });
      QVERIFY2(m.contains(QString::fromStdString(path)) && m.contains("cannot open as HDF5"),
               qPrintable(m));
    }
    {
      h5::ScopedFileImage image(fuzz::base_weights(), path);
      QCOMPARE(Model::load(path).config().num_slices, 2);
    }
  }
};

QTEST_APPLESS_MAIN(TestFuzzRegressions)
#include "test_fuzz_regressions.moc"
