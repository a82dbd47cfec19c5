// libFuzzer target 'png' (docs/fuzzing.md); the entry is dotakv::fuzz::png in fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(png)
