// The `dotakv digits ...` subcommand group (issue #16). Every digits subcommand (strings, and
// later train, read, evaluate) lives in its own cli/commands/digits_<name>.cpp or digits.cpp and
// attaches itself to the group through digits_group(app), so the files do not depend on the
// order in which the registry runs them.
#pragma once
#include <CLI/CLI.hpp>

namespace dotakv::cli {

// Returns the "digits" subcommand of `app`, creating it (one subcommand required) on first use.
CLI::App* digits_group(CLI::App& app);

}  // namespace dotakv::cli
