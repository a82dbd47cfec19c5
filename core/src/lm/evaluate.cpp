#include "dotakv/lm/evaluate.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "dotakv/error.hpp"
#include "dotakv/lm/session.hpp"

namespace dotakv::lm {

double TextScore::token_perplexity() const {
  return std::exp(nats_per_token());
}
double TextScore::bits_per_byte() const {
  return bytes ? nll_nats / std::log(2.0) / double(bytes) : 0.0;
}
nlohmann::json TextScore::to_json() const {
  return {{"tokens", tokens},
          {"bytes", bytes},
          {"windows", windows},
          {"context", context},
          {"nll_nats", nll_nats},
          {"nats_per_token", nats_per_token()},
          {"bits_per_byte", bits_per_byte()},
          {"token_perplexity", token_perplexity()},
          {"bytes_per_token", tokens ? double(bytes) / double(tokens) : 0.0},
          {"seconds", seconds}};
}

void check_tokenizer(const LmModel& model, const Tokenizer& tok, const std::string& what) {
  if (tok.vocab_size() != model.config().vocab)
    throw ConfigError(what + ": tokenizer of " + std::to_string(tok.vocab_size()) +
                      " pieces, the model's vocabulary is " + std::to_string(model.config().vocab));
}

TextScore score_tokens(std::shared_ptr<const LmModel> model, const std::vector<int>& ids,
                       long long bytes, int bos, int context, Progress* progress) {
  const LmConfig& c = model->config();
  if (ids.empty()) throw ValueError("lm score: no tokens to score");
  if (bytes < 1) throw ValueError("lm score: the text has no bytes");
  if (context == 0) context = c.max_context;
  if (context < 1 || context > c.max_context)
    throw ValueError("lm score: context " + std::to_string(context) + ": expected 1.." +
                     std::to_string(c.max_context));
  if (bos < 0 || bos >= c.vocab) throw ValueError("lm score: BOS id outside the vocabulary");
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (ids[i] < 0 || ids[i] >= c.vocab)
      throw ValueError("lm score: token id " + std::to_string(ids[i]) + " at position " +
                       std::to_string(i) + " outside the vocabulary 0.." +
                       std::to_string(c.vocab - 1));
  const auto t0 = std::chrono::steady_clock::now();
  const long long N = (long long)ids.size();
  const int W = int((N + context - 1) / context);
  const int V = c.vocab;
  std::vector<double> nll(static_cast<std::size_t>(W), 0.0);
  const int threads = std::max(1, std::min(omp_get_max_threads(), W));
  std::exception_ptr failure;
  int done = 0;
  std::vector<std::unique_ptr<LmSession>> sessions;  // created here: nothing throws in the region
  std::vector<std::vector<int>> inputs(static_cast<std::size_t>(threads),
                                       std::vector<int>(static_cast<std::size_t>(context)));
  std::vector<std::vector<float>> outputs(static_cast<std::size_t>(threads),
                                          std::vector<float>(std::size_t(context) * V));
  for (int t = 0; t < threads; ++t) sessions.push_back(std::make_unique<LmSession>(model));
#pragma omp parallel num_threads(threads)
  {
    const int tid = omp_get_thread_num();
    LmSession& s = *sessions[std::size_t(tid)];
    std::vector<int>& in = inputs[std::size_t(tid)];
    std::vector<float>& logits = outputs[std::size_t(tid)];
#pragma omp for schedule(dynamic, 1)
    for (int w = 0; w < W; ++w) {
      if (failure) continue;
      try {
        const long long b = (long long)w * context;
        const int n = int(std::min<long long>(context, N - b));
        in[0] = bos;
        for (int i = 1; i < n; ++i) in[std::size_t(i)] = ids[std::size_t(b + i - 1)];
        s.reset();
        s.append(in.data(), n, logits.data());
        double sum = 0;
        for (int i = 0; i < n; ++i) {
          const float* lg = logits.data() + std::size_t(i) * V;
          const float mx = *std::max_element(lg, lg + V);
          double z = 0;
          for (int v = 0; v < V; ++v) z += std::exp(double(lg[v]) - mx);
          sum += double(mx) + std::log(z) - double(lg[ids[std::size_t(b + i)]]);
        }
        nll[std::size_t(w)] = sum;
#pragma omp critical(lm_score_progress)
        {
          ++done;
          if (progress && tid == 0) progress->report(done, W, "scoring");
        }
        if (tid == 0) check_cancel(progress);
      } catch (...) {
#pragma omp critical(lm_score_failure)
        if (!failure) failure = std::current_exception();
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
  TextScore r;
  r.tokens = N;
  r.bytes = bytes;
  r.windows = W;
  r.context = context;
  for (double x : nll) r.nll_nats += x;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace dotakv::lm
