// The `dotakv lm ...` subcommand group (issue #17, the language-model family). Each lm
// subcommand file (lm.cpp: corpus, tokenizer, tokenize; later train, generate, perplexity, ...)
// attaches itself to the group through lm_group(app), so the files do not depend on the order in
// which the registry runs them.
#pragma once
#include <CLI/CLI.hpp>

namespace dotakv::cli {

// Returns the "lm" subcommand of `app`, creating it (one subcommand required) on first use.
CLI::App* lm_group(CLI::App& app);

}  // namespace dotakv::cli
