#include "test_support.hpp"

#include <QProcess>

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

}  // namespace dotakv::test
