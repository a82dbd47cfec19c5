// Machine facts detected at run time (never assumed from compile flags): CPU model, ISA
// features (AVX2, AVX-512 subsets, AMX), cores, OpenMP threads, peak RSS.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dotakv {

struct CpuFeatures {
  bool avx2 = false, fma = false;
  bool avx512f = false, avx512bw = false, avx512vl = false, avx512_vnni = false;
  bool avx512_bf16 = false, avx512_fp16 = false;
  bool amx_tile = false, amx_bf16 = false, amx_int8 = false;  // usable: CPU + OS permission
};

struct SystemInfo {
  std::string cpu_model;
  int logical_cores = 0;
  int omp_max_threads = 0;
  CpuFeatures features;
  std::string onednn_version;  // e.g. "2.6.3"
  std::string onednn_isa;      // max ISA oneDNN dispatches to on this machine
};

SystemInfo system_info();
CpuFeatures detect_cpu_features();
// Peak resident set size of this process in bytes (from getrusage).
std::uint64_t peak_rss_bytes();
// Version, build and system info as one JSON object (used by `dotakv info` and every bench result).
nlohmann::json info_json();
// Sets the number of threads used by OpenMP (and therefore oneDNN) from now on; n <= 0 = all cores.
void set_num_threads(int n);
int num_threads();

}  // namespace dotakv
