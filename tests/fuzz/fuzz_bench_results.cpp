// libFuzzer target 'bench_results' (docs/fuzzing.md); the entry is dotakv::fuzz::bench_results in
// fuzz_entries.hpp.
#include "fuzz_entries.hpp"

DOTAKV_FUZZ_TARGET(bench_results)
