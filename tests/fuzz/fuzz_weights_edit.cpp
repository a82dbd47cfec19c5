// libFuzzer target 'weights_edit' (docs/fuzzing.md); the entry is dotakv::fuzz::weights_edit in
// fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(weights_edit)
