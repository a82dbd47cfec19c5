// Assertions and file helpers shared by the QtTest executables (header-only: the QFAIL/QVERIFY
// macros must expand inside the calling test function's translation unit).
//   test::expect_error<FormatError>([&] { load(p); }, {"p.h5", "expected"});
//   test::expect_cli_error(run_cli({...}), 1, "no such file");   // exit code + one stderr line
#pragma once
#include <QtTest>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace dotakv::test {

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}
inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// f() must throw E (or a subclass) whose message contains every needle.
template <class E, class F>
void expect_error(F&& f, const std::vector<std::string>& needles) {
  try {
    f();
  } catch (const E& e) {
    const std::string m = e.what();
    for (const auto& n : needles)
      QVERIFY2(m.find(n) != std::string::npos,
               qPrintable(QString::fromStdString("'" + n + "' not in: " + m)));
    return;
  } catch (const std::exception& e) {
    QFAIL(qPrintable(QStringLiteral("wrong exception type: ") + e.what()));
  }
  QFAIL("no exception");
}

// The CLI exited with `code` and stderr contains `needle`; input errors (code 1) print one line.
inline void expect_cli_error(const CliResult& r, int code, const char* needle) {
  if (r.exit_code != code)
    QFAIL(qPrintable(QString("exit %1 (expected %2): %3").arg(r.exit_code).arg(code).arg(r.err)));
  if (!r.err.contains(needle))
    QFAIL(qPrintable(QString("stderr lacks '%1': %2").arg(needle, r.err)));
  if (code == 1) QCOMPARE(r.err.trimmed().count('\n'), 0);
}

}  // namespace dotakv::test
