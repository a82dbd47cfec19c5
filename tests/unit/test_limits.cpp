// Resource limits (limits.hpp) and the one JSON reader (json_file.hpp): sizes parsed as
// documented, claims above the cap or overflowing refused before allocating, oversize JSON
// refused before reading, typed errors naming the file.
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>

#include "dotakv/error.hpp"
#include "dotakv/json_file.hpp"
#include "dotakv/limits.hpp"
#include "test_support.hpp"

namespace {
template <class E, class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "(no exception)";
}
}  // namespace

class TestLimits : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    // Read once per process: set before the first call.
    qputenv("DOTAKV_MEMORY_LIMIT", "1M");
  }
  void byteSizesParseWithBinaryUnits() {
    QCOMPARE(dotakv::parse_byte_size("123"), 123ull);
    QCOMPARE(dotakv::parse_byte_size("1K"), 1024ull);
    QCOMPARE(dotakv::parse_byte_size("512M"), 512ull << 20);
    QCOMPARE(dotakv::parse_byte_size("2G"), 2ull << 30);
    QCOMPARE(dotakv::parse_byte_size("2GiB"), 2ull << 30);
    QCOMPARE(dotakv::parse_byte_size("3t"), 3ull << 40);
    for (const char* bad :
         {"", "G", "12X", "1.5G", "-1", "1 G", "99999999999999999999", "20000000000T"})
      QCOMPARE(dotakv::parse_byte_size(bad), 0ull);
  }
  void capComesFromTheEnvironment() { QCOMPARE(dotakv::memory_cap_bytes(), 1ull << 20); }
  void claimsUpToTheCapPassAndAboveAreRefused() {
    dotakv::require_memory(std::vector<std::uint64_t>{256, 1024}, 4, "t");  // exactly 1 MiB
    const auto m = message_of<dotakv::ResourceError>([] {
      dotakv::require_memory(std::vector<std::uint64_t>{257, 1024}, 4, "f.h5: 'x'");
    });
    QVERIFY2(
        m.rfind("f.h5: 'x': claims [257,1024] x 4 B = 1.0 MiB, more than the memory cap 1.0 MiB",
                0) == 0,
        m.c_str());
  }
  void overflowingClaimsAreRefused() {
    // 2^32 * 2^32 * 4 wraps to 0 in 64 bits: must still be refused.
    const std::vector<unsigned long long> wraps{1ull << 32, 1ull << 32};
    QVERIFY_THROWS_EXCEPTION(dotakv::ResourceError, dotakv::require_memory(wraps, 4, "w"));
    const std::vector<unsigned long long> zero{0, 1ull << 60};
    dotakv::require_memory(zero, 4, "empty is 0 bytes");
  }
  void volumeAxesAreBounded() {
    dotakv::require_volume_axes(std::vector<std::uint64_t>{1, 65536, 3}, "v");
    QVERIFY_THROWS_EXCEPTION(
        dotakv::ShapeError, dotakv::require_volume_axes(std::vector<std::uint64_t>{1, 65537}, "v"));
    QVERIFY_THROWS_EXCEPTION(dotakv::ShapeError,
                             dotakv::require_volume_axes(std::vector<std::uint64_t>{0, 4}, "v"));
  }
  void jsonReaderChecksBeforeReading() {
    QTemporaryDir dir;
    const std::string ok = dir.filePath("ok.json").toStdString();
    std::ofstream(ok) << "{\"a\": [1, 2]}";
    QCOMPARE(dotakv::read_json_file(ok, "thing")["a"][1].get<int>(), 2);

    const std::string missing = dir.filePath("none.json").toStdString();
    QCOMPARE(message_of<dotakv::IoError>([&] { dotakv::read_json_file(missing, "thing"); }),
             missing + ": cannot open thing (no such file)");
    QCOMPARE(message_of<dotakv::IoError>(
                 [&] { dotakv::read_json_file(dir.path().toStdString(), "thing"); }),
             dir.path().toStdString() + ": cannot open thing (not a regular file)");

    const std::string big = dir.filePath("big.json").toStdString();
    std::ofstream(big) << "[";
    std::filesystem::resize_file(big, dotakv::kMaxJsonFileBytes + 1);  // sparse
    const auto m = message_of<dotakv::ResourceError>([&] { dotakv::read_json_file(big, "thing"); });
    QVERIFY2(m.find("more than the 64.0 MiB a JSON input may have") != std::string::npos,
             m.c_str());

    const std::string binary = dir.filePath("bin.json").toStdString();
    std::ofstream(binary, std::ios::binary) << std::string("\x89HDF\r\n\x1a\n", 8);
    const auto b = message_of<dotakv::ConfigError>(
        [&] { dotakv::read_json_file<dotakv::ConfigError>(binary, "config"); });
    QVERIFY2(b.rfind(binary + ": config is not valid JSON (parse error", 0) == 0, b.c_str());
    for (char c : b)
      QVERIFY(static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f);
  }
};

QTEST_GUILESS_MAIN(TestLimits)
#include "test_limits.moc"
