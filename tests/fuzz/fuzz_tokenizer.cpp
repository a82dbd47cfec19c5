// libFuzzer target 'tokenizer' (docs/fuzzing.md); the entry is dotakv::fuzz::tokenizer in
// fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(tokenizer)
