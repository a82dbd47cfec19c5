// `dotakv phantom --kind water|slab|lateral|random --seed S --out CASE.h5`: writes a case file
// with a synthetic CT (HU) and the beam energy; no doses yet (see `dotakv dose`).
#include "dotakv/phantom.hpp"
#include "command.hpp"
#include "dotakv/case_file.hpp"
#include "dotakv/error.hpp"
#include "dotakv/materials.hpp"

namespace {

struct PhantomArgs {
  std::string kind = "water", out;
  uint64_t seed = 0;
  double energy = 150.0, spacing = 2.0, noise = 20.0;
  int slices = 150, rows = 24, cols = 24;
  bool json = false;
};

void setup_phantom(CLI::App& app) {
  auto* cmd = app.add_subcommand("phantom", "Generate a synthetic CT phantom as a case file");
  auto a = std::make_shared<PhantomArgs>();
  cmd->add_option("--kind", a->kind, "water|slab|lateral|random")->capture_default_str();
  cmd->add_option("--seed", a->seed, "Random seed (reproducible)")->capture_default_str();
  cmd->add_option("--out", a->out, "Output case file (.h5)")->required();
  cmd->add_option("--energy", a->energy, "Beam energy stored in the case, MeV")
      ->capture_default_str();
  cmd->add_option("--slices", a->slices, "Slices along the beam")->capture_default_str();
  cmd->add_option("--rows", a->rows, "Lateral rows")->capture_default_str();
  cmd->add_option("--cols", a->cols, "Lateral columns")->capture_default_str();
  cmd->add_option("--spacing", a->spacing, "Voxel size, mm")->capture_default_str();
  cmd->add_option("--noise", a->noise, "HU noise sigma (random kind)")->capture_default_str();
  cmd->add_flag("--json", a->json, "Print a JSON summary");
  cmd->callback([a] {
    namespace ph = dotakv::physics;
    if (!(a->energy > 0.0) || a->energy > ph::kTableMaxEnergyMeV)
      throw dotakv::ValueError("--energy: expected (0, 300] MeV, found " +
                               std::to_string(a->energy));
    ph::PhantomOptions o;
    o.kind = ph::parse_phantom_kind(a->kind);
    o.seed = a->seed;
    o.slices = a->slices;
    o.rows = a->rows;
    o.cols = a->cols;
    o.spacing_mm = a->spacing;
    o.noise_hu = a->noise;
    dotakv::Case c;
    c.ct = ph::make_phantom(o);
    c.energy_mev = a->energy;
    dotakv::save_case(c, a->out);
    const nlohmann::json j = {{"out", a->out},
                              {"kind", a->kind},
                              {"seed", a->seed},
                              {"shape", {o.slices, o.rows, o.cols}},
                              {"spacing_mm", o.spacing_mm},
                              {"energy_mev", a->energy}};
    if (a->json)
      dotakv::cli::print_json(j);
    else
      std::cout << "wrote " << a->out << ": " << a->kind << " phantom " << o.slices << "x" << o.rows
                << "x" << o.cols << ", " << o.spacing_mm << " mm, seed " << a->seed << "\n";
  });
}
DOTAKV_REGISTER_COMMAND(setup_phantom);

}  // namespace
