// libFuzzer target 'dataset_edit' (docs/fuzzing.md); the entry is dotakv::fuzz::dataset_edit in
// fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(dataset_edit)
