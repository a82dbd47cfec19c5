#include "dotakv/sysinfo.hpp"

#include <cpuid.h>
#include <omp.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include <oneapi/dnnl/dnnl.hpp>

#include "dotakv/build_info.hpp"

namespace dotakv {
namespace {

bool os_saves_zmm() {
  // XCR0 bits 5,6,7 (opmask, ZMM_Hi256, Hi16_ZMM) and 1,2 (SSE, AVX).
  unsigned eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (eax & 0xE6) == 0xE6;
}

bool request_amx_permission() {
  // Linux requires ARCH_REQ_XCOMP_PERM (0x1023) for XTILEDATA (feature 18) before AMX use.
  constexpr int kArchReqXcompPerm = 0x1023;
  constexpr int kXfeatureXtiledata = 18;
  return syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtiledata) == 0;
}

std::string read_cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      auto pos = line.find(':');
      if (pos != std::string::npos) return line.substr(pos + 2);
    }
  }
  return "unknown";
}

const char* isa_name(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41:
      return "sse41";
    case dnnl::cpu_isa::avx:
      return "avx";
    case dnnl::cpu_isa::avx2:
      return "avx2";
    case dnnl::cpu_isa::avx2_vnni:
      return "avx2_vnni";
    case dnnl::cpu_isa::avx512_core:
      return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni:
      return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16:
      return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx:
      return "avx512_core_amx";
    default:
      return "other";
  }
}

}  // namespace

CpuFeatures detect_cpu_features() {
  CpuFeatures f;
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
  const bool osxsave = c & (1u << 27);
  f.fma = c & (1u << 12);
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return f;
  unsigned xcr0_lo = 0, xcr0_hi = 0;
  if (osxsave) __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
  const bool os_avx = osxsave && (xcr0_lo & 0x6) == 0x6;
  const bool os_avx512 = osxsave && os_saves_zmm();
  f.avx2 = os_avx && (b & (1u << 5));
  f.fma = f.fma && os_avx;
  f.avx512f = os_avx512 && (b & (1u << 16));
  f.avx512bw = os_avx512 && (b & (1u << 30));
  f.avx512vl = os_avx512 && (b & (1u << 31));
  f.avx512_vnni = os_avx512 && (c & (1u << 11));
  f.avx512_fp16 = os_avx512 && (d & (1u << 23));
  const bool amx_bf16 = d & (1u << 22), amx_tile = d & (1u << 24), amx_int8 = d & (1u << 25);
  unsigned a1, b1, c1, d1;
  if (__get_cpuid_count(7, 1, &a1, &b1, &c1, &d1)) f.avx512_bf16 = os_avx512 && (a1 & (1u << 5));
  if (amx_tile && request_amx_permission()) {
    f.amx_tile = true;
    f.amx_bf16 = amx_bf16;
    f.amx_int8 = amx_int8;
  }
  return f;
}

SystemInfo system_info() {
  SystemInfo s;
  s.cpu_model = read_cpu_model();
  s.logical_cores = static_cast<int>(std::thread::hardware_concurrency());
  s.omp_max_threads = omp_get_max_threads();
  s.features = detect_cpu_features();
  const dnnl_version_t* v = dnnl_version();
  s.onednn_version =
      std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
  s.onednn_isa = isa_name(dnnl::get_effective_cpu_isa());
  return s;
}

std::uint64_t peak_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<std::uint64_t>(ru.ru_maxrss) * 1024u;
}

void set_num_threads(int n) {
  if (n <= 0) n = static_cast<int>(std::thread::hardware_concurrency());
  omp_set_num_threads(n);
}
int num_threads() {
  return omp_get_max_threads();
}

nlohmann::json info_json() {
  const BuildInfo& b = build_info();
  const SystemInfo s = system_info();
  const CpuFeatures& f = s.features;
  return {
      {"name", "dotakv"},
      {"version", b.version},
      {"git_revision", b.git_revision},
      {"compiler", b.compiler},
      {"flags", b.flags},
      {"build_type", b.build_type},
      {"cpu",
       {{"model", s.cpu_model},
        {"logical_cores", s.logical_cores},
        {"features",
         {{"avx2", f.avx2},
          {"fma", f.fma},
          {"avx512f", f.avx512f},
          {"avx512bw", f.avx512bw},
          {"avx512vl", f.avx512vl},
          {"avx512_vnni", f.avx512_vnni},
          {"avx512_bf16", f.avx512_bf16},
          {"avx512_fp16", f.avx512_fp16},
          {"amx_tile", f.amx_tile},
          {"amx_bf16", f.amx_bf16},
          {"amx_int8", f.amx_int8}}}}},
      {"threads", s.omp_max_threads},
      {"onednn", {{"version", s.onednn_version}, {"max_isa", s.onednn_isa}}},
  };
}

}  // namespace dotakv
