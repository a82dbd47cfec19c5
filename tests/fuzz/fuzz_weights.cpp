// libFuzzer target 'weights' (docs/fuzzing.md); the entry is dotakv::fuzz::weights in
// fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(weights)
