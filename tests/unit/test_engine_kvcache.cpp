// KVCache: layout, lengths, reset/truncate, no allocation on append, byte accounting, fp16
// conversion (IEEE 754 binary16 values), the int8 per-row quantization bound, and the beam
// operations copy_sample/reorder (every map of 4 samples, all precisions) with rows_written.
#include <QtTest>
#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "dotakv/error.hpp"
#include "dotakv/kv_cache.hpp"

using namespace dotakv;

namespace {
// Every (layer, sample) gets its own length and values identifying it; a snapshot of the
// dequantized rows is compared with the cache after the operation.
struct Snapshot {
  std::vector<int> len;               // [L * B]
  std::vector<std::vector<float>> k;  // [L * B * NH] rows [len, KD]
  std::vector<std::vector<float>> v;
};
void fill(KVCache& c) {
  const int L = c.layers(), B = c.batch(), NH = c.heads(), KD = c.key_dim();
  c.reset();
  for (int l = 0; l < L; ++l)
    for (int b = 0; b < B; ++b) {
      const int n = 1 + (3 * b + 2 * l) % c.max_tokens();
      std::vector<float> k(std::size_t(n) * NH * KD), v(k.size());
      for (std::size_t i = 0; i < k.size(); ++i) {
        k[i] = float(100 * l + 10 * b) + 0.37f * float(i % 17) - 2.f;
        v[i] = -float(100 * l + 10 * b) + 0.29f * float(i % 13) + 1.f;
      }
      c.append(l, b, n, k.data(), v.data(), NH * KD);
    }
}
Snapshot snap(const KVCache& c) {
  Snapshot s;
  for (int l = 0; l < c.layers(); ++l)
    for (int b = 0; b < c.batch(); ++b) {
      const int n = c.length(l, b);
      s.len.push_back(n);
      for (int h = 0; h < c.heads(); ++h) {
        std::vector<float> k(std::size_t(n) * c.key_dim()), v(k.size());
        c.read_keys(l, b, h, 0, n, k.data());
        c.read_values(l, b, h, 0, n, v.data());
        s.k.push_back(k);
        s.v.push_back(v);
      }
    }
  return s;
}
// sample d of `after` must equal sample src[d] of `before` (bitwise: copies move the stored
// fp16/int8 codes and scales, so dequantized rows are identical)
bool matches(const Snapshot& before, const Snapshot& after, const std::vector<int>& src, int L,
             int B, int NH) {
  for (int l = 0; l < L; ++l)
    for (int d = 0; d < B; ++d) {
      const int s = src[std::size_t(d)];
      if (after.len[std::size_t(l) * B + d] != before.len[std::size_t(l) * B + s]) return false;
      for (int h = 0; h < NH; ++h) {
        const std::size_t a = (std::size_t(l) * B + d) * NH + h,
                          o = (std::size_t(l) * B + s) * NH + h;
        if (after.k[a] != before.k[o] || after.v[a] != before.v[o]) return false;
      }
    }
  return true;
}
}  // namespace

class TestEngineKvcache : public QObject {
  Q_OBJECT
 private slots:
  void halfConversionKnownValues() {
    // IEEE 754 binary16 encodings
    QCOMPARE(float_to_half(1.0f), std::uint16_t(0x3c00));
    QCOMPARE(float_to_half(-2.0f), std::uint16_t(0xc000));
    QCOMPARE(float_to_half(65504.0f), std::uint16_t(0x7bff));           // largest finite half
    QCOMPARE(float_to_half(65536.0f), std::uint16_t(0x7c00));           // overflows to +Inf
    QCOMPARE(float_to_half(0x1.0p-24f), std::uint16_t(0x0001));         // smallest subnormal
    QCOMPARE(float_to_half(0x1.0p-14f), std::uint16_t(0x0400));         // smallest normal
    QCOMPARE(float_to_half(0x1.0p-26f), std::uint16_t(0x0000));         // below half of 2^-24 -> 0
    QCOMPARE(float_to_half(1.0f + 0x1.0p-11f), std::uint16_t(0x3c00));  // tie -> even (down)
    QCOMPARE(float_to_half(1.0f + 3 * 0x1.0p-11f), std::uint16_t(0x3c02));  // tie -> even (up)
    QCOMPARE(float_to_half(0.1f), std::uint16_t(0x2e66));
    QVERIFY(std::isnan(half_to_float(float_to_half(std::numeric_limits<float>::quiet_NaN()))));
    QCOMPARE(half_to_float(0x3555), 0.333251953125f);
    QCOMPARE(half_to_float(0x0001), 0x1.0p-24f);
    QCOMPARE(half_to_float(0xfbff), -65504.0f);
    // round trip of every finite half value
    for (std::uint32_t h = 0; h < 0x10000; ++h) {
      if ((h & 0x7c00) == 0x7c00) continue;
      QCOMPARE(float_to_half(half_to_float(std::uint16_t(h))), std::uint16_t(h));
    }
  }

  // The cache's vectorised fp16 rows (F16C where built for it) equal the scalar conversion on
  // every value class: ties, subnormals, overflow, Inf, NaN, signed zero.
  void fp16RowsEqualTheScalarConversion() {
    const float vals[] = {1.0f + 0x1.0p-11f, 1.0f + 3 * 0x1.0p-11f, 0x1.0p-24f, 0x1.0p-26f,
                          0x1.8p-24f, 0x1.0p-14f, 65504.f, 65520.f, 70000.f, -0.f, 0.1f,
                          -3.14159f, std::numeric_limits<float>::infinity(),
                          -std::numeric_limits<float>::infinity(),
                          std::numeric_limits<float>::quiet_NaN(), 1e-30f, -7.5e-6f, 123.456f};
    const int kd = 27;  // three vectors of 8 and a scalar tail
    std::vector<float> row(kd);
    std::mt19937 rng(4);
    std::uniform_int_distribution<int> pick(0, int(std::size(vals)) - 1);
    KVCache c;
    c.reserve(1, 1, 1, 64, kd, KvPrecision::fp16);
    std::vector<float> all;
    for (int t = 0; t < 64; ++t) {
      for (int i = 0; i < kd; ++i) row[std::size_t(i)] = vals[pick(rng)] * (t % 2 ? 1.f : -1.f);
      c.append(0, 0, 1, row.data(), row.data(), kd);
      all.insert(all.end(), row.begin(), row.end());
    }
    std::vector<float> back(all.size());
    c.read_keys(0, 0, 0, 0, 64, back.data());
    for (std::size_t i = 0; i < all.size(); ++i) {
      const float want = half_to_float(float_to_half(all[i]));
      if (std::isnan(want)) {
        QVERIFY(std::isnan(back[i]));
      } else {
        QCOMPARE(std::bit_cast<std::uint32_t>(back[i]), std::bit_cast<std::uint32_t>(want));
      }
    }
  }

  void appendStoresRowsPerHeadAndAllocatesNothing() {
    const int L = 2, B = 3, NH = 4, T = 10, KD = 5;
    KVCache c;
    c.reserve(L, B, NH, T, KD, KvPrecision::fp32);
    QCOMPARE(c.bytes_reserved(), std::size_t(L) * B * T * 2 * NH * KD * 4);
    QCOMPARE(c.bytes_in_use(), std::size_t(0));
    const float* k0 = c.keys_fp32(1, 2, 3);
    // 3 tokens, each [NH*KD] at a row stride of 3*NH*KD (fused QKV layout)
    const int W = 3 * NH * KD;
    std::vector<float> rows(std::size_t(3) * W);
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = float(i);
    c.append(1, 2, 3, rows.data() + NH * KD, rows.data() + 2 * NH * KD, W);
    QCOMPARE(c.keys_fp32(1, 2, 3), k0);  // storage did not move
    QCOMPARE(c.length(1, 2), 3);
    QCOMPARE(c.length(0, 2), 0);
    QCOMPARE(c.length(2), -1);  // layers disagree until layer 0 is appended too
    std::vector<float> out(std::size_t(3) * KD);
    c.read_keys(1, 2, 3, 0, 3, out.data());
    for (int t = 0; t < 3; ++t)
      for (int j = 0; j < KD; ++j)
        QCOMPARE(out[std::size_t(t) * KD + j], rows[std::size_t(t) * W + NH * KD + 3 * KD + j]);
    c.read_values(1, 2, 0, 1, 3, out.data());
    for (int t = 1; t < 3; ++t)
      for (int j = 0; j < KD; ++j)
        QCOMPARE(out[std::size_t(t - 1) * KD + j], rows[std::size_t(t) * W + 2 * NH * KD + j]);
    QCOMPARE(c.bytes_in_use(), std::size_t(3) * 2 * NH * KD * 4);
  }

  void resetTruncateAndOverflow() {
    KVCache c;
    c.reserve(1, 2, 1, 4, 2, KvPrecision::fp32);
    std::vector<float> k{1, 2, 3, 4, 5, 6, 7, 8}, v{8, 7, 6, 5, 4, 3, 2, 1};
    c.append(0, 0, 4, k.data(), v.data(), 2);
    c.append(0, 1, 2, k.data(), v.data(), 2);
    QVERIFY_THROWS_EXCEPTION(ValueError, c.append(0, 0, 1, k.data(), v.data(), 2));
    QCOMPARE(c.length(0), 4);
    c.truncate(0, 1);
    QCOMPARE(c.length(0), 1);
    QCOMPARE(c.length(1), 2);
    QVERIFY_THROWS_EXCEPTION(ValueError, c.truncate(1, 3));
    c.append(0, 0, 1, v.data(), k.data(), 2);  // overwrites token 1 of sample 0
    std::vector<float> out(4);
    c.read_keys(0, 0, 0, 0, 2, out.data());
    QCOMPARE(out, (std::vector<float>{1, 2, 8, 7}));
    c.reset(1);
    QCOMPARE(c.length(1), 0);
    QCOMPARE(c.length(0), 2);
    c.reset();
    QCOMPARE(c.bytes_in_use(), std::size_t(0));
    QVERIFY_THROWS_EXCEPTION(ValueError, c.reserve(1, 0, 1, 4, 2, KvPrecision::fp32));
  }

  void reducedPrecisionStorageBoundsTheError() {
    const int KD = 64, T = 50;
    std::mt19937 g(1);
    std::normal_distribution<float> n(0.f, 3.f);
    std::vector<float> k(std::size_t(T) * KD), v(k.size());
    for (auto& x : k) x = n(g);
    for (auto& x : v) x = n(g);
    for (KvPrecision p : {KvPrecision::fp16, KvPrecision::int8}) {
      KVCache c;
      c.reserve(1, 1, 1, T, KD, p);
      c.append(0, 0, T, k.data(), v.data(), KD);
      QVERIFY(c.keys_fp32(0, 0, 0) == nullptr);
      std::vector<float> out(k.size());
      c.read_keys(0, 0, 0, 0, T, out.data());
      for (int t = 0; t < T; ++t) {
        float rmax = 0;
        for (int j = 0; j < KD; ++j) rmax = std::max(rmax, std::fabs(k[std::size_t(t) * KD + j]));
        for (int j = 0; j < KD; ++j) {
          const float x = k[std::size_t(t) * KD + j], y = out[std::size_t(t) * KD + j];
          if (p == KvPrecision::fp16)
            QVERIFY(std::fabs(x - y) <=
                    std::fabs(x) * 0x1.0p-11f + 0x1.0p-25f);  // half an ulp (11-bit significand)
          else
            QVERIFY(std::fabs(x - y) <=
                    rmax / 127.f * 0.5f * 1.0001f);  // half a quantization step of the row
        }
      }
      const std::size_t per_token = p == KvPrecision::fp16 ? 2 * KD * 2 : 2 * (KD + 4);
      QCOMPARE(c.bytes_in_use(), std::size_t(T) * per_token);
    }
  }
  // ---- copy_sample / reorder (beam search) ----
  void copySampleAndReorder_data() {
    QTest::addColumn<int>("precision");
    QTest::newRow("fp32") << int(KvPrecision::fp32);
    QTest::newRow("fp16") << int(KvPrecision::fp16);
    QTest::newRow("int8") << int(KvPrecision::int8);
  }
  void copySampleAndReorder() {
    QFETCH(int, precision);
    const int L = 2, B = 4, NH = 2, T = 7, KD = 3;
    KVCache c;
    c.reserve(L, B, NH, T, KD, KvPrecision(precision));
    fill(c);
    const std::uint64_t written = c.rows_written();
    std::uint64_t expect_written = 0;
    for (int l = 0; l < L; ++l)
      for (int b = 0; b < B; ++b) expect_written += std::uint64_t(c.length(l, b));
    QCOMPARE(written, expect_written);
    const Snapshot s0 = snap(c);
    // the layers of a sample have different lengths: copied per layer
    QVERIFY(c.length(1) == -1);

    // copy_sample: 2 -> 0 (longer over shorter) and 3 -> 1 (shorter over longer)
    c.copy_sample(2, 0);
    c.copy_sample(1, 3);
    QVERIFY(matches(s0, snap(c), {2, 1, 2, 1}, L, B, NH));
    c.copy_sample(2, 2);  // no-op
    QVERIFY(matches(s0, snap(c), {2, 1, 2, 1}, L, B, NH));
    QVERIFY_THROWS_EXCEPTION(ValueError, c.copy_sample(4, 0));
    QVERIFY_THROWS_EXCEPTION(ValueError, c.copy_sample(0, -1));

    // reorder: every one of the 4^4 maps (permutations, cycles, duplicates, trees on cycles)
    const float* k00 = c.keys_fp32(0, 0, 0);
    int checked = 0;
    for (int code = 0; code < 256; ++code) {
      std::vector<int> src(B);
      for (int d = 0; d < B; ++d) src[std::size_t(d)] = (code >> (2 * d)) & 3;
      fill(c);
      const std::uint64_t w0 = c.rows_written();
      c.reorder(src);
      QCOMPARE(c.rows_written(), w0);  // rows moved, never re-appended
      if (!matches(s0, snap(c), src, L, B, NH))
        QFAIL(qPrintable(QString("reorder {%1, %2, %3, %4} wrong")
                             .arg(src[0])
                             .arg(src[1])
                             .arg(src[2])
                             .arg(src[3])));
      ++checked;
    }
    QCOMPARE(checked, 256);
    QCOMPARE(c.keys_fp32(0, 0, 0), k00);  // storage did not move
    // two reorders compose: {1,0,3,2} twice is the identity
    fill(c);
    c.reorder({1, 0, 3, 2});
    c.reorder({1, 0, 3, 2});
    QVERIFY(matches(s0, snap(c), {0, 1, 2, 3}, L, B, NH));
    QVERIFY_THROWS_EXCEPTION(ValueError, c.reorder({0, 1, 2}));
    QVERIFY_THROWS_EXCEPTION(ValueError, c.reorder({0, 1, 2, 4}));
    QVERIFY(matches(s0, snap(c), {0, 1, 2, 3}, L, B, NH));  // a rejected reorder changes nothing
    // reserve() restarts the counter
    c.reserve(L, B, NH, T, KD, KvPrecision(precision));
    QCOMPARE(c.rows_written(), std::uint64_t(0));
  }
};

QTEST_GUILESS_MAIN(TestEngineKvcache)
#include "test_engine_kvcache.moc"
