// libFuzzer target 'checkpoint' (docs/fuzzing.md); the entry is dotakv::fuzz::checkpoint in
// fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(checkpoint)
