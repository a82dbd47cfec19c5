// LmSession: one token sequence run by an LmModel (shared, immutable; lm/model.hpp). Owns the
// mutable state: the engine's one KVCache ([layers][1 sample][NKV heads, max_context, HD],
// reserved once, appended in place), the fused QKV projection weights, the RoPE table and all
// scratch, so a cached decoding step allocates nothing (tested).
//
//   auto m = LmModel::load_shared("run/model.h5");
//   LmSession s(m);
//   const float* lg = s.prefill(prompt_ids);        // the whole prompt in one causal pass
//   for (...) { int tok = argmax(lg, V); lg = s.decode(tok); }   // one token per step
//
// Phases: prefill(ids) starts a new sequence and runs all its tokens at once (GEMM-bound: one
// matrix product per projection over the n rows, causal attention against the n cached rows);
// decode(id) and append(ids) continue the sequence at position length() (decode: GEMV-bound, one
// cache row appended per layer). Both return the logits of the last token [V] (valid until the
// next call); append() can also write the logits of every new token.
// Cache modes: on (default) as above; off: every call recomputes the whole sequence from its
// first token (the cache is refilled from scratch), the honest baseline. Both give the same
// greedy tokens and logits within float rounding (tested 1e-5).
// Errors (before any state changes): ValueError for an empty input, a token id outside the
// vocabulary (naming id and position), or a sequence that would exceed max_context ("prompt of N
// tokens exceeds the model's context of C" / "context full"); ResourceError when the KV cache of
// the config exceeds the memory cap (limits.hpp), checked in the constructor before reserving.
// Thread safety: a session belongs to one thread; many sessions may share one model.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

#include "dotakv/kv_cache.hpp"
#include "dotakv/layers/rope.hpp"
#include "dotakv/lm/model.hpp"

namespace dotakv::lm {

class LmSession {
 public:
  explicit LmSession(std::shared_ptr<const LmModel> model, KvPrecision kv = KvPrecision::fp32);

  const LmModel& model() const { return *model_; }
  void set_cache(bool on) { cache_on_ = on; }
  bool cache_enabled() const { return cache_on_; }

  // Empties the sequence (cache lengths 0; no memory released).
  void reset();
  // reset() then append(tokens): returns the last token's logits [V].
  const float* prefill(const std::vector<int>& tokens, float* all_logits = nullptr);
  // Appends n >= 1 tokens at positions length() .. length()+n-1 in one causal pass. Returns the
  // last token's logits [V]; all_logits (nullable) receives [n, V], row i the logits after token i.
  const float* append(const int* tokens, int n, float* all_logits = nullptr);
  // append(&token, 1).
  const float* decode(int token);

  int length() const { return int(tokens_.size()); }
  const std::vector<int>& tokens() const { return tokens_; }
  const float* logits() const { return logits_.data(); }  // last token's, [V]
  const KVCache& cache() const { return cache_; }

 private:
  // the errors above for n tokens appended to a sequence of `base` tokens
  void check(const int* tokens, int n, int base) const;
  void ensure_rows(int rows);
  // One causal pass over n tokens at positions p0.. (cache holds p0 rows): logits of the rows
  // [first_out, n) into out ([n - first_out, V]) or, when out is null, of the last row only.
  void run(const int* tokens, int n, int p0, int first_out, float* out);

  std::shared_ptr<const LmModel> model_;
  bool cache_on_ = true;
  KVCache cache_;
  layers::RopeTable rope_;
  std::vector<std::vector<float>> wqkv_;  // per layer [D, (NH + 2 NKV) * HD]: q | k | v
  std::vector<int> tokens_;               // the sequence so far (capacity max_context)
  int rows_ = 0;                          // scratch capacity in rows
  std::vector<float> x_, h_, qkv_, att_, gate_, up_, logits_;
};

}  // namespace dotakv::lm
