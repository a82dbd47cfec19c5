// Training losses on scaled dose (the dataset stores dose divided by its scaling constant, so
// targets are O(1)). Both losses take prediction p[n] and target t[n] (any layout, e.g. a batch of
// [B, slices, rows, cols] volumes flattened), return the loss and write dL/dp into grad[n]
// (grad may be nullptr when only the value is needed). Sums are accumulated in double in serial
// order, so results are deterministic. Non-finite inputs propagate to a non-finite loss (the
// training loop stops on it); n == 0 is a ValueError.
//
//   mse:           L = (1/n) sum_i (p_i - t_i)^2,            dL/dp_i = 2 (p_i - t_i) / n
//   dose-weighted: w_i = 1 + alpha * |t_i| / max_j |t_j|  (w_i = 1 if max |t| == 0)
//                  L = sum_i w_i (p_i - t_i)^2 / sum_i w_i,  dL/dp_i = 2 w_i (p_i - t_i) / sum w
// The weights depend only on the target, so the weighted loss is still a quadratic in p; it
// emphasises the high-dose region that gamma evaluation normalised to the maximum dose rewards.
// alpha >= 0 (ValueError otherwise); alpha == 0 gives plain MSE.
#pragma once
#include <cstddef>

namespace dotakv::train {

double mse_loss(const float* pred, const float* target, size_t n, float* grad);

double dose_weighted_mse_loss(const float* pred, const float* target, size_t n, float alpha,
                              float* grad);

// ---- classification (digits decoder, later language models) ----
// Softmax cross-entropy of logits [rows, vocab] (row-major) against targets [rows]:
//   L = (1/N) sum_{r : targets[r] != ignore_index} ( logsumexp(logits[r]) - logits[r][targets[r]] )
// with N = the number of counted rows (written to *n_counted when not null). logsumexp subtracts
// the row maximum; sums are accumulated in double. dlogits [rows, vocab] (nullable) receives
// dL/dlogits = (softmax(logits[r]) - onehot(targets[r])) / N for counted rows and 0 for ignored
// rows (overwritten; may alias logits). N == 0 returns 0 with zero gradients. Throws ValueError
// (before writing anything) if rows < 0, vocab <= 0, or a target outside [0, vocab) is not
// ignore_index. T = float, double.
template <class T>
T softmax_cross_entropy(const T* logits, int rows, int vocab, const int* targets, int ignore_index,
                        T* dlogits, int* n_counted);

// out[r][j] = logits[r][j] - logsumexp(logits[r]) (row maximum subtracted, sum in double), for
// beam-search scores; out may alias logits. T = float, double.
template <class T>
void log_softmax_rows(const T* logits, int rows, int vocab, T* out);

}  // namespace dotakv::train
