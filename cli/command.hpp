// Subcommand registry for the `dotakv` CLI.
// Each cli/commands/<name>.cpp defines `void setup_<name>(CLI::App& app)` that adds one
// subcommand (options + callback) and registers it with DOTAKV_REGISTER_COMMAND(setup_<name>).
// Callbacks throw dotakv::Error (or CLI::Error) on failure; main() turns that into one line on
// stderr and a non-zero exit. Commands with --json print exactly one JSON document on stdout.
#pragma once
#include <functional>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace dotakv::cli {

// Progress on stderr: printf-style text, usually "\r..." without a newline. While such a line is
// open, end_progress_line() (called by main() before any error message) ends it, so that the
// error is always a line of its own.
void progress_printf(const char* format, ...) __attribute__((format(printf, 1, 2)));
void end_progress_line();

// A usage error found by a command's callback after parsing (e.g. a value out of range for the
// chosen --family): main() prints one line "dotakv: error: <message>" and exits 2, as for
// CLI11's own usage errors.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using CommandSetup = std::function<void(CLI::App&)>;
std::vector<CommandSetup>& command_registry();
inline bool register_command(CommandSetup setup) {
  command_registry().push_back(std::move(setup));
  return true;
}
// Prints a JSON document (pretty, 2 spaces) followed by a newline.
inline void print_json(const nlohmann::json& j) {
  std::cout << j.dump(2) << "\n";
}

// Parses "1,2,4" into integers / "fp32,fp16" into strings (for sweep options).
std::vector<int> parse_int_list(const std::string& text, const std::string& option);
std::vector<std::string> parse_string_list(const std::string& text);
// CLI11 transform for a percentage option (physics::parse_threshold_percent: 0-100, "%" optional;
// strips the "%" so the option can be a double).
// A bad value is a usage error: CLI11 reports it and main() exits 2.
CLI::Validator percent_validator();

}  // namespace dotakv::cli

#define DOTAKV_CONCAT_INNER(a, b) a##b
#define DOTAKV_CONCAT(a, b) DOTAKV_CONCAT_INNER(a, b)
#define DOTAKV_REGISTER_COMMAND(fn)                               \
  static const bool DOTAKV_CONCAT(dotakv_registered_, __LINE__) = \
      ::dotakv::cli::register_command(fn)
