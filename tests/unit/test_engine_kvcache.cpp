// KVCache: layout, lengths, reset/truncate, no allocation on append, byte accounting, fp16
// conversion (IEEE 754 binary16 values) and the int8 per-row quantization bound.
#include <QtTest>
#include <cmath>
#include <limits>
#include <random>

#include "dotakv/error.hpp"
#include "dotakv/kv_cache.hpp"

using namespace dotakv;

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
};

QTEST_GUILESS_MAIN(TestEngineKvcache)
#include "test_engine_kvcache.moc"
