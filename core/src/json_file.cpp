#include "dotakv/json_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "dotakv/limits.hpp"

namespace dotakv {

std::string json_error_text(const std::string& message) {
  std::string m = message;
  if (m.rfind("[json.exception.", 0) == 0) {
    const auto close = m.find("] ");
    if (close != std::string::npos) m = m.substr(close + 2);
  }
  for (char& c : m)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
  return m;
}

std::string read_json_text(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw IoError(
        path + ": cannot open " + what +
        (std::filesystem::exists(path, ec) ? " (not a regular file)" : " (no such file)"));
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw IoError(path + ": cannot open " + what + " (" + ec.message() + ")");
  if (size > kMaxJsonFileBytes)
    throw ResourceError(path + ": " + what + " is " + format_bytes(double(size)) +
                        ", more than the " + format_bytes(double(kMaxJsonFileBytes)) +
                        " a JSON input may have");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open " + what);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw IoError(path + ": read failed for " + what);
  return text.str();
}

}  // namespace dotakv
