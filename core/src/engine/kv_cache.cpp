#include "dotakv/kv_cache.hpp"

#if defined(__F16C__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstring>

#include "dotakv/error.hpp"

namespace dotakv {

std::uint16_t float_to_half(float f) {
  std::uint32_t x;
  std::memcpy(&x, &f, 4);
  const std::uint32_t sign = (x >> 16) & 0x8000u;
  std::uint32_t mag = x & 0x7fffffffu;
  if (mag >= 0x7f800000u)
    return std::uint16_t(sign | (mag > 0x7f800000u ? 0x7e00u : 0x7c00u));  // NaN/Inf
  if (mag >= 0x477ff000u) return std::uint16_t(sign | 0x7c00u);  // rounds to >= 65520 -> Inf
  if (mag < 0x38800000u) {                              // subnormal half (or zero): |f| < 2^-14
    if (mag < 0x33000000u) return std::uint16_t(sign);  // < 2^-25 rounds to 0
    const std::uint32_t e = mag >> 23;
    const std::uint32_t m = (mag & 0x7fffffu) | 0x800000u;
    // value = m * 2^(e-150); the half subnormal unit is 2^-24, so q = m * 2^(e-126) = m >> (126 -
    // e)
    const int shift = int(126 - e);
    std::uint32_t q = m >> shift;
    const std::uint32_t rem = m & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (q & 1u))) ++q;
    return std::uint16_t(sign | q);
  }
  // normal: rebias exponent 127 -> 15, round mantissa 23 -> 10 bits to nearest even
  std::uint32_t h = ((mag >> 13) - ((127 - 15) << 10));
  const std::uint32_t rem = mag & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) ++h;  // may carry into the exponent: correct
  return std::uint16_t(sign | h);
}

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = std::uint32_t(h & 0x8000u) << 16;
  const std::uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
  std::uint32_t x;
  if (e == 0) {
    if (m == 0) {
      x = sign;
    } else {  // subnormal: m * 2^-24
      float f = float(m) * 0x1.0p-24f;
      std::memcpy(&x, &f, 4);
      x |= sign;
    }
  } else if (e == 31) {
    x = sign | 0x7f800000u | (m << 13);
  } else {
    x = sign | ((e + 127 - 15) << 23) | (m << 13);
  }
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

void KVCache::reserve(int layers, int batch, int heads, int max_tokens, int key_dim,
                      KvPrecision p) {
  if (layers <= 0 || batch <= 0 || heads <= 0 || max_tokens <= 0 || key_dim <= 0)
    throw ValueError(
        "KVCache::reserve: sizes must be positive, found layers=" + std::to_string(layers) +
        " batch=" + std::to_string(batch) + " heads=" + std::to_string(heads) +
        " max_tokens=" + std::to_string(max_tokens) + " key_dim=" + std::to_string(key_dim));
  layers_ = layers;
  batch_ = batch;
  heads_ = heads;
  max_tokens_ = max_tokens;
  key_dim_ = key_dim;
  precision_ = p;
  const std::size_t rows = std::size_t(layers) * batch * 2 * heads * max_tokens;
  const std::size_t elems = rows * key_dim;
  // keep only the storage of the chosen precision (resize never shrinks capacity)
  if (p == KvPrecision::fp32)
    f32_.resize(elems);
  else
    std::vector<float>().swap(f32_);
  if (p == KvPrecision::fp16)
    f16_.resize(elems);
  else
    std::vector<std::uint16_t>().swap(f16_);
  if (p == KvPrecision::int8) {
    i8_.resize(elems);
    scales_.resize(rows);
  } else {
    std::vector<std::int8_t>().swap(i8_);
    std::vector<float>().swap(scales_);
  }
  lengths_.assign(std::size_t(layers) * batch, 0);
  rows_written_ = 0;
  pending_.assign(std::size_t(batch), 0);
  queue_.assign(std::size_t(batch), 0);
  done_.assign(std::size_t(batch), 0);
}

std::size_t KVCache::row_index(int layer, int sample, int kv, int head, int token) const {
  return ((((std::size_t(layer) * batch_ + sample) * 2 + kv) * heads_ + head) * max_tokens_) +
         token;
}

namespace {
// Rows of fp16 through the CPU's conversion instructions (F16C: round to nearest even, as
// float_to_half; tested equal on every value class) where the build targets them, else scalar.
void floats_to_halves(const float* x, std::uint16_t* h, std::size_t n) {
  std::size_t i = 0;
#if defined(__F16C__)
  for (; i + 8 <= n; i += 8)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(h + i),
                     _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
#endif
  for (; i < n; ++i) h[i] = float_to_half(x[i]);
}
void halves_to_floats(const std::uint16_t* h, float* x, std::size_t n) {
  std::size_t i = 0;
#if defined(__F16C__)
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps(x + i,
                     _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h + i))));
#endif
  for (; i < n; ++i) x[i] = half_to_float(h[i]);
}
}  // namespace

void KVCache::store_row(std::size_t row, const float* x) {
  const std::size_t off = row * key_dim_;
  switch (precision_) {
    case KvPrecision::fp32:
      std::memcpy(&f32_[off], x, sizeof(float) * key_dim_);
      break;
    case KvPrecision::fp16:
      floats_to_halves(x, &f16_[off], std::size_t(key_dim_));
      break;
    case KvPrecision::int8: {
      float m = 0.f;
      for (int i = 0; i < key_dim_; ++i) m = std::max(m, std::fabs(x[i]));
      const float s = m > 0.f ? m / 127.f : 1.f;
      scales_[row] = s;
      const float inv = 1.f / s;
      for (int i = 0; i < key_dim_; ++i)
        i8_[off + i] = std::int8_t(std::clamp(std::nearbyint(x[i] * inv), -127.f, 127.f));
      break;
    }
  }
}

void KVCache::load_rows(std::size_t row0, int n, float* out) const {
  const std::size_t off = row0 * key_dim_, cnt = std::size_t(n) * key_dim_;
  switch (precision_) {
    case KvPrecision::fp32:
      std::memcpy(out, &f32_[off], sizeof(float) * cnt);
      break;
    case KvPrecision::fp16:
      halves_to_floats(&f16_[off], out, cnt);
      break;
    case KvPrecision::int8:
      for (int r = 0; r < n; ++r) {
        const float s = scales_[row0 + r];
        const std::int8_t* q = &i8_[off + std::size_t(r) * key_dim_];
        float* o = out + std::size_t(r) * key_dim_;
        for (int i = 0; i < key_dim_; ++i) o[i] = s * float(q[i]);
      }
      break;
  }
}

void KVCache::append(int layer, int sample, int n, const float* k, const float* v,
                     std::ptrdiff_t row_stride) {
  int& len = lengths_[std::size_t(layer) * batch_ + sample];
  if (len + n > max_tokens_)
    throw ValueError("KVCache::append: layer " + std::to_string(layer) + " sample " +
                     std::to_string(sample) + ": " + std::to_string(len) + " + " +
                     std::to_string(n) + " tokens exceed max_tokens " +
                     std::to_string(max_tokens_));
  for (int t = 0; t < n; ++t)
    for (int h = 0; h < heads_; ++h) {
      store_row(row_index(layer, sample, 0, h, len + t),
                k + t * row_stride + std::ptrdiff_t(h) * key_dim_);
      store_row(row_index(layer, sample, 1, h, len + t),
                v + t * row_stride + std::ptrdiff_t(h) * key_dim_);
    }
  len += n;
  rows_written_ += std::uint64_t(n);
}

void KVCache::copy_rows(int layer, int src, int dst, int n) {
  if (n <= 0) return;
  const std::size_t cnt = std::size_t(n) * key_dim_;
  for (int kv = 0; kv < 2; ++kv)
    for (int h = 0; h < heads_; ++h) {
      const std::size_t rs = row_index(layer, src, kv, h, 0), rd = row_index(layer, dst, kv, h, 0);
      switch (precision_) {
        case KvPrecision::fp32:
          std::memcpy(&f32_[rd * key_dim_], &f32_[rs * key_dim_], sizeof(float) * cnt);
          break;
        case KvPrecision::fp16:
          std::memcpy(&f16_[rd * key_dim_], &f16_[rs * key_dim_], sizeof(std::uint16_t) * cnt);
          break;
        case KvPrecision::int8:
          std::memcpy(&i8_[rd * key_dim_], &i8_[rs * key_dim_], cnt);
          std::memcpy(&scales_[rd], &scales_[rs], sizeof(float) * std::size_t(n));
          break;
      }
    }
}

void KVCache::swap_rows(int layer, int a, int b, int n) {
  if (n <= 0) return;
  const std::size_t cnt = std::size_t(n) * key_dim_;
  for (int kv = 0; kv < 2; ++kv)
    for (int h = 0; h < heads_; ++h) {
      const std::size_t ra = row_index(layer, a, kv, h, 0), rb = row_index(layer, b, kv, h, 0);
      switch (precision_) {
        case KvPrecision::fp32:
          std::swap_ranges(&f32_[ra * key_dim_], &f32_[ra * key_dim_] + cnt, &f32_[rb * key_dim_]);
          break;
        case KvPrecision::fp16:
          std::swap_ranges(&f16_[ra * key_dim_], &f16_[ra * key_dim_] + cnt, &f16_[rb * key_dim_]);
          break;
        case KvPrecision::int8:
          std::swap_ranges(&i8_[ra * key_dim_], &i8_[ra * key_dim_] + cnt, &i8_[rb * key_dim_]);
          std::swap_ranges(&scales_[ra], &scales_[ra] + n, &scales_[rb]);
          break;
      }
    }
}

void KVCache::copy_sample(int src, int dst) {
  if (src < 0 || src >= batch_ || dst < 0 || dst >= batch_)
    throw ValueError("KVCache::copy_sample: samples " + std::to_string(src) + " -> " +
                     std::to_string(dst) + " outside the batch of " + std::to_string(batch_));
  if (src == dst) return;
  for (int l = 0; l < layers_; ++l) {
    const int n = length(l, src);
    copy_rows(l, src, dst, n);
    lengths_[std::size_t(l) * batch_ + dst] = n;
  }
}

void KVCache::swap_sample(int a, int b) {
  for (int l = 0; l < layers_; ++l) {
    int& la = lengths_[std::size_t(l) * batch_ + a];
    int& lb = lengths_[std::size_t(l) * batch_ + b];
    swap_rows(l, a, b, std::max(la, lb));
    std::swap(la, lb);
  }
}

void KVCache::reorder(const std::vector<int>& src_of_dst) {
  if (int(src_of_dst.size()) != batch_)
    throw ValueError("KVCache::reorder: " + std::to_string(src_of_dst.size()) +
                     " source indices for a batch of " + std::to_string(batch_));
  for (int d = 0; d < batch_; ++d)
    if (src_of_dst[d] < 0 || src_of_dst[d] >= batch_)
      throw ValueError("KVCache::reorder: sample " + std::to_string(d) + " copies sample " +
                       std::to_string(src_of_dst[d]) + ", outside the batch of " +
                       std::to_string(batch_));
  // Edges src -> dst form a graph where every sample has exactly one source: trees hanging off
  // cycles. pending[s] = samples d != s still to be copied from s. A sample nobody still needs is
  // overwritten first (leaves up); what remains are pure cycles, rotated by swaps.
  std::fill(pending_.begin(), pending_.end(), 0);
  std::fill(done_.begin(), done_.end(), char(0));
  for (int d = 0; d < batch_; ++d) {
    if (src_of_dst[d] == d)
      done_[d] = 1;
    else
      ++pending_[src_of_dst[d]];
  }
  int head = 0, tail = 0;
  for (int d = 0; d < batch_; ++d)
    if (!done_[d] && pending_[d] == 0) queue_[tail++] = d;
  while (head < tail) {
    const int d = queue_[head++], s = src_of_dst[d];
    copy_sample(s, d);
    done_[d] = 1;
    if (--pending_[s] == 0 && !done_[s]) queue_[tail++] = s;
  }
  // cycles d0 <- d1 <- ... <- d(k-1) <- d0 (d_{i+1} = src_of_dst[d_i]): swap(d_i, d_{i+1}) for
  // i = 0 .. k-2 leaves d_i with old d_{i+1} and d_{k-1} with old d0.
  for (int d0 = 0; d0 < batch_; ++d0) {
    if (done_[d0]) continue;
    int d = d0;
    done_[d] = 1;
    for (int s = src_of_dst[d]; s != d0; d = s, s = src_of_dst[d]) {
      swap_sample(d, s);
      done_[s] = 1;
    }
  }
}

void KVCache::read_keys(int layer, int sample, int head, int begin, int end, float* out) const {
  load_rows(row_index(layer, sample, 0, head, begin), end - begin, out);
}
void KVCache::read_values(int layer, int sample, int head, int begin, int end, float* out) const {
  load_rows(row_index(layer, sample, 1, head, begin), end - begin, out);
}
const float* KVCache::keys_fp32(int layer, int sample, int head) const {
  return precision_ == KvPrecision::fp32 ? &f32_[row_index(layer, sample, 0, head, 0) * key_dim_]
                                         : nullptr;
}
const float* KVCache::values_fp32(int layer, int sample, int head) const {
  return precision_ == KvPrecision::fp32 ? &f32_[row_index(layer, sample, 1, head, 0) * key_dim_]
                                         : nullptr;
}

int KVCache::length(int sample) const {
  int len = length(0, sample);
  for (int l = 1; l < layers_; ++l)
    if (length(l, sample) != len) return -1;
  return len;
}

void KVCache::reset() {
  std::fill(lengths_.begin(), lengths_.end(), 0);
}
void KVCache::reset(int sample) {
  for (int l = 0; l < layers_; ++l) lengths_[std::size_t(l) * batch_ + sample] = 0;
}
void KVCache::truncate(int sample, int n) {
  for (int l = 0; l < layers_; ++l) {
    int& len = lengths_[std::size_t(l) * batch_ + sample];
    if (n < 0 || n > len)
      throw ValueError("KVCache::truncate: sample " + std::to_string(sample) + " holds " +
                       std::to_string(len) + " tokens, cannot keep " + std::to_string(n));
    len = n;
  }
}
void KVCache::truncate(int n) {
  for (int b = 0; b < batch_; ++b) truncate(b, n);
}

std::size_t KVCache::bytes_per_token() const {
  const std::size_t rows = 2 * std::size_t(heads_);
  switch (precision_) {
    case KvPrecision::fp32:
      return rows * key_dim_ * 4;
    case KvPrecision::fp16:
      return rows * key_dim_ * 2;
    case KvPrecision::int8:
      return rows * (key_dim_ + 4);
  }
  return 0;
}
std::size_t KVCache::bytes_in_use() const {
  std::size_t tokens = 0;
  for (int len : lengths_) tokens += std::size_t(len);
  return tokens * bytes_per_token();
}
std::size_t KVCache::bytes_reserved() const {
  return std::size_t(layers_) * batch_ * max_tokens_ * bytes_per_token();
}

}  // namespace dotakv
