// Sanitizer builds only (DOTAKV_SANITIZE, linked into every gui test): keeps Mesa's software GL
// driver mapped until the process ends. Mesa dlclose()s swrast_dri.so when the last GL context
// goes away; LeakSanitizer's exit-time scan then sees the driver's one-time allocations with
// "<unknown module>" frames that no suppression can name. Opened here with RTLD_NODELETE, the
// driver stays loaded, its frames symbolise, and tests/sanitizers/lsan.supp suppresses it by
// name (docs/reliability.md). A missing driver (another GL stack) is not an error.
#include <dlfcn.h>

namespace {
const bool gl_driver_pinned = [] {
  return dlopen("/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so", RTLD_NOW | RTLD_NODELETE) != nullptr;
}();
}  // namespace
