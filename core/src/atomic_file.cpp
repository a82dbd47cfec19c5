#include "dotakv/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "dotakv/error.hpp"

namespace dotakv {

namespace fs = std::filesystem;

namespace {

std::string errno_text(int e) {
  return std::strerror(e);
}

std::string directory_of(const std::string& path) {
  const fs::path dir = fs::path(path).parent_path();
  return dir.empty() ? std::string(".") : dir.string();
}

// fsync(2) of a file or directory by name. Directories: best effort (some file systems refuse).
int sync_path(const std::string& p, bool directory) {
  const int fd = ::open(p.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return errno;
  int e = 0;
  while (::fsync(fd) != 0) {
    if (errno == EINTR) continue;
    if (!(directory && (errno == EINVAL || errno == EROFS))) e = errno;
    break;
  }
  ::close(fd);
  return e;
}

}  // namespace

void check_room_for(const std::string& path, std::uintmax_t bytes) {
  auto mb = [](std::uintmax_t b) {
    return b < 10000000 ? std::to_string((b + 999) / 1000) + " kB"
                        : std::to_string((b + 999999) / 1000000) + " MB";
  };
  rlimit r{};
  if (::getrlimit(RLIMIT_FSIZE, &r) == 0 && r.rlim_cur != RLIM_INFINITY && bytes > r.rlim_cur)
    throw IoError(path + ": write failed: needs about " + mb(bytes) +
                  ", more than the file-size limit of " + mb(r.rlim_cur) + " (File too large)");
  struct statvfs st {};
  const std::string dir = directory_of(path);
  if (::statvfs(dir.c_str(), &st) == 0) {
    const std::uintmax_t avail = std::uintmax_t(st.f_bavail) * st.f_frsize;
    if (bytes > avail)
      throw IoError(path + ": write failed: needs about " + mb(bytes) + ", " + mb(avail) +
                    " free in " + dir + " (No space left on device)");
  }
}

std::string temporary_path(const std::string& path) {
  return path + ".tmp-" + std::to_string(::getpid());
}

int remove_stale_temporaries(const std::string& path) {
  const std::string base = fs::path(path).filename().string() + ".tmp-";
  int removed = 0;
  std::error_code ec;
  for (auto it = fs::directory_iterator(directory_of(path), ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, base.size(), base) != 0) continue;
    std::size_t i = base.size(), end = i;
    while (end < name.size() && end - i < 10 && name[end] >= '0' && name[end] <= '9') ++end;
    // "<name>.tmp-<pid>" or a nested "<name>.tmp-<pid>.tmp-<pid>" (a writer that itself writes
    // atomically into the temporary), nothing else
    if (end == i || (end != name.size() && name.compare(end, 5, ".tmp-") != 0)) continue;
    const long pid = std::stol(name.substr(i, end - i));
    if (pid <= 0 || pid == long(::getpid())) continue;
    if (::kill(pid_t(pid), 0) == 0 || errno != ESRCH) continue;  // its writer may still run
    std::error_code rm;
    if (fs::remove(it->path(), rm)) ++removed;
  }
  return removed;
}

void write_atomically(const std::string& path,
                      const std::function<void(const std::string&)>& write) {
  remove_stale_temporaries(path);
  const std::string tmp = temporary_path(path);
  // Create the temporary first, so an unwritable directory is reported as such by every writer.
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int e = errno;
    throw IoError(path + ": cannot write: cannot create a file in " + directory_of(path) + " (" +
                  errno_text(e) + ")");
  }
  ::close(fd);
  try {
    write(tmp);
    // Durable before it is visible: the data reaches the disk, then the rename.
    if (const int e = sync_path(tmp, false); e != 0)
      throw IoError(path + ": write failed (fsync: " + errno_text(e) + ")");
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    std::error_code ec;
    fs::remove(tmp, ec);
    throw IoError(path + ": cannot replace file (rename from temporary failed: " + errno_text(e) +
                  ")");
  }
  sync_path(directory_of(path), true);  // the rename itself survives a power loss
}

void write_text_atomically(const std::string& path, const std::string& content) {
  write_atomically(path, [&](const std::string& tmp) {
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
      const int e = errno;
      throw IoError(path + ": cannot open for writing (" + errno_text(e) + ")");
    }
    std::size_t done = 0;
    while (done < content.size()) {
      const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int e = n < 0 ? errno : EIO;
        ::close(fd);
        throw IoError(path + ": write failed (" + errno_text(e) + ")");
      }
      done += std::size_t(n);
    }
    if (::close(fd) != 0) {
      const int e = errno;
      throw IoError(path + ": write failed (close: " + errno_text(e) + ")");
    }
  });
}

}  // namespace dotakv
