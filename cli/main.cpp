// dotakv — command-line front end of the dotakv engine. See `dotakv --help`.
#include <H5Cpp.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
#include <sstream>

#include "command.hpp"
#include "dotakv/build_info.hpp"
#include "dotakv/error.hpp"
#include "dotakv/gamma.hpp"

namespace dotakv::cli {

std::vector<CommandSetup>& command_registry() {
  static std::vector<CommandSetup> registry;
  return registry;
}

std::vector<int> parse_int_list(const std::string& text, const std::string& option) {
  std::vector<int> out;
  for (const auto& item : parse_string_list(text)) {
    try {
      size_t used = 0;
      int v = std::stoi(item, &used);
      if (used != item.size()) throw std::invalid_argument(item);
      out.push_back(v);
    } catch (const std::exception&) {
      throw ValueError(option + ": expected a comma-separated list of integers, found '" + item +
                       "'");
    }
  }
  if (out.empty()) throw ValueError(option + ": empty list");
  return out;
}

std::vector<std::string> parse_string_list(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

namespace {
bool progress_line_open = false;
}

void progress_printf(const char* format, ...) {
  std::va_list args;
  va_start(args, format);
  std::vfprintf(stderr, format, args);
  va_end(args);
  const std::size_t n = std::strlen(format);
  progress_line_open = !(n > 0 && format[n - 1] == '\n');
}

void end_progress_line() {
  if (progress_line_open) std::fputc('\n', stderr);
  progress_line_open = false;
}

CLI::Validator percent_validator() {
  return CLI::Validator(
      [](std::string& text) {
        try {
          std::ostringstream os;
          os << physics::parse_threshold_percent(text, "value");
          text = os.str();  // "10%" -> "10" for the numeric conversion
          return std::string();
        } catch (const Error& e) {
          return std::string(e.what());
        }
      },
      "PERCENT");
}

}  // namespace dotakv::cli

int main(int argc, char** argv) {
  H5::Exception::dontPrint();
  CLI::App app{"dotakv — DoTA proton dose transformer with KV caching"};
  app.set_version_flag(
      "--version", dotakv::build_info().version + " (" + dotakv::build_info().git_revision + ")");
  app.require_subcommand(1);
  for (auto& setup : dotakv::cli::command_registry()) setup(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help/--version exit 0; every other parse or validation error is a usage error (2).
    dotakv::cli::end_progress_line();
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const dotakv::cli::UsageError& e) {
    dotakv::cli::end_progress_line();
    std::cerr << "dotakv: error: " << e.what() << "\n";
    return 2;
  } catch (const dotakv::Cancelled&) {
    dotakv::cli::end_progress_line();
    std::cerr << "dotakv: cancelled\n";
    return 130;
  } catch (const dotakv::Error& e) {
    dotakv::cli::end_progress_line();
    std::cerr << "dotakv: error: " << e.what() << "\n";
    return 1;
  } catch (const H5::Exception& e) {
    dotakv::cli::end_progress_line();
    std::cerr << "dotakv: error: HDF5: " << e.getDetailMsg() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    dotakv::cli::end_progress_line();
    std::cerr << "dotakv: error: out of memory (an input asks for more memory than is available)\n";
    return 1;
  } catch (const std::exception& e) {
    dotakv::cli::end_progress_line();
    std::cerr << "dotakv: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
