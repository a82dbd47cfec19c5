// libFuzzer target 'auto_policy' (docs/fuzzing.md); the entry is dotakv::fuzz::auto_policy in
// fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(auto_policy)
