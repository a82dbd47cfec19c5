// Atomic file writes: write to "<path>.tmp-<pid>" in the same directory, flush, then rename
// over <path>. A failure or kill leaves the previous file intact, never a half-written one.
//
//   dotakv::write_atomically("out.h5", [](const std::string& tmp) { save_to(tmp); });
#pragma once
#include <functional>
#include <string>

namespace dotakv {

// Calls write(tmp_path), then renames tmp_path to path. If write throws, the temporary file is
// removed and the exception propagates; `path` is untouched. Throws IoError if the rename fails.
void write_atomically(const std::string& path,
                      const std::function<void(const std::string&)>& write);

// Convenience: atomically replace `path` with `content`.
void write_text_atomically(const std::string& path, const std::string& content);

}  // namespace dotakv
