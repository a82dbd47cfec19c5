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
// Runs the built `dotakv` binary with `args` (timeout in ms; then SIGKILL and err "timed out"),
// stdin from /dev/null, and captures stdout and stderr. exit_code is -1 when the child died of a
// signal. posix_spawn rather than QProcess: under ThreadSanitizer (scripts/test_tsan.sh) Qt's
// forkfd goes through TSan's clone interceptor, which aborts in its ForkAfter CHECK.
CliResult run_cli(const QStringList& args, int timeout_ms = 300000);
// Absolute path of a file in the source tree, e.g. source_path("resources/models/default.h5").
std::string source_path(const std::string& relative);
// max |a_i| and max |a_i - b_i| over two volumes of the same grid (for tolerance checks
// expressed relative to the dose maximum).
double max_abs(const Volume& a);
double max_diff(const Volume& a, const Volume& b);

}  // namespace dotakv::test
