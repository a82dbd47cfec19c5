// libFuzzer target 'calibration' (docs/fuzzing.md); the entry is dotakv::fuzz::calibration in
// fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(calibration)
