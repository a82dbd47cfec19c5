// `dotakv evaluate --model W.h5 --data TEST.h5 [--json]`: gamma pass rates (DoTA protocol and a
// per-sample clinical variant), errors and timings of the model and of the PBA against the MC
// doses of a dataset, overall, per phantom kind and per energy band (train/evaluate.hpp).
#include <cstdio>

#include "command.hpp"
#include "dotakv/atomic_file.hpp"
#include "dotakv/error.hpp"
#include "dotakv/train/evaluate.hpp"

namespace {

struct EvaluateArgs {
  std::string model, data, json_out;
  int max_samples = 0, threads = 0;
  bool json = false, samples = false, no_pba = false, quiet = false, tta = false;
};

void setup_evaluate(CLI::App& app) {
  auto* cmd = app.add_subcommand("evaluate", "Gamma pass rates of a model (and the PBA) vs MC");
  auto a = std::make_shared<EvaluateArgs>();
  cmd->add_option("--model", a->model, "Weights file (.h5)")->required();
  cmd->add_option("--data", a->data, "Test dataset (.h5)")->required();
  cmd->add_option("--max-samples", a->max_samples, "Evaluate the first N samples (0: all)")
      ->capture_default_str();
  cmd->add_option("--threads", a->threads, "Threads (0: all cores)")->capture_default_str();
  cmd->add_flag("--tta", a->tta, "Average the model over the 4 lateral quarter turns");
  cmd->add_flag("--no-pba", a->no_pba, "Skip the pencil-beam comparison");
  cmd->add_flag("--json", a->json, "Print JSON");
  cmd->add_option("--json-out", a->json_out, "Also write the JSON (with per-sample scores) here");
  cmd->add_flag("--samples", a->samples, "Include per-sample scores in the JSON");
  cmd->add_flag("--quiet", a->quiet, "No progress on stderr");
  cmd->callback([a] {
    namespace tr = dotakv::train;
    auto model = dotakv::Model::load_shared(a->model);
    tr::EvaluateOptions o;
    o.max_samples = a->max_samples;
    o.threads = a->threads;
    o.pba = !a->no_pba;
    o.rotation_average = a->tta;
    dotakv::Progress progress([a](double done, double total, const std::string& msg) {
      if (a->quiet) return;
      dotakv::cli::progress_printf("\r%s (%.0f%%)   ", msg.c_str(),
                                   100.0 * done / std::max(total, 1.0));
      std::fflush(stderr);
    });
    const auto r = tr::evaluate(model, a->data, o, &progress);
    if (!a->quiet) std::fprintf(stderr, "\n");
    if (!a->json_out.empty())
      dotakv::write_text_atomically(a->json_out, r.to_json(true).dump(2) + "\n");
    if (a->json)
      dotakv::cli::print_json(r.to_json(a->samples));
    else
      std::cout << r.to_text();
  });
}
DOTAKV_REGISTER_COMMAND(setup_evaluate);

}  // namespace
