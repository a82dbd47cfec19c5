#include "lm_group.hpp"

namespace dotakv::cli {

CLI::App* lm_group(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    if (sub->get_name() == "lm") return sub;
  CLI::App* g = app.add_subcommand(
      "lm", "Language model (Brown Corpus): corpus, tokenizer, training, perplexity");
  g->require_subcommand(1);
  return g;
}

}  // namespace dotakv::cli
