// `dotakv compare --ref A[:DOSE] --eval B[:DOSE] [--gamma 1%/3mm] [--local] [--threshold 10]
//  [--norm max|VALUE] [--json]`: gamma index, dose-difference statistics and range metrics.
// Defaults are physics::GammaDefaults (shared with the studio and `dotakv report`); the
// threshold is a percentage of the normalisation dose (0-100, else a usage error, exit 2).
#include <cstdio>

#include "command.hpp"
#include "dotakv/analysis.hpp"
#include "dotakv/case_file.hpp"
#include "dotakv/error.hpp"
#include "dotakv/gamma.hpp"

namespace {

struct CompareArgs {
  std::string ref, eval, gamma = dotakv::physics::GammaDefaults::criteria, norm = "max";
  double threshold_percent = dotakv::physics::GammaDefaults::threshold_percent;
  bool local = dotakv::physics::GammaDefaults::local, json = false;
  double max_gamma = dotakv::physics::GammaDefaults::max_gamma;
  int step_divisions = 10;
};

// "file.h5:name" or "file.h5" (then the case must hold exactly one dose, *_stderr ignored).
dotakv::Volume load_dose(const std::string& spec, std::string& label) {
  std::string path = spec, name;
  const auto colon = spec.rfind(':');
  if (colon != std::string::npos && colon + 1 < spec.size() &&
      spec.find(".h5", colon) == std::string::npos) {
    path = spec.substr(0, colon);
    name = spec.substr(colon + 1);
  }
  dotakv::Case c = dotakv::load_case(path);
  std::vector<std::string> names;
  for (const auto& [n, d] : c.doses)
    if (!(d.attributes.is_object() && d.attributes.value("quantity", "") == "standard_error"))
      names.push_back(n);
  if (name.empty()) {
    if (names.size() != 1) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      throw dotakv::ValueError(path + ": holds " + std::to_string(names.size()) + " doses (" +
                               list + "); name one as " + path + ":NAME");
    }
    name = names[0];
  }
  auto it = c.doses.find(name);
  if (it == c.doses.end()) throw dotakv::FormatError(path + ": no dose named '" + name + "'");
  label = path + ":" + name;
  return it->second.volume;
}

void setup_compare(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("compare", "Gamma index and dose-difference analysis of two doses");
  auto a = std::make_shared<CompareArgs>();
  cmd->add_option("--ref", a->ref, "Reference dose: CASE.h5[:NAME]")->required();
  cmd->add_option("--eval", a->eval, "Evaluated dose: CASE.h5[:NAME]")->required();
  cmd->add_option("--gamma", a->gamma, "Criteria, e.g. 1%/3mm")->capture_default_str();
  cmd->add_flag("--local", a->local, "Local dose difference (default global)");
  cmd->add_option("--threshold", a->threshold_percent,
                  "Low-dose threshold in % (0-100) of the normalisation dose")
      ->capture_default_str()
      ->transform(dotakv::cli::percent_validator());
  cmd->add_option("--norm", a->norm,
                  "Global normalisation: max (reference maximum) or a dose value")
      ->capture_default_str();
  cmd->add_option("--max-gamma", a->max_gamma, "Gamma cap (search radius = cap x DTA)")
      ->capture_default_str();
  cmd->add_option("--step-divisions", a->step_divisions, "Search step = DTA / this")
      ->capture_default_str();
  cmd->add_flag("--json", a->json, "Print JSON");
  cmd->callback([a] {
    namespace ph = dotakv::physics;
    ph::GammaOptions g;
    ph::parse_gamma_criteria(a->gamma, g);
    g.local = a->local;
    g.threshold_fraction = a->threshold_percent / 100.0;
    g.max_gamma = a->max_gamma;
    g.step_divisions = a->step_divisions;
    if (a->norm != "max") {
      try {
        size_t used = 0;
        g.norm_dose = std::stod(a->norm, &used);
        if (used != a->norm.size() || !(g.norm_dose > 0.0)) throw std::invalid_argument(a->norm);
      } catch (const std::exception&) {
        throw dotakv::ValueError("--norm: expected 'max' or a positive dose, found '" + a->norm +
                                 "'");
      }
    }
    std::string lr, le;
    const dotakv::Volume ref = load_dose(a->ref, lr);
    const dotakv::Volume ev = load_dose(a->eval, le);
    if (!ref.same_grid(ev))
      throw dotakv::ShapeError("compare: grids differ: " + lr + " " +
                               dotakv::shape_string({ref.slices, ref.rows, ref.cols}) + ", " + le +
                               " " + dotakv::shape_string({ev.slices, ev.rows, ev.cols}));
    const auto gr = ph::gamma_index(ref, ev, g);
    const auto dd = ph::dose_difference(ref, ev);
    const auto pos = ph::depth_positions_mm(ref);
    const auto mr = ph::depth_dose_metrics(ph::integrated_depth_dose(ref), pos);
    const auto me = ph::depth_dose_metrics(ph::integrated_depth_dose(ev), pos);
    auto metrics = [](const ph::DepthDoseMetrics& m) {
      return nlohmann::json{{"peak_depth_mm", m.peak_depth_mm},
                            {"r90_mm", m.r90_mm},
                            {"r80_mm", m.r80_mm},
                            {"falloff_80_20_mm", m.falloff_80_20_mm},
                            {"distal_found", m.distal_found}};
    };
    nlohmann::json j = {{"reference", lr},
                        {"evaluated", le},
                        {"gamma",
                         {{"dose_percent", g.dose_percent},
                          {"dta_mm", g.dta_mm},
                          {"local", g.local},
                          {"threshold_percent", 100 * g.threshold_fraction},
                          {"threshold_fraction", g.threshold_fraction},
                          {"norm_dose", gr.norm_dose},
                          {"max_gamma_cap", g.max_gamma},
                          {"pass_rate", gr.pass_rate},
                          {"pass_rate_dota", gr.pass_rate_dota},
                          {"evaluated_voxels", gr.evaluated},
                          {"mean", gr.mean_gamma},
                          {"max", gr.max_gamma},
                          {"histogram_bin_width", gr.histogram_bin_width},
                          {"histogram", gr.histogram}}},
                        {"dose_difference",
                         {{"max_abs", dd.max_abs},
                          {"mean_abs", dd.mean_abs},
                          {"max_abs_percent", dd.max_abs_percent},
                          {"mean_abs_percent", dd.mean_abs_percent},
                          {"rms", dd.rms},
                          {"high_dose_mean_rel_percent", dd.high_dose_mean_rel_percent},
                          {"high_dose_sum_rel_percent", dd.high_dose_sum_rel_percent},
                          {"ref_max", dd.ref_max},
                          {"eval_max", dd.eval_max}}},
                        {"depth_dose", {{"reference", metrics(mr)}, {"evaluated", metrics(me)}}}};
    if (a->json) {
      dotakv::cli::print_json(j);
      return;
    }
    std::printf(
        "gamma %g%%/%gmm %s, threshold %g%% of norm, norm %.4g: pass %.2f %% (%lld voxels), "
        "DoTA definition %.2f %%, mean %.3f, max %.3f (gamma capped at %.2f)\n",
        g.dose_percent, g.dta_mm, g.local ? "local" : "global", 100 * g.threshold_fraction,
        gr.norm_dose, gr.pass_rate, gr.evaluated, gr.pass_rate_dota, gr.mean_gamma, gr.max_gamma,
        g.max_gamma);
    std::printf(
        "dose difference: max %.3f %%, mean %.4f %% of ref max; high-dose mean rel %.2f %%\n",
        dd.max_abs_percent, dd.mean_abs_percent, dd.high_dose_mean_rel_percent);
    std::printf("depth dose: R80 ref %.2f mm eval %.2f mm; peak ref %.2f mm eval %.2f mm\n",
                mr.r80_mm, me.r80_mm, mr.peak_depth_mm, me.peak_depth_mm);
  });
}
DOTAKV_REGISTER_COMMAND(setup_compare);

}  // namespace
