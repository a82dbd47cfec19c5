// Build identity stamped at build time (version, git revision, compiler, flags).
#pragma once
#include <string>

namespace dotakv {
struct BuildInfo {
  std::string version;       // project version, e.g. "0.1.0"
  std::string git_revision;  // `git describe --always --dirty`, "unknown" outside a checkout
  std::string compiler;      // e.g. "GNU 12.2.0"
  std::string flags;         // optimisation and ISA flags the core was compiled with
  std::string build_type;    // Release, Debug, RelWithDebInfo
};
const BuildInfo& build_info();
}  // namespace dotakv
