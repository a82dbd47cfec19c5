#include "test_support.hpp"

#include <QProcess>
#include <algorithm>
#include <cmath>

namespace dotakv::test {

CliResult run_cli(const QStringList& args, int timeout_ms) {
  QProcess p;
  p.start(QStringLiteral(DOTAKV_CLI_PATH), args);
  CliResult r;
  if (!p.waitForFinished(timeout_ms)) {
    p.kill();
    p.waitForFinished();
    r.err = QStringLiteral("timed out");
    return r;
  }
  r.exit_code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = QString::fromUtf8(p.readAllStandardOutput());
  r.err = QString::fromUtf8(p.readAllStandardError());
  return r;
}

std::string source_path(const std::string& relative) {
  return std::string(DOTAKV_SOURCE_DIR) + "/" + relative;
}

double max_abs(const Volume& a) {
  double m = 0;
  for (float x : a.data) m = std::max(m, double(std::fabs(x)));
  return m;
}

double max_diff(const Volume& a, const Volume& b) {
  double m = 0;
  for (std::size_t i = 0; i < a.data.size(); ++i)
    m = std::max(m, double(std::fabs(a.data[i] - b.data[i])));
  return m;
}

}  // namespace dotakv::test
