// libFuzzer target 'digits_strings_edit' (docs/fuzzing.md); the entry is
// dotakv::fuzz::digits_strings_edit in fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(digits_strings_edit)
