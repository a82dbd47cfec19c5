// fuzz_make_corpus OUT_DIR [TARGET...]: writes the seed corpus of every fuzz target (or the given
// ones) to OUT_DIR/<target>/seed_<k> — valid files written by the project's own writers
// (fuzz_entries.hpp). scripts/fuzz.sh runs it before fuzzing.
#include <cstdio>
#include <filesystem>

#include "fuzz_entries.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: fuzz_make_corpus OUT_DIR [TARGET...]\n");
    return 2;
  }
  dotakv::fuzz::initialize();
  const std::filesystem::path out = argv[1];
  for (const auto& t : dotakv::fuzz::targets()) {
    bool wanted = argc == 2;
    for (int i = 2; i < argc; ++i) wanted = wanted || t.name == std::string(argv[i]);
    if (!wanted) continue;
    std::filesystem::create_directories(out / t.name);
    const auto seeds = t.seeds();
    for (std::size_t k = 0; k < seeds.size(); ++k)
      dotakv::fuzz::write_bytes((out / t.name / ("seed_" + std::to_string(k))).string(), seeds[k]);
    std::printf("%-20s %zu seeds\n", t.name, seeds.size());
  }
  return 0;
}
