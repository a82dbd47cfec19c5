// Atomic file writes: write to "<path>.tmp-<pid>" in the same directory, fsync it, rename it
// over <path>, fsync the directory. A failure or kill leaves the previous file intact, never a
// half-written one. A kill (SIGKILL, power loss) can leave "<path>.tmp-<pid>" behind: the next
// write of <path> removes those whose process is gone (docs/kill_safety.md).
//
//   dotakv::write_atomically("out.h5", [](const std::string& tmp) { save_to(tmp); });
#pragma once
#include <cstdint>
#include <functional>
#include <string>

namespace dotakv {

// Calls write(tmp_path) on an empty temporary file, fsyncs it, then renames tmp_path to path.
// If write throws, the temporary file is removed and the exception propagates; `path` is
// untouched. Throws IoError naming `path` (and the system's reason) if the temporary cannot be
// created in the directory, fsync fails or the rename fails. `write` must report its own write
// errors (close HDF5 files / check streams inside it: an error swallowed by a destructor would
// publish a truncated file).
void write_atomically(const std::string& path,
                      const std::function<void(const std::string&)>& write);

// Convenience: atomically replace `path` with `content` (errors name `path` and the reason).
void write_text_atomically(const std::string& path, const std::string& content);

// Throws IoError naming `path` when writing about `bytes` there would exceed this process's
// file-size limit (RLIMIT_FSIZE) or the free space of its directory. For writers that stream
// large HDF5 files to disk, where a failed write cannot be recovered cleanly (HDF5 1.10).
void check_room_for(const std::string& path, std::uintmax_t bytes);

// "<path>.tmp-<this pid>": the temporary write_atomically uses.
std::string temporary_path(const std::string& path);

// Removes "<path>.tmp-<pid>" files (and nested "<path>.tmp-<pid>.tmp-<pid>") left by killed
// writers: those whose pid is not a running process. Returns how many it removed. Called by
// write_atomically; call it for outputs a run may not rewrite (e.g. best.h5).
int remove_stale_temporaries(const std::string& path);

}  // namespace dotakv
