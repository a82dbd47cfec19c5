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

}  // namespace dotakv::train
