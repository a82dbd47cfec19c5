// libFuzzer target 'checkpoint_edit' (docs/fuzzing.md); the entry is dotakv::fuzz::checkpoint_edit
// in fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(checkpoint_edit)
