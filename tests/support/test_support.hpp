// Helpers shared by the QtTest executables: temporary directories, running the `dotakv` CLI.
#pragma once
#include <QString>
#include <QStringList>
#include <string>

#include "dotakv/volume.hpp"

namespace dotakv::test {

struct CliResult {
  int exit_code = -1;
  QString out;
  QString err;
};
// Runs the built `dotakv` binary with `args` (timeout in ms) and captures its output.
CliResult run_cli(const QStringList& args, int timeout_ms = 300000);
// Absolute path of a file in the source tree, e.g. source_path("resources/models/default.h5").
std::string source_path(const std::string& relative);
// max |a_i| and max |a_i - b_i| over two volumes of the same grid (for tolerance checks
// expressed relative to the dose maximum).
double max_abs(const Volume& a);
double max_diff(const Volume& a, const Volume& b);

}  // namespace dotakv::test
