// libFuzzer target 'case_file' (docs/fuzzing.md); the entry is dotakv::fuzz::case_file in
// fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(case_file)
