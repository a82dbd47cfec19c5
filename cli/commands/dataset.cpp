// `dotakv dataset --n N --energies 70:220 --primaries P --seed S --out DATA.h5`: generates (or
// completes) a training dataset of MC beamlets in mixed phantoms; progress with ETA on stderr.
#include <cstdio>

#include "command.hpp"
#include "dotakv/dataset.hpp"
#include "dotakv/error.hpp"

namespace {

struct DatasetArgs {
  int n = 100, threads = 0;
  std::string energies = "70:220", kinds = "water,slab,lateral,random", layout = "dotakv", out;
  long long primaries = 20000;
  uint64_t seed = 1;
  bool json = false, quiet = false;
};

void setup_dataset(CLI::App& app) {
  auto* cmd = app.add_subcommand("dataset", "Generate a resumable MC training dataset");
  auto a = std::make_shared<DatasetArgs>();
  cmd->add_option("--n", a->n, "Number of samples")->capture_default_str();
  cmd->add_option("--energies", a->energies, "Energy range MIN:MAX in MeV")->capture_default_str();
  cmd->add_option("--primaries", a->primaries, "MC primaries per sample")->capture_default_str();
  cmd->add_option("--seed", a->seed, "Dataset seed")->capture_default_str();
  cmd->add_option("--kinds", a->kinds, "Phantom kinds to mix")->capture_default_str();
  cmd->add_option("--layout", a->layout, "dotakv|dota")->capture_default_str();
  cmd->add_option("--threads", a->threads, "MC threads (0: all)")->capture_default_str();
  cmd->add_option("--out", a->out, "Output file (.h5)")->required();
  cmd->add_flag("--json", a->json, "Print a JSON summary");
  cmd->add_flag("--quiet", a->quiet, "No progress on stderr");
  cmd->callback([a] {
    namespace ph = dotakv::physics;
    ph::DatasetOptions o;
    o.n = a->n;
    const auto c = a->energies.find(':');
    try {
      if (c == std::string::npos) {
        o.energy_min = o.energy_max = std::stod(a->energies);
      } else {
        o.energy_min = std::stod(a->energies.substr(0, c));
        o.energy_max = std::stod(a->energies.substr(c + 1));
      }
    } catch (const std::exception&) {
      throw dotakv::ValueError("--energies: expected MIN:MAX in MeV, found '" + a->energies + "'");
    }
    o.primaries = a->primaries;
    o.seed = a->seed;
    o.threads = a->threads;
    o.kinds.clear();
    for (const auto& k : dotakv::cli::parse_string_list(a->kinds))
      o.kinds.push_back(ph::parse_phantom_kind(k));
    if (a->layout != "dotakv" && a->layout != "dota")
      throw dotakv::ValueError("--layout: expected dotakv or dota, found '" + a->layout + "'");
    o.dota_layout = a->layout == "dota";
    dotakv::Progress progress([a](double done, double total, const std::string& msg) {
      if (a->quiet) return;
      const int width = 30, fill = int(width * done / std::max(total, 1.0));
      dotakv::cli::progress_printf("\r[%s%s] %s   ", std::string(fill, '#').c_str(),
                                   std::string(width - fill, '.').c_str(), msg.c_str());
      std::fflush(stderr);
    });
    const auto s = ph::generate_dataset(o, a->out, &progress);
    if (!a->quiet) std::fprintf(stderr, "\n");
    if (a->json)
      dotakv::cli::print_json({{"out", a->out},
                               {"n", s.n},
                               {"generated", s.generated},
                               {"reused", s.reused},
                               {"seconds", s.seconds}});
    else
      std::cout << "wrote " << a->out << ": " << s.n << " samples (" << s.generated
                << " generated, " << s.reused << " reused) in " << s.seconds << " s\n";
  });
}
DOTAKV_REGISTER_COMMAND(setup_dataset);

}  // namespace
