// libFuzzer target 'lm_model' (docs/fuzzing.md); the entry is dotakv::fuzz::lm_model in
// fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(lm_model)
