// Whole-model micro-benchmarks (Google Benchmark): full / stream (+cache, chunk) / prefix reuse,
// fp32 / bf16, full and compact configs, random weights; and one fp32 training step (forward +
// backward over a batch, then LAMB). Counters: GFLOP/s (model FLOPs from ModelConfig's cost
// model / time), the measured fp32 GEMM peak, and samples/s for training.
// The user-facing benchmark with statistics and JSON is `dotakv bench`.
// Times: real (wall) and CPU of the whole process (all threads). On a shared machine run with
// OMP_WAIT_POLICY=passive: CPU / threads is then the time the run would take on dedicated cores.
#include <benchmark/benchmark.h>

#include <random>

#include "dotakv/kernels.hpp"
#include "dotakv/machine_ceilings.hpp"
#include "dotakv/session.hpp"
#include "dotakv/train/graph.hpp"
#include "dotakv/train/optimizer.hpp"

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

// One training step: loss_and_gradients over the batch (OpenMP over samples) + one LAMB update.
// args: config (0 compact, 1 full; note: the reverse of the inference benchmarks), batch.
static void BM_TrainStep(benchmark::State& st) {
  using namespace dotakv::train;
  const Model m = Model::random(ModelConfig::preset(st.range(0) == 0 ? "compact" : "full"), 1);
  const ModelConfig& c = m.config();
  const auto prec = st.range(2) == 1 ? ComputePrecision::bf16 : ComputePrecision::fp32;
  if (prec == ComputePrecision::bf16 && !dotakv::kernels::bf16_supported()) {
    st.SkipWithError("no bf16 kernels on this CPU");
    return;
  }
  const Graph<float> g(c, prec);
  ParamSet<float> params = ParamSet<float>::from_model(m);
  ParamSet<float> grads = params.zeros_like();
  const ParamList pl = param_list(params, grads);
  AdamConfig ac;
  ac.weight_decay = 1e-3f;
  Lamb opt(ac);
  const int B = int(st.range(1));
  const std::size_t n = std::size_t(c.num_slices) * std::size_t(c.rows() * c.cols());
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  std::vector<std::vector<float>> x(static_cast<std::size_t>(B), std::vector<float>(n));
  auto y = x;
  std::vector<ScaledSample> batch;
  for (int b = 0; b < B; ++b) {
    for (auto& v : x[std::size_t(b)]) v = u(rng);
    for (auto& v : y[std::size_t(b)]) v = 0.1f * u(rng);
    batch.push_back({x[std::size_t(b)].data(), y[std::size_t(b)].data(), u(rng)});
  }
  BatchScratch scratch;
  loss_and_gradients(g, params, batch, LossKind::mse, 0.f, grads, scratch);  // warm-up
  for (auto _ : st) {
    benchmark::DoNotOptimize(
        loss_and_gradients(g, params, batch, LossKind::mse, 0.f, grads, scratch));
    opt.step(pl, 1e-3f);
  }
  // Training FLOPs ~ 3x the forward pass: forward + backward (gradients w.r.t. activations and
  // weights, each about one forward). The optimizer's element-wise work is not counted.
  counters(st, 3 * c.flops_full(B));
  st.counters["samples_per_s"] =
      benchmark::Counter(double(st.iterations()) * B, benchmark::Counter::kIsRate);
}
// args: config (0 compact, 1 full), batch, precision (0 fp32, 1 bf16 mixed)
BENCHMARK(BM_TrainStep)
    ->ArgNames({"full", "batch", "bf16"})
    ->Args({0, 8, 0})
    ->Args({0, 8, 1})
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_TrainStep)
    ->ArgNames({"full", "batch", "bf16"})
    ->Args({1, 2, 0})
    ->Args({1, 2, 1})
    ->Iterations(2)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

BENCHMARK_MAIN();
