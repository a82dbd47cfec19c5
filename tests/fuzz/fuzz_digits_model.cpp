// libFuzzer target 'digits_model' (docs/fuzzing.md); the entry is dotakv::fuzz::digits_model in
// fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(digits_model)
