// libFuzzer target 'dataset' (docs/fuzzing.md); the entry is dotakv::fuzz::dataset in
// fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(dataset)
