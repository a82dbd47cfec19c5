// libFuzzer target 'lm_model_edit' (docs/fuzzing.md); the entry is dotakv::fuzz::lm_model_edit in
// fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(lm_model_edit)
