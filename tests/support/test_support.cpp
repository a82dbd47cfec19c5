#include "test_support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>
#include <vector>

extern char** environ;

namespace dotakv::test {

CliResult run_cli(const QStringList& args, int timeout_ms) {
  CliResult r;
  std::vector<std::string> words{DOTAKV_CLI_PATH};
  for (const QString& a : args) words.push_back(a.toStdString());
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);

  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    r.err = QStringLiteral("pipe: %1").arg(std::strerror(errno));
    return r;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  close(err[1]);
  if (spawned != 0) {
    close(out[0]);
    close(err[0]);
    r.err = QStringLiteral("posix_spawn %1: %2").arg(argv[0], std::strerror(spawned));
    return r;
  }

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  const auto ms_left = [&] {
    return int(std::max<long long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                          deadline - std::chrono::steady_clock::now())
                                          .count()));
  };
  std::string captured[2];
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_pipes = 2;
  bool timed_out = false;
  while (open_pipes > 0) {
    const int left = ms_left();
    if (left == 0) {
      timed_out = true;
      break;
    }
    const int n = poll(fds, 2, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[65536];
      const ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        captured[i].append(buf, std::size_t(got));
      } else if (got == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;  // poll ignores negative descriptors
        --open_pipes;
      }
    }
  }
  int status = 0;
  while (!timed_out) {
    const pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) break;
    if (ms_left() == 0) timed_out = true;
    else std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (pollfd& f : fds)
    if (f.fd >= 0) close(f.fd);
  if (timed_out) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    r.err = QStringLiteral("timed out");
    return r;
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = QString::fromStdString(captured[0]);
  r.err = QString::fromStdString(captured[1]);
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
