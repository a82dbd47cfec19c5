// libFuzzer target 'case_file_edit' (docs/fuzzing.md); the entry is dotakv::fuzz::case_file_edit in
// fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(case_file_edit)
