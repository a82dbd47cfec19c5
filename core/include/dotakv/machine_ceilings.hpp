// Measured machine ceilings that benchmark figures are reported against (never assumed).
// Each function runs a short measurement (about 0.5-2 s) with all OpenMP threads and returns
// the best of several repetitions. Results are cached per process (first call measures).
#pragma once
#include <cstddef>

namespace dotakv {

// fp32 matrix product C[M,N] = A[M,K] * B[K,N] via oneDNN matmul, M=N=K=2048 (weights reordered
// to the kernel's preferred layout beforehand, so it is the kernel's compute ceiling).
double measure_fp32_gemm_peak_gflops();
// The same with bf16 inputs and fp32 accumulation/output; 0 if oneDNN has no bf16 matmul here.
double measure_bf16_gemm_peak_gflops();
// Streaming read bandwidth in GB/s (1e9 bytes/s): sum over a 256 MiB buffer, all threads.
double measure_memory_bandwidth_gbs();
// The same read loop over a buffer of `bytes` per thread (default 1 MiB) re-read many times:
// the read bandwidth of a working set of that size, wherever it resides (L2, L3 or DRAM), e.g.
// the small digits model's weights and K/V. Cached per process and buffer size.
double measure_cache_bandwidth_gbs(std::size_t bytes = std::size_t(1) << 20);

}  // namespace dotakv
