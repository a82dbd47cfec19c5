// `dotakv init --config full|compact|C.json --seed S --out W.h5`: seeded random weights.
#include "command.hpp"
#include "dotakv/model.hpp"

namespace {

void setup_init(CLI::App& app) {
  auto* cmd = app.add_subcommand("init", "Write a DoTA weights file with seeded random weights");
  struct Opts {
    std::string config = "full", out;
    std::uint64_t seed = 1;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("--config", o->config, "full | compact | path to a model config JSON")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Random seed")->capture_default_str();
  cmd->add_option("--out", o->out, "Weights file to write (HDF5)")->required();
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->callback([o] {
    const dotakv::ModelConfig cfg = dotakv::ModelConfig::from_name_or_file(o->config);
    dotakv::Model m = dotakv::Model::random(cfg, o->seed);
    m.set_description("random init, config " + o->config + ", seed " + std::to_string(o->seed));
    m.save(o->out);
    if (o->json) {
      dotakv::cli::print_json({{"out", o->out},
                               {"config", cfg.to_json()},
                               {"seed", o->seed},
                               {"parameters", cfg.parameter_count()}});
    } else {
      std::cout << "wrote " << o->out << ": " << cfg.parameter_count() << " parameters, config "
                << o->config << ", seed " << o->seed << "\n";
    }
  });
}
DOTAKV_REGISTER_COMMAND(setup_init);

}  // namespace
