// oneDNN wrappers for the heavy kernels (engine-internal; used by Session and the benchmarks).
// Each object owns primitives created once per shape and weights reordered once into the
// layout the chosen primitive prefers (format_tag::any). Activations are fp32 channels-last
// (NHWC) / row-major; with ComputePrecision::bf16 inputs are converted to bf16 on the fly,
// weights are stored in bf16, accumulation and outputs stay fp32.
// Not thread-safe: one instance per Session.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "dotakv/model_config.hpp"

namespace dotakv::kernels {

struct Engine {
  dnnl::engine eng{dnnl::engine::kind::cpu, 0};
  dnnl::stream strm{eng};
};

// Whether oneDNN can run bf16 matmul/conv on this CPU (checked by creating a primitive).
bool bf16_supported();

// fp32 -> bf16 (round to nearest even, NaN kept quiet), n values; OpenMP-parallel when large.
void convert_bf16(const float* src, std::uint16_t* dst, std::size_t n);

// 2-D convolution over NHWC images:
//   transposed = false: Conv2D KxK stride 1 'same' (pad (K-1)/2 each side),
//                       [N,H,W,IC] -> [N,H,W,OC]
//   transposed = true:  Conv2DTranspose KxK stride 2 'same' (Keras/TF: pad_before = (K-2)/2,
//                       pad_after = K-2-pad_before, no kernel flip), [N,H,W,IC] -> [N,2H,2W,OC]
// weights_oihw: [OC, IC, K, K] fp32 (callers convert from Keras HWIO / HWOI); bias [OC] or null.
class Conv {
 public:
  Conv(Engine& e, int h, int w, int ic, int oc, int k, bool transposed, const float* weights_oihw,
       const float* bias, ComputePrecision p);
  // src [n,H,W,IC] fp32, dst [n,H',W',OC] fp32; primitives cached per n.
  void run(int n, const float* src, float* dst);
  std::string impl_info(int n);
  int out_h() const { return transposed_ ? 2 * h_ : h_; }
  int out_w() const { return transposed_ ? 2 * w_ : w_; }

 private:
  struct Prim {
    dnnl::primitive prim;
    dnnl::memory::desc src_md, wei_md, dst_md;
    dnnl::memory weights;
    std::string impl;
  };
  Prim& get(int n);
  Engine& e_;
  int h_, w_, ic_, oc_, k_;
  bool transposed_;
  ComputePrecision prec_;
  std::vector<float> w_oihw_, bias_;
  std::map<int, Prim> prims_;
  std::vector<std::uint16_t> bf16_src_;
};

// C[M,N] = post(A[M,K] * B[K,N] + bias[N]) (+ C if accumulate). A, C row-major, contiguous.
// post: identity or GELU (erf). B given row-major fp32 at construction, reordered once.
class Matmul {
 public:
  enum class Post { none, gelu };
  Matmul(Engine& e, int k, int n, const float* b_kn, const float* bias, Post post, bool accumulate,
         ComputePrecision p);
  void run(int m, const float* a, float* c);
  std::string impl_info(int m);
  int k() const { return k_; }
  int n() const { return n_; }

 private:
  struct Prim {
    dnnl::primitive prim;
    dnnl::memory::desc src_md, wei_md, dst_md;
    int weights_index = 0;
    std::string impl;
  };
  Prim& get(int m);
  Engine& e_;
  int k_, n_;
  Post post_;
  bool accumulate_;
  ComputePrecision prec_;
  std::vector<float> b_, bias_;
  std::vector<std::pair<dnnl::memory::desc, dnnl::memory>> weights_;  // reordered copies by layout
  dnnl::memory bias_mem_;
  std::map<int, Prim> prims_;
  std::vector<std::uint16_t> bf16_src_;
};

// Conv2D KxK stride 1 'same' with ONE output channel (DoTA's last layer), computed as a GEMM
// to per-tap partial sums followed by a shift-and-add, because oneDNN's direct convolution is
// inefficient for OC = 1:
//   Y[p, t] = sum_c x[p, c] * w[t, c]          (matmul [n*H*W, C] x [C, K*K])
//   out[y, x] = bias + sum_{t=(ky,kx)} Y[(y+ky-pad, x+kx-pad), t]   (in-bounds taps only)
// weights_hwio: Keras kernel [K, K, C, 1]; bias scalar. src [n,H,W,C] -> dst [n,H,W].
class ConvToOne {
 public:
  ConvToOne(Engine& e, int h, int w, int c, int k, const float* weights_hwio, float bias,
            ComputePrecision p);
  void run(int n, const float* src, float* dst);

 private:
  int h_, w_, c_, k_;
  float bias_;
  std::unique_ptr<Matmul> mm_;
  std::vector<float> taps_;
};

}  // namespace dotakv::kernels
