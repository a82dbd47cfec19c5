#include "h5_memory_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <vector>

#include "dotakv/error.hpp"

namespace dotakv::h5mem {

namespace {
H5::FileAccPropList core_fapl() {
  H5::FileAccPropList fapl;
  fapl.setCore(std::size_t(1) << 20, false);  // grow by 1 MiB, never written by HDF5
  return fapl;
}
}  // namespace

H5::H5File create() {
  static std::atomic<unsigned long> counter{0};
  // the name only identifies the file among open ones
  const std::string name =
      "dotakv-memory-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".h5";
  return H5::H5File(name, H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, core_fapl());
}

H5::H5File open_rdwr(const std::string& path) {
  return H5::H5File(path, H5F_ACC_RDWR, H5::FileCreatPropList::DEFAULT, core_fapl());
}

void write_image(H5::H5File& f, const std::string& tmp, const std::string& path) {
  f.flush(H5F_SCOPE_GLOBAL);
  const ssize_t size = H5Fget_file_image(f.getId(), nullptr, 0);
  if (size < 0) throw IoError(path + ": write failed (cannot serialize the HDF5 file)");
  std::vector<char> image(static_cast<std::size_t>(size));
  if (H5Fget_file_image(f.getId(), image.data(), image.size()) != size)
    throw IoError(path + ": write failed (cannot serialize the HDF5 file)");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int e = errno;
    throw IoError(path + ": cannot open for writing (" + std::strerror(e) + ")");
  }
  std::size_t done = 0;
  while (done < image.size()) {
    const ssize_t n = ::write(fd, image.data() + done, image.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int e = n < 0 ? errno : EIO;
      ::close(fd);
      throw IoError(path + ": write failed (" + std::strerror(e) + ")");
    }
    done += std::size_t(n);
  }
  if (::close(fd) != 0) {
    const int e = errno;
    throw IoError(path + ": write failed (close: " + std::strerror(e) + ")");
  }
}

}  // namespace dotakv::h5mem
