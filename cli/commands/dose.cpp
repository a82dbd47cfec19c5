// `dotakv dose --engine mc|pba --ct CASE.h5 [--energy MeV] [--primaries N] [--seed S]`:
// computes a reference dose and adds it to the case file as doses/<name> (atomic rewrite).
// The MC also stores its batch standard error as doses/<name>_stderr.
#include <cstdio>
#include <mutex>

#include "command.hpp"
#include "dotakv/case_file.hpp"
#include "dotakv/error.hpp"
#include "dotakv/materials.hpp"
#include "dotakv/mc.hpp"
#include "dotakv/pba.hpp"

namespace {

struct DoseArgs {
  std::string engine = "mc", ct, name, out;
  double energy = 0.0, sigma = 3.0, spread = 0.008;
  long long primaries = 100000;
  uint64_t seed = 1;
  int threads = 0, batches = 20;
  bool to_water = false, json = false, quiet = false;
};

void setup_dose(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("dose", "Compute a Monte Carlo or pencil-beam dose into a case file");
  auto a = std::make_shared<DoseArgs>();
  cmd->add_option("--engine", a->engine, "mc|pba")->capture_default_str();
  cmd->add_option("--ct", a->ct, "Case file (.h5) holding the CT")->required();
  cmd->add_option("--energy", a->energy, "Beam energy, MeV (default: the case's energy_mev)");
  cmd->add_option("--primaries", a->primaries, "MC primaries")->capture_default_str();
  cmd->add_option("--seed", a->seed, "MC seed")->capture_default_str();
  cmd->add_option("--name", a->name, "Dose name in the case (default: the engine name)");
  cmd->add_option("--out", a->out, "Write the result to this case file instead of --ct");
  cmd->add_option("--sigma", a->sigma, "Spot sigma, mm")->capture_default_str();
  cmd->add_option("--energy-spread", a->spread, "Relative energy spread (sigma)")
      ->capture_default_str();
  cmd->add_option("--threads", a->threads, "Threads (0: all)")->capture_default_str();
  cmd->add_option("--batches", a->batches, "MC statistical batches")->capture_default_str();
  cmd->add_flag("--dose-to-water", a->to_water, "Score dose to water instead of dose to medium");
  cmd->add_flag("--json", a->json, "Print a JSON summary");
  cmd->add_flag("--quiet", a->quiet, "No progress on stderr");
  cmd->callback([a] {
    namespace ph = dotakv::physics;
    if (a->engine != "mc" && a->engine != "pba")
      throw dotakv::ValueError("--engine: expected mc or pba, found '" + a->engine + "'");
    dotakv::Case c = dotakv::load_case(a->ct);
    const double energy = a->energy != 0.0 ? a->energy : c.energy_mev;
    if (!(energy > 0.0 && energy <= ph::kTableMaxEnergyMeV))
      throw dotakv::ValueError("--energy: expected (0, 300] MeV, found " + std::to_string(energy));
    if (a->engine == "mc" && a->primaries <= 0)
      throw dotakv::ValueError("--primaries: must be > 0, found " + std::to_string(a->primaries));
    const std::string name = a->name.empty() ? a->engine : a->name;
    nlohmann::json summary = {{"engine", a->engine}, {"energy_mev", energy}, {"name", name}};
    dotakv::Dose d;
    if (a->engine == "mc") {
      ph::McOptions o;
      o.energy_mev = energy;
      o.primaries = a->primaries;
      o.seed = a->seed;
      o.spot_sigma_mm = a->sigma;
      o.energy_spread = a->spread;
      o.dose_to_water = a->to_water;
      o.threads = a->threads;
      o.batches = a->batches;
      std::mutex mu;
      dotakv::Progress progress([&](double done, double total, const std::string&) {
        if (a->quiet) return;
        std::lock_guard<std::mutex> lock(mu);
        dotakv::cli::progress_printf("\rmc: %5.1f %%", 100.0 * done / total);
        std::fflush(stderr);
      });
      ph::McResult r = ph::run_mc(c.ct, o, &progress);
      if (!a->quiet) dotakv::cli::progress_printf("\rmc: 100.0 %%\n");
      d.volume = std::move(r.dose);
      d.attributes = {{"engine", "mc"},
                      {"primaries", a->primaries},
                      {"seed", (long long)a->seed},
                      {"energy_mev", energy},
                      {"spot_sigma_mm", a->sigma},
                      {"energy_spread", a->spread},
                      {"dose_to_water", a->to_water},
                      {"batches", o.batches},
                      {"threads", r.threads},
                      {"seconds", r.seconds},
                      {"units", "Gy per primary"}};
      dotakv::Dose u;
      u.volume = std::move(r.uncertainty);
      u.attributes = {{"engine", "mc"},
                      {"quantity", "standard_error"},
                      {"of", name},
                      {"units", "Gy per primary"}};
      c.doses[name + "_stderr"] = std::move(u);
      summary["seconds"] = r.seconds;
      summary["primaries_per_second"] = double(r.primaries) / std::max(r.seconds, 1e-9);
      summary["steps"] = r.steps;
      summary["threads"] = r.threads;
      summary["max_dose_rel_uncertainty"] = r.max_dose_rel_uncertainty;
      summary["energy_mev_per_primary"] = {{"incident", r.incident_mev},
                                           {"deposited", r.deposited_mev},
                                           {"escaped", r.escaped_mev},
                                           {"neutral", r.neutral_mev}};
    } else {
      ph::PbaOptions o;
      o.energy_mev = energy;
      o.spot_sigma_mm = a->sigma;
      o.energy_spread = a->spread;
      o.dose_to_water = a->to_water;
      d.volume = ph::run_pba(c.ct, o);
      d.attributes = {{"engine", "pba"},
                      {"energy_mev", energy},
                      {"spot_sigma_mm", a->sigma},
                      {"energy_spread", a->spread},
                      {"dose_to_water", a->to_water},
                      {"units", "Gy per primary"}};
    }
    d.volume.spacing_mm = c.ct.spacing_mm;
    c.doses[name] = std::move(d);
    const std::string out = a->out.empty() ? a->ct : a->out;
    dotakv::save_case(c, out);
    summary["out"] = out;
    if (a->json)
      dotakv::cli::print_json(summary);
    else
      std::cout << "wrote doses/" << name << " (" << a->engine << ", " << energy << " MeV) to "
                << out << "\n";
  });
}
DOTAKV_REGISTER_COMMAND(setup_dose);

}  // namespace
