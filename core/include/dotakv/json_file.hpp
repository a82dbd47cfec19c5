// One reader for every JSON file dotakv loads (DoTA and digits model configs, auto-policy and
// digits calibration profiles, benchmark results, MNIST class files).
//
//   read_json_file<ConfigError>(path, "model config")
// throws
//   IoError        "<path>: cannot open <what>"      missing, a directory, unreadable
//   ResourceError  "<path>: <what> is N MiB, more than the 64 MiB a JSON input may have"
//   ErrorT         "<path>: <what> is not valid JSON (<parser's message>)"   (default FormatError)
// The size check happens before anything is read, so a multi-gigabyte file is refused at once.
#pragma once
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "dotakv/error.hpp"

namespace dotakv {

inline constexpr unsigned long long kMaxJsonFileBytes = 64ull << 20;

// The file's whole text after the open and size checks above.
std::string read_json_text(const std::string& path, const std::string& what);

// nlohmann's message without its "[json.exception.parse_error.101] " prefix, with bytes that are
// not printable ASCII (a binary file's content) shown as '?'.
std::string json_error_text(const std::string& message);

template <class ErrorT = FormatError>
nlohmann::json read_json_file(const std::string& path, const std::string& what) {
  const std::string text = read_json_text(path, what);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw ErrorT(path + ": " + what + " is not valid JSON (" + json_error_text(e.what()) + ")");
  }
}

// True when v is an integer number that fits in an int. nlohmann's get<int>() of 4294967304
// wraps to 8, so every config integer is checked with this before get<int>().
inline bool is_int32(const nlohmann::json& v) {
  if (v.is_number_unsigned()) return v.get<unsigned long long>() <= std::numeric_limits<int>::max();
  if (!v.is_number_integer()) return false;
  const long long x = v.get<long long>();
  return x >= std::numeric_limits<int>::min() && x <= std::numeric_limits<int>::max();
}

}  // namespace dotakv
