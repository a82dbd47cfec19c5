// libFuzzer target 'model_config' (docs/fuzzing.md); the entry is dotakv::fuzz::model_config in
// fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(model_config)
