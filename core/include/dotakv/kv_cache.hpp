// KVCache: pre-allocated keys and values of the attention layers, per layer and per sample.
//
// Storage, per layer l and sample b:
//   K[l][b] : [NH, max_tokens, KD]      V[l][b] : [NH, max_tokens, KD]
// in the chosen precision:
//   fp32  4 bytes per element
//   fp16  2 bytes per element (IEEE half, round-to-nearest-even)
//   int8  1 byte per element + one fp32 scale per row (row = one token of one head, KD values;
//         symmetric: q = round(x / s), s = max|x| / 127)
// Each (layer, sample) has its own length (tokens stored). reserve() allocates everything;
// append() copies/quantizes rows into the reserved storage and never allocates; reset() and
// truncate() only change lengths; copy_sample() and reorder() (beam search: the cache rows of
// surviving beams are copied, never recomputed) only move stored rows. Nothing after reserve()
// allocates.
//
//   KVCache c;
//   c.reserve(/*layers*/ 1, /*batch*/ 2, /*heads*/ 16, /*max_tokens*/ 151, /*key_dim*/ 432,
//             KvPrecision::fp32);
//   // n tokens, each NH*KD floats, row t at k_rows + t * row_stride:
//   c.append(0, b, n, k_rows, v_rows, row_stride);
//   c.read_keys(0, b, h, 0, c.length(0, b), out);  // dequantized [len, KD]
//
// Thread safety: not thread-safe; different (layer, sample) pairs may be written concurrently.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "dotakv/model_config.hpp"

namespace dotakv {

class KVCache {
 public:
  KVCache() = default;

  // Allocates storage for layers x batch x heads x max_tokens x key_dim (K and V) and sets all
  // lengths to 0. Re-reserving with the same or smaller sizes and the same precision reuses the
  // storage. Throws ValueError on non-positive sizes.
  void reserve(int layers, int batch, int heads, int max_tokens, int key_dim, KvPrecision p);
  bool reserved() const { return layers_ > 0; }

  // Appends n tokens to (layer, sample) at position length(layer, sample). k and v point to n
  // rows, row t at k + t*row_stride, each holding NH*KD floats in head-major order
  // ([NH, KD], as produced by the fused QKV projection). Throws ValueError if the cache would
  // overflow max_tokens. Allocates nothing.
  void append(int layer, int sample, int n, const float* k, const float* v,
              std::ptrdiff_t row_stride);

  // Copies rows [begin, end) of head h as fp32 into out ([end-begin, KD], contiguous).
  void read_keys(int layer, int sample, int head, int begin, int end, float* out) const;
  void read_values(int layer, int sample, int head, int begin, int end, float* out) const;
  // Direct pointer to the fp32 storage [max_tokens, KD] of head h (fp32 precision only, else
  // nullptr): lets the fp32 path attend without copying.
  const float* keys_fp32(int layer, int sample, int head) const;
  const float* values_fp32(int layer, int sample, int head) const;

  int length(int layer, int sample) const { return lengths_[std::size_t(layer) * batch_ + sample]; }
  // Length of sample b in every layer (they agree after a completed step); -1 if they differ.
  int length(int sample) const;
  // Sample dst becomes a copy of sample src in every layer: rows [0, length(l, src)) of K and V
  // of every head (with the int8 scales) and the lengths. src == dst is a no-op. Rows of dst
  // beyond the new length are not exposed (reads stop at length). Allocates nothing.
  void copy_sample(int src, int dst);
  // Beam reordering: afterwards sample d holds what sample src_of_dst[d] held before, for every
  // d (src_of_dst.size() == batch, entries in [0, batch); duplicates and permutations allowed,
  // e.g. {1, 0} swaps, {0, 0, 1, 1} duplicates). Samples that are sources of others are copied
  // out before they are overwritten (dependency order); the remaining cycles are rotated with
  // in-place swaps, so no spare storage is needed. Sample d with src_of_dst[d] == d is not
  // touched. The bookkeeping arrays are allocated by reserve(): allocates nothing.
  // Throws ValueError (before changing anything) on a wrong size or an index out of range.
  void reorder(const std::vector<int>& src_of_dst);
  // Token rows stored by append() since reserve(): the sum of n over all append calls (one row
  // = one token of one (layer, sample), all heads, K and V). copy_sample/reorder do not count,
  // so a test can prove that reordered rows were never recomputed.
  std::uint64_t rows_written() const { return rows_written_; }

  // All lengths -> 0 (no memory released). A reset cache never exposes earlier rows: reads are
  // limited to [0, length).
  void reset();
  void reset(int sample);
  // Keeps only the first n tokens of every layer of `sample` (n <= length), for prefix reuse.
  void truncate(int sample, int n);
  void truncate(int n);  // all samples

  int layers() const { return layers_; }
  int batch() const { return batch_; }
  int heads() const { return heads_; }
  int max_tokens() const { return max_tokens_; }
  int key_dim() const { return key_dim_; }
  KvPrecision precision() const { return precision_; }

  // Bytes of K/V (and int8 scales) currently holding tokens, summed over layers and samples.
  std::size_t bytes_in_use() const;
  // Bytes allocated by reserve().
  std::size_t bytes_reserved() const;
  // Bytes per stored token per layer (K and V, all heads, incl. scales).
  std::size_t bytes_per_token() const;

 private:
  std::size_t row_index(int layer, int sample, int kv, int head, int token) const;
  void store_row(std::size_t row, const float* x);
  void load_rows(std::size_t row0, int n, float* out) const;
  // rows [0, n) of every (kv, head) block of (layer, src) -> (layer, dst); or swapped
  void copy_rows(int layer, int src, int dst, int n);
  void swap_rows(int layer, int a, int b, int n);
  void swap_sample(int a, int b);

  int layers_ = 0, batch_ = 0, heads_ = 0, max_tokens_ = 0, key_dim_ = 0;
  KvPrecision precision_ = KvPrecision::fp32;
  std::vector<int> lengths_;        // [layers * batch]
  std::vector<float> f32_;          // fp32 storage
  std::vector<std::uint16_t> f16_;  // fp16 storage
  std::vector<std::int8_t> i8_;     // int8 storage
  std::vector<float> scales_;       // int8 per-row scales
  std::uint64_t rows_written_ = 0;
  std::vector<int> pending_, queue_;  // reorder(): [batch] each, allocated by reserve()
  std::vector<char> done_;
};

// Half-precision conversions used by the cache (exposed for tests).
std::uint16_t float_to_half(float f);
float half_to_float(std::uint16_t h);

}  // namespace dotakv
