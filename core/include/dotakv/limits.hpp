// Resource limits: an input that claims a huge size is refused *before* anything is allocated.
//
// Every loader that sizes a buffer from a file (HDF5 dataset extents, config fields) first asks
// `require_memory`, which throws ResourceError naming the object, the claimed shape and bytes,
// and the cap. The cap is one number per process:
//   * default: half the machine's physical memory (sysconf), so a single claim can never push a
//     command into swap or the OOM killer;
//   * `DOTAKV_MEMORY_LIMIT` (environment) overrides it: bytes, or with a K/M/G/T suffix (binary
//     units), e.g. DOTAKV_MEMORY_LIMIT=2G. A malformed value is ignored with the default kept.
// The cap bounds one input object (a volume, a tensor, a batch), not the whole process; what
// each command holds at most is listed in docs/reliability.md. Volumes have a separate per-axis
// limit (kMaxVolumeAxis) because their extents are stored as int.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace dotakv {

// Largest extent of one axis of a Volume (slices, rows or cols) that a loader accepts.
inline constexpr std::uint64_t kMaxVolumeAxis = 65536;

// Bytes one input object may claim (see above). Read once per process.
std::uint64_t memory_cap_bytes();
// Parses "123", "512M", "2G", ... (binary units); returns 0 when malformed. For tests and the cap.
std::uint64_t parse_byte_size(const std::string& text);
// "4.0 GiB" style.
std::string format_bytes(double bytes);

// Throws ResourceError "<what>: claims <shape> x <elem_bytes> B = <bytes>, more than the memory
// cap <cap> (set DOTAKV_MEMORY_LIMIT to change it)" when the product overflows or exceeds the cap.
void require_memory(const std::vector<std::uint64_t>& shape, std::uint64_t elem_bytes,
                    const std::string& what);
// Same for any unsigned extent type (HDF5's hsize_t, size_t, ...).
template <class Extent>
void require_memory(const std::vector<Extent>& shape, std::uint64_t elem_bytes,
                    const std::string& what) {
  require_memory(std::vector<std::uint64_t>(shape.begin(), shape.end()), elem_bytes, what);
}
// Throws ShapeError unless every extent of a volume is in 1..kMaxVolumeAxis.
void require_volume_axes(const std::vector<std::uint64_t>& extents, const std::string& what);
template <class Extent>
void require_volume_axes(const std::vector<Extent>& extents, const std::string& what) {
  require_volume_axes(std::vector<std::uint64_t>(extents.begin(), extents.end()), what);
}

}  // namespace dotakv
