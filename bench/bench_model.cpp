// Whole-model micro-benchmarks (Google Benchmark): full / stream (+cache, chunk) / prefix reuse,
// fp32 / bf16, full and compact configs, random weights. Counters: GFLOP/s (model FLOPs from
// ModelConfig's cost model / time) and the fraction of the measured fp32 GEMM peak.
// The user-facing benchmark with statistics and JSON is `dotakv bench`.
// Times: real (wall) and CPU of the whole process (all threads). On a shared machine run with
// OMP_WAIT_POLICY=passive: CPU / threads is then the time the run would take on dedicated cores.
#include <benchmark/benchmark.h>

#include "dotakv/machine_ceilings.hpp"
#include "dotakv/session.hpp"

using namespace dotakv;

namespace {
std::shared_ptr<const Model> model_for(int cfg) {
  static std::shared_ptr<const Model> m[2];
  if (!m[cfg]) m[cfg] = Model::random_shared(ModelConfig::preset(cfg == 0 ? "full" : "compact"), 1);
  return m[cfg];
}
Volume phantom(const ModelConfig& c) {
  Volume v(c.num_slices, c.rows(), c.cols(), 0.f);
  for (int z = 20; z < 30; ++z)
    for (int i = 0; i < c.rows() * c.cols(); ++i) v.slice(z)[i] = 1200.f;
  return v;
}
void counters(benchmark::State& st, double flops_per_iter) {
  st.counters["GFLOP/s"] =
      benchmark::Counter(flops_per_iter * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  static const double peak = measure_fp32_gemm_peak_gflops();
  st.counters["peak_fp32_GFLOP/s"] = peak;
}
}  // namespace

// args: config (0 full, 1 compact), precision (0 fp32, 1 bf16), batch
static void BM_Full(benchmark::State& st) {
  auto m = model_for(int(st.range(0)));
  SessionOptions o;
  o.mode = Mode::full;
  o.cache = false;
  o.precision = st.range(1) ? ComputePrecision::bf16 : ComputePrecision::fp32;
  Session s(m, o);
  const int B = int(st.range(2));
  std::vector<Volume> cts(std::size_t(B), phantom(m->config()));
  std::vector<double> e(std::size_t(B), 150.0);
  s.infer(cts, e);  // warm-up: primitives, weight reorders
  for (auto _ : st) benchmark::DoNotOptimize(s.infer(cts, e));
  counters(st, m->config().flops_full(B));
}
BENCHMARK(BM_Full)
    ->ArgsProduct({{0, 1}, {0, 1}, {1}})
    ->Args({0, 0, 8})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// args: config, cache (0/1), chunk
static void BM_Stream(benchmark::State& st) {
  auto m = model_for(int(st.range(0)));
  SessionOptions o;
  o.mode = Mode::stream;
  o.cache = st.range(1) != 0;
  o.chunk = int(st.range(2));
  Session s(m, o);
  const Volume ct = phantom(m->config());
  s.infer(ct, 150.0);
  for (auto _ : st) benchmark::DoNotOptimize(s.infer(ct, 150.0));
  counters(st, m->config().flops_stream_total(o.chunk, o.cache));
  st.counters["steps"] = s.last_stats().steps;
}
BENCHMARK(BM_Stream)
    ->ArgsProduct({{0, 1}, {1}, {1, 5, 15, 50}})
    ->Args({0, 0, 15})
    ->Args({1, 0, 15})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// args: config, first changed slice
static void BM_Prefix(benchmark::State& st) {
  auto m = model_for(int(st.range(0)));
  SessionOptions o;
  o.mode = Mode::full;
  o.cache = true;
  Session s(m, o);
  const Volume a = phantom(m->config());
  Volume b = a;
  const int k = int(st.range(1));
  for (int z = k; z < m->config().num_slices; ++z) b.slice(z)[0] += 1.f;
  for (auto _ : st) {
    st.PauseTiming();
    s.infer(a, 150.0);
    st.ResumeTiming();
    benchmark::DoNotOptimize(s.infer_reusing_prefix(b, 150.0, k));
  }
  counters(st, m->config().flops_stream_step(k + 1, m->config().num_tokens - k - 1, true));
}
BENCHMARK(BM_Prefix)
    ->ArgsProduct({{0}, {0, 75, 140}})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

BENCHMARK_MAIN();
