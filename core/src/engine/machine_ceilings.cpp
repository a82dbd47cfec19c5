#include "dotakv/machine_ceilings.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <vector>

#include "dotakv/kernels.hpp"

namespace dotakv {

namespace {
double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double gemm_peak(ComputePrecision p) {
  const int n = 2048;
  std::vector<float> a(std::size_t(n) * n), b(std::size_t(n) * n), c(std::size_t(n) * n);
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i] = float((i * 7 + 3) % 13) * 0.01f;
    b[i] = float((i * 5 + 1) % 11) * 0.01f;
  }
  kernels::Engine e;
  kernels::Matmul mm(e, n, n, b.data(), nullptr, kernels::Matmul::Post::none, false, p);
  mm.run(n, a.data(), c.data());  // warm-up (primitive creation, weight reorder)
  double best = 1e30;
  for (int r = 0; r < 5; ++r) {
    const double t0 = now();
    mm.run(n, a.data(), c.data());
    best = std::min(best, now() - t0);
  }
  return 2.0 * n * n * double(n) / best * 1e-9;
}
}  // namespace

double measure_fp32_gemm_peak_gflops() {
  static std::once_flag f;
  static double v = 0;
  std::call_once(f, [] { v = gemm_peak(ComputePrecision::fp32); });
  return v;
}

double measure_bf16_gemm_peak_gflops() {
  static std::once_flag f;
  static double v = 0;
  std::call_once(f,
                 [] { v = kernels::bf16_supported() ? gemm_peak(ComputePrecision::bf16) : 0.0; });
  return v;
}

double measure_memory_bandwidth_gbs() {
  static std::once_flag f;
  static double v = 0;
  std::call_once(f, [] {
    const std::size_t n = (256u << 20) / sizeof(float);
    std::vector<float> buf(n);
#pragma omp parallel for schedule(static)
    for (std::size_t i = 0; i < n; ++i) buf[i] = float(i & 1023);
    double best = 1e30;
    volatile float sink = 0;
    for (int r = 0; r < 5; ++r) {
      const double t0 = now();
      float total = 0;
#pragma omp parallel reduction(+ : total)
      {
        const int nt = omp_get_num_threads(), t = omp_get_thread_num();
        const std::size_t b = n * t / nt, en = n * (t + 1) / nt;
        // 32 independent partial sums: vectorizes without reassociation, so the loop is
        // limited by memory, not by the latency of one add chain
        float acc[32] = {};
        std::size_t i = b;
        for (; i + 32 <= en; i += 32)
          for (int j = 0; j < 32; ++j) acc[j] += buf[i + j];
        for (; i < en; ++i) acc[0] += buf[i];
        float s = 0;
        for (float a : acc) s += a;
        total += s;
      }
      best = std::min(best, now() - t0);
      sink = sink + total;
    }
    v = double(n * sizeof(float)) / best * 1e-9;
  });
  return v;
}

double measure_cache_bandwidth_gbs(std::size_t bytes) {
  static std::mutex m;
  static std::map<std::size_t, double> cache;
  std::lock_guard<std::mutex> lock(m);
  if (auto it = cache.find(bytes); it != cache.end()) return it->second;
  const int nt_max = omp_get_max_threads();
  const std::size_t n = std::max<std::size_t>(1024, bytes / sizeof(float));  // per thread
  std::vector<std::vector<float>> bufs(static_cast<std::size_t>(nt_max), std::vector<float>(n));
  for (auto& b : bufs)
    for (std::size_t i = 0; i < n; ++i) b[i] = float(i & 1023);
  const int passes = int(std::max<std::size_t>(8, (std::size_t(256) << 20) / (n * sizeof(float))));
  double best = 1e30;
  volatile float sink = 0;
  for (int r = 0; r < 5; ++r) {
    const double t0 = now();
    float total = 0;
    int used = 1;
#pragma omp parallel reduction(+ : total)
    {
      const int t = omp_get_thread_num();
#pragma omp single
      used = omp_get_num_threads();
      const float* buf = bufs[std::size_t(t)].data();
      float acc[32] = {};
      for (int p = 0; p < passes; ++p) {
        std::size_t i = 0;
        for (; i + 32 <= n; i += 32)
          for (int j = 0; j < 32; ++j) acc[j] += buf[i + j];
        acc[0] += float(p);  // keeps passes from being merged
      }
      float s = 0;
      for (float a : acc) s += a;
      total += s;
    }
    const double dt = now() - t0;
    best = std::min(best, dt / double(used));  // time per thread-buffer pass set
    sink = sink + total;
  }
  // bytes read by one thread over all passes / time: per-core cache bandwidth x threads used
  const double v = double(n * sizeof(float)) * passes / best * 1e-9;
  cache[bytes] = v;
  return v;
}

}  // namespace dotakv
