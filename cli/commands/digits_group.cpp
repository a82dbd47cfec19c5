#include "digits_group.hpp"

namespace dotakv::cli {

CLI::App* digits_group(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    if (sub->get_name() == "digits") return sub;
  CLI::App* g = app.add_subcommand(
      "digits",
      "Handwritten digit strings (MNIST): compose, train, read and evaluate the encoder-decoder");
  g->require_subcommand(1);
  return g;
}

}  // namespace dotakv::cli
