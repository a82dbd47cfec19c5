// Kernel micro-benchmarks (Google Benchmark) at DoTA's shapes: the QKV/out-projection GEMMs,
// the encoder/decoder convolutions, fp32 and bf16, through the engine's oneDNN wrappers; and the
// training convolutions (forward + backward data + backward weights through the layer API, one
// thread, as each thread of `dotakv train` runs them) at the compact decoder's shapes.
// Counter GFLOP/s; compare with `dotakv bench` / machine_ceilings (measured GEMM peak).
#include <benchmark/benchmark.h>

#include <omp.h>

#include <vector>

#include "dotakv/kernels.hpp"
#include "dotakv/layers/conv2d.hpp"
#include "dotakv/layers/conv_transpose.hpp"
#include "dotakv/machine_ceilings.hpp"

using namespace dotakv;

namespace {
ComputePrecision prec(long v) {
  return v ? ComputePrecision::bf16 : ComputePrecision::fp32;
}
std::vector<float> filled(std::size_t n) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = float((i * 37 + 11) % 101) * 0.01f - 0.5f;
  return v;
}
}  // namespace

// args: M, K, N, bf16
static void BM_Matmul(benchmark::State& st) {
  const int m = int(st.range(0)), k = int(st.range(1)), n = int(st.range(2));
  kernels::Engine e;
  const auto b = filled(std::size_t(k) * n), a = filled(std::size_t(m) * k);
  std::vector<float> c(std::size_t(m) * n);
  kernels::Matmul mm(e, k, n, b.data(), nullptr, kernels::Matmul::Post::none, false,
                     prec(st.range(3)));
  mm.run(m, a.data(), c.data());
  st.SetLabel(mm.impl_info(m));
  for (auto _ : st) mm.run(m, a.data(), c.data());
  st.counters["GFLOP/s"] =
      benchmark::Counter(2.0 * m * k * n * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  st.counters["GB/s weights"] = benchmark::Counter(double(k) * n * (st.range(3) ? 2 : 4) * 1e-9,
                                                   benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Matmul)
    ->ArgsProduct(
        {{151, 1}, {432}, {20736}, {0, 1}})           // fused QKV, full pass and one streamed token
    ->ArgsProduct({{151, 1}, {6912}, {432}, {0, 1}})  // attention output projection
    ->ArgsProduct({{2048}, {2048}, {2048}, {0, 1}})   // square (the peak measurement)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// args: N images, H(=W) input, IC, OC, transposed, bf16
static void BM_Conv(benchmark::State& st) {
  const int n = int(st.range(0)), h = int(st.range(1)), ic = int(st.range(2)),
            oc = int(st.range(3)), k = 5;
  const bool tr = st.range(4) != 0;
  kernels::Engine e;
  const auto w = filled(std::size_t(oc) * ic * k * k), x = filled(std::size_t(n) * h * h * ic);
  kernels::Conv conv(e, h, h, ic, oc, k, tr, w.data(), nullptr, prec(st.range(5)));
  std::vector<float> y(std::size_t(n) * conv.out_h() * conv.out_w() * oc);
  conv.run(n, x.data(), y.data());
  st.SetLabel(conv.impl_info(n));
  for (auto _ : st) conv.run(n, x.data(), y.data());
  // transposed: every input pixel scatters a KxK patch
  const double flops = 2.0 * n * h * h * ic * oc * k * k;
  st.counters["GFLOP/s"] =
      benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Conv)
    ->ArgsProduct({{150}, {24}, {1}, {64}, {0}, {0, 1}})   // encoder conv1
    ->ArgsProduct({{150}, {12}, {64}, {64}, {0}, {0, 1}})  // encoder conv2 (the big one)
    ->ArgsProduct({{150}, {6}, {64}, {12}, {0}, {0, 1}})   // encoder conv3
    ->ArgsProduct({{150}, {6}, {12}, {64}, {1}, {0, 1}})   // decoder deconv1
    ->ArgsProduct({{150}, {12}, {64}, {64}, {1}, {0, 1}})  // decoder deconv2 (the big one)
    ->ArgsProduct({{150}, {24}, {64}, {1}, {0}, {0, 1}})   // decoder output conv
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Training step of one convolution layer for one sample (N slices): forward, backward data,
// backward weights (+ bias for the 'same' conv). args: N, H(=W) input, IC, OC, transposed, bf16.
static void BM_TrainConv(benchmark::State& st) {
  const int n = int(st.range(0)), h = int(st.range(1)), ic = int(st.range(2)),
            oc = int(st.range(3)), k = 5;
  const bool tr = st.range(4) != 0;
  const ComputePrecision p = prec(st.range(5));
  const int oh = tr ? 2 * h : h;
  const auto x = filled(std::size_t(n) * h * h * ic), w = filled(std::size_t(k) * k * ic * oc),
             dy = filled(std::size_t(n) * oh * oh * oc);
  std::vector<float> bias(std::size_t(oc), 0.1f), y(dy.size()), dx(x.size()), dw(w.size()),
      db(static_cast<std::size_t>(oc));
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  auto step = [&] {
    if (tr) {
      layers::conv_transpose2_forward(x.data(), n, h, h, ic, w.data(), k, oc, y.data(), p);
      layers::conv_transpose2_backward(x.data(), n, h, h, ic, w.data(), k, oc, dy.data(), dx.data(),
                                       dw.data(), p);
    } else {
      layers::conv2d_same_forward(x.data(), n, h, h, ic, w.data(), bias.data(), k, oc, y.data(), p);
      layers::conv2d_same_backward(x.data(), n, h, h, ic, w.data(), k, oc, dy.data(), dx.data(),
                                   dw.data(), db.data(), p);
    }
  };
  step();
  st.SetLabel(layers::conv_training_impl_info(tr, n, h, h, ic, k, oc, p));
  for (auto _ : st) step();
  omp_set_num_threads(threads);
  const double flops = 3 * 2.0 * n * h * h * ic * oc * k * k;  // three products of equal size
  st.counters["GFLOP/s"] =
      benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_TrainConv)
    ->ArgsProduct({{150}, {12}, {32}, {32}, {0}, {0, 1}})  // a 32-channel 12 x 12 conv (reference)
    ->ArgsProduct({{150}, {12}, {32}, {32}, {1}, {0, 1}})  // decoder deconv2
    ->ArgsProduct({{150}, {24}, {32}, {1}, {0}, {0, 1}})   // decoder output conv
    ->ArgsProduct({{150}, {24}, {32}, {16}, {0}, {0, 1}})  // the same with 16 outputs
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

static void BM_Ceilings(benchmark::State& st) {
  for (auto _ : st) benchmark::DoNotOptimize(measure_fp32_gemm_peak_gflops());
  st.counters["fp32 GEMM peak GFLOP/s"] = measure_fp32_gemm_peak_gflops();
  st.counters["bf16 GEMM peak GFLOP/s"] = measure_bf16_gemm_peak_gflops();
  st.counters["read GB/s"] = measure_memory_bandwidth_gbs();
}
BENCHMARK(BM_Ceilings)->Iterations(1);

BENCHMARK_MAIN();
