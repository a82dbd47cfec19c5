// Scoring text with a language model: total negative log-likelihood, bits per byte and token
// perplexity (`dotakv lm perplexity`, the trainer's validation). docs/lm.md.
//
//   auto m = LmModel::load_shared("run/model.h5");
//   auto tok = Tokenizer::load("run/tokenizer.model");
//   check_tokenizer(*m, tok, "run/tokenizer.model");
//   const std::string text = join_text(corpus.split(Split::val));
//   TextScore s = score_tokens(m, tok.encode(text), text.size(), tok.bos_id());
//   s.bits_per_byte();   // total -log2 p / UTF-8 bytes: comparable across tokenizers
//
// Windows: the ids are cut into consecutive windows of `context` tokens (the last may be
// shorter); window k holds x[kC .. kC+C-1] and is run as one causal prefill of
// [BOS, x[kC] .. x[kC+C-2]] in a fresh LmSession, so position i predicts x[kC+i] from BOS and
// the i tokens before it in the window. Every token of the text is scored exactly once, with
// 0 .. C-1 tokens of context (the training windows have the same form, lm/trainer.hpp).
// Windows run over OpenMP threads (one session each); the sums are added in window order, so
// the result does not depend on the thread count.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dotakv/lm/model.hpp"
#include "dotakv/lm/tokenizer.hpp"
#include "dotakv/progress.hpp"

namespace dotakv::lm {

struct TextScore {
  long long tokens = 0;  // tokens scored
  long long bytes = 0;   // UTF-8 bytes of the text they encode
  int windows = 0, context = 0;
  double nll_nats = 0;  // total -ln p over all tokens
  double seconds = 0;
  double nats_per_token() const { return tokens ? nll_nats / double(tokens) : 0.0; }
  double token_perplexity() const;  // exp(nats per token)
  double bits_per_byte() const;     // nll_nats / ln 2 / bytes
  nlohmann::json to_json() const;
};

// ValueError for no ids, bytes < 1, a context outside 1..max_context (0: max_context) or an id
// outside the model's vocabulary; Cancelled through `progress` (reported per window).
TextScore score_tokens(std::shared_ptr<const LmModel> model, const std::vector<int>& ids,
                       long long bytes, int bos, int context = 0, Progress* progress = nullptr);

// ConfigError "<what>: tokenizer of N pieces, the model's vocabulary is V" when they differ.
void check_tokenizer(const LmModel& model, const Tokenizer& tok, const std::string& what);

}  // namespace dotakv::lm
