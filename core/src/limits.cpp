#include "dotakv/limits.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "dotakv/error.hpp"

namespace dotakv {

std::uint64_t parse_byte_size(const std::string& text) {
  if (text.empty()) return 0;
  std::size_t i = 0;
  std::uint64_t v = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    const std::uint64_t d = std::uint64_t(text[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return 0;
    v = v * 10 + d;
    ++i;
  }
  if (i == 0) return 0;
  int shift = 0;
  if (i < text.size()) {
    switch (text[i]) {
      case 'K':
      case 'k':
        shift = 10;
        break;
      case 'M':
      case 'm':
        shift = 20;
        break;
      case 'G':
      case 'g':
        shift = 30;
        break;
      case 'T':
      case 't':
        shift = 40;
        break;
      default:
        return 0;
    }
    ++i;
    if (i < text.size() && (text[i] == 'i' || text[i] == 'I')) ++i;
    if (i < text.size() && (text[i] == 'B' || text[i] == 'b')) ++i;
    if (i != text.size()) return 0;
  }
  if (shift && v > (UINT64_MAX >> shift)) return 0;
  return v << shift;
}

std::uint64_t memory_cap_bytes() {
  static const std::uint64_t cap = [] {
    if (const char* env = std::getenv("DOTAKV_MEMORY_LIMIT"))
      if (const std::uint64_t v = parse_byte_size(env)) return v;
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page <= 0) return std::uint64_t(4) << 30;
    return std::uint64_t(pages) * std::uint64_t(page) / 2;
  }();
  return cap;
}

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  while (bytes >= 1024.0 && u < 6) {
    bytes /= 1024.0;
    ++u;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
  return buf;
}

void require_memory(const std::vector<std::uint64_t>& shape, std::uint64_t elem_bytes,
                    const std::string& what) {
  const std::uint64_t cap = memory_cap_bytes();
  std::uint64_t bytes = elem_bytes;
  double approx = double(elem_bytes);
  bool overflow = false;
  std::vector<long long> dims;
  for (std::uint64_t d : shape) {
    dims.push_back((long long)d);
    approx *= double(d);
    if (d && bytes > UINT64_MAX / d)
      overflow = true;
    else
      bytes *= d;
  }
  if (overflow || bytes > cap)
    throw ResourceError(what + ": claims " + shape_string(dims) + " x " +
                        std::to_string(elem_bytes) + " B = " + format_bytes(approx) +
                        ", more than the memory cap " + format_bytes(double(cap)) +
                        " (set DOTAKV_MEMORY_LIMIT to change it)");
}

void require_volume_axes(const std::vector<std::uint64_t>& extents, const std::string& what) {
  for (std::uint64_t e : extents)
    if (e == 0 || e > kMaxVolumeAxis) {
      std::vector<long long> dims(extents.begin(), extents.end());
      throw ShapeError(what + ": every extent must be in 1.." + std::to_string(kMaxVolumeAxis) +
                       ", found " + shape_string(dims));
    }
}

}  // namespace dotakv
