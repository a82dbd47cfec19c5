#include "dotakv/kernels.hpp"

#include <cstring>

#include "dotakv/error.hpp"

namespace dotakv::kernels {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {
inline std::uint16_t to_bf16(float f) {
  std::uint32_t x;
  std::memcpy(&x, &f, 4);
  if ((x & 0x7fffffffu) > 0x7f800000u) return std::uint16_t((x >> 16) | 0x40u);  // quiet NaN
  x += 0x7fffu + ((x >> 16) & 1u);  // round to nearest even
  return std::uint16_t(x >> 16);
}
}  // namespace

void convert_bf16(const float* src, std::uint16_t* dst, std::size_t n) {
#pragma omp parallel for schedule(static) if (n > 65536)
  for (std::size_t i = 0; i < n; ++i) dst[i] = to_bf16(src[i]);
}

bool bf16_supported() {
  static const bool ok = [] {
    try {
      Engine e;
      memory::desc a({64, 64}, dt::bf16, tag::ab), b({64, 64}, dt::bf16, tag::any),
          c({64, 64}, dt::f32, tag::ab);
      dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a, b, c), e.eng);
      return std::string(pd.impl_info_str()).find("ref") == std::string::npos;
    } catch (const dnnl::error&) {
      return false;
    }
  }();
  return ok;
}

// ---------------- Conv ----------------
Conv::Conv(Engine& e, int h, int w, int ic, int oc, int k, bool transposed,
           const float* weights_oihw, const float* bias, ComputePrecision p)
    : e_(e),
      h_(h),
      w_(w),
      ic_(ic),
      oc_(oc),
      k_(k),
      transposed_(transposed),
      prec_(p),
      w_oihw_(weights_oihw, weights_oihw + std::size_t(oc) * ic * k * k) {
  if (bias) bias_.assign(bias, bias + oc);
  if (prec_ == ComputePrecision::bf16 && !bf16_supported()) prec_ = ComputePrecision::fp32;
}

Conv::Prim& Conv::get(int n) {
  auto it = prims_.find(n);
  if (it != prims_.end()) return it->second;
  const dt sdt = prec_ == ComputePrecision::bf16 ? dt::bf16 : dt::f32;
  Prim p;
  p.src_md = memory::desc({n, ic_, h_, w_}, sdt, tag::nhwc);
  p.dst_md = memory::desc({n, oc_, out_h(), out_w()}, dt::f32, tag::nhwc);
  memory::desc wei_any({oc_, ic_, k_, k_}, sdt, tag::any);
  memory::desc bias_md({oc_}, dt::f32, tag::a);
  dnnl::primitive_desc_base pdb;
  memory::desc wei_md;
  if (!transposed_) {
    const int pad = (k_ - 1) / 2;
    auto d = bias_.empty()
                 ? dnnl::convolution_forward::desc(
                       dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                       p.src_md, wei_any, p.dst_md, {1, 1}, {pad, pad}, {pad, pad})
                 : dnnl::convolution_forward::desc(
                       dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                       p.src_md, wei_any, bias_md, p.dst_md, {1, 1}, {pad, pad}, {pad, pad});
    dnnl::convolution_forward::primitive_desc pd(d, e_.eng);
    p.prim = dnnl::convolution_forward(pd);
    p.wei_md = pd.weights_desc();
    p.impl = pd.impl_info_str();
  } else {
    const int pl = (k_ - 2) / 2, pr = k_ - 2 - pl;
    auto d = dnnl::deconvolution_forward::desc(dnnl::prop_kind::forward_inference,
                                               dnnl::algorithm::deconvolution_direct, p.src_md,
                                               wei_any, p.dst_md, {2, 2}, {pl, pl}, {pr, pr});
    dnnl::deconvolution_forward::primitive_desc pd(d, e_.eng);
    p.prim = dnnl::deconvolution_forward(pd);
    p.wei_md = pd.weights_desc();
    p.impl = pd.impl_info_str();
  }
  // reorder the weights once into the primitive's layout (and precision)
  memory user({{oc_, ic_, k_, k_}, dt::f32, tag::oihw}, e_.eng, w_oihw_.data());
  p.weights = memory(p.wei_md, e_.eng);
  dnnl::reorder(user, p.weights).execute(e_.strm, user, p.weights);
  e_.strm.wait();
  return prims_.emplace(n, std::move(p)).first->second;
}

void Conv::run(int n, const float* src, float* dst) {
  Prim& p = get(n);
  void* s = const_cast<float*>(src);
  if (prec_ == ComputePrecision::bf16) {
    const std::size_t cnt = std::size_t(n) * h_ * w_ * ic_;
    if (bf16_src_.size() < cnt) bf16_src_.resize(cnt);
    convert_bf16(src, bf16_src_.data(), cnt);
    s = bf16_src_.data();
  }
  memory sm(p.src_md, e_.eng, s), dm(p.dst_md, e_.eng, dst);
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, sm}, {DNNL_ARG_WEIGHTS, p.weights}, {DNNL_ARG_DST, dm}};
  if (!bias_.empty())
    args.insert({DNNL_ARG_BIAS, memory({{oc_}, dt::f32, tag::a}, e_.eng, bias_.data())});
  p.prim.execute(e_.strm, args);
  e_.strm.wait();
}

std::string Conv::impl_info(int n) {
  return get(n).impl;
}

// ---------------- Matmul ----------------
Matmul::Matmul(Engine& e, int k, int n, const float* b_kn, const float* bias, Post post,
               bool accumulate, ComputePrecision p)
    : e_(e),
      k_(k),
      n_(n),
      post_(post),
      accumulate_(accumulate),
      prec_(p),
      b_(b_kn, b_kn + std::size_t(k) * n) {
  if (bias) {
    bias_.assign(bias, bias + n);
    bias_mem_ = memory({{1, n_}, dt::f32, tag::ab}, e_.eng, bias_.data());
  }
  if (prec_ == ComputePrecision::bf16 && !bf16_supported()) prec_ = ComputePrecision::fp32;
}

Matmul::Prim& Matmul::get(int m) {
  auto it = prims_.find(m);
  if (it != prims_.end()) return it->second;
  const dt sdt = prec_ == ComputePrecision::bf16 ? dt::bf16 : dt::f32;
  Prim p;
  p.src_md = memory::desc({m, k_}, sdt, tag::ab);
  p.dst_md = memory::desc({m, n_}, dt::f32, tag::ab);
  memory::desc bias_md({1, n_}, dt::f32, tag::ab);
  dnnl::post_ops po;
  if (post_ == Post::gelu) po.append_eltwise(1.f, dnnl::algorithm::eltwise_gelu_erf, 0.f, 0.f);
  if (accumulate_) po.append_sum(1.f);
  dnnl::primitive_attr attr;
  attr.set_post_ops(po);
  auto make = [&](const memory::desc& wmd) {
    auto d = bias_.empty() ? dnnl::matmul::desc(p.src_md, wmd, p.dst_md)
                           : dnnl::matmul::desc(p.src_md, wmd, bias_md, p.dst_md);
    return dnnl::matmul::primitive_desc(d, attr, e_.eng);
  };
  // Prefer a weights layout already reordered (no second copy of large weights); accept it
  // only if oneDNN serves it with an optimized (non-reference) kernel.
  dnnl::matmul::primitive_desc pd;
  bool found = false;
  for (std::size_t i = 0; i < weights_.size() && !found; ++i) {
    try {
      pd = make(weights_[i].first);
      if (std::string(pd.impl_info_str()).find("ref") == std::string::npos) {
        p.weights_index = int(i);
        found = true;
      }
    } catch (const dnnl::error&) {
    }
  }
  if (!found) {
    pd = make(memory::desc({k_, n_}, sdt, tag::any));
    const memory::desc wmd = pd.weights_desc();
    int idx = -1;
    for (std::size_t i = 0; i < weights_.size(); ++i)
      if (weights_[i].first == wmd) idx = int(i);
    if (idx < 0) {
      memory user({{k_, n_}, dt::f32, tag::ab}, e_.eng, b_.data());
      memory w(wmd, e_.eng);
      dnnl::reorder(user, w).execute(e_.strm, user, w);
      e_.strm.wait();
      weights_.emplace_back(wmd, w);
      idx = int(weights_.size()) - 1;
    }
    p.weights_index = idx;
  }
  p.prim = dnnl::matmul(pd);
  p.wei_md = weights_[std::size_t(p.weights_index)].first;
  p.impl = pd.impl_info_str();
  return prims_.emplace(m, std::move(p)).first->second;
}

void Matmul::run(int m, const float* a, float* c) {
  Prim& p = get(m);
  void* s = const_cast<float*>(a);
  if (prec_ == ComputePrecision::bf16) {
    const std::size_t cnt = std::size_t(m) * k_;
    if (bf16_src_.size() < cnt) bf16_src_.resize(cnt);
    convert_bf16(a, bf16_src_.data(), cnt);
    s = bf16_src_.data();
  }
  memory sm(p.src_md, e_.eng, s), dm(p.dst_md, e_.eng, c);
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, sm},
      {DNNL_ARG_WEIGHTS, weights_[std::size_t(p.weights_index)].second},
      {DNNL_ARG_DST, dm}};
  if (!bias_.empty()) args.insert({DNNL_ARG_BIAS, bias_mem_});
  p.prim.execute(e_.strm, args);
  e_.strm.wait();
}

std::string Matmul::impl_info(int m) {
  return get(m).impl;
}

// ---------------- ConvToOne ----------------
ConvToOne::ConvToOne(Engine& e, int h, int w, int c, int k, const float* weights_hwio, float bias,
                     ComputePrecision p)
    : h_(h), w_(w), c_(c), k_(k), bias_(bias) {
  std::vector<float> wt(std::size_t(c) * k * k);  // [C, K*K]
  for (int t = 0; t < k * k; ++t)
    for (int ch = 0; ch < c; ++ch)
      wt[std::size_t(ch) * k * k + t] = weights_hwio[std::size_t(t) * c + ch];
  mm_ = std::make_unique<Matmul>(e, c, k * k, wt.data(), nullptr, Matmul::Post::none, false, p);
}

void ConvToOne::run(int n, const float* src, float* dst) {
  const int KK = k_ * k_, pad = (k_ - 1) / 2, HW = h_ * w_;
  const std::size_t need = std::size_t(n) * HW * KK;
  if (taps_.size() < need) taps_.resize(need);
  mm_->run(n * HW, src, taps_.data());
#pragma omp parallel for schedule(static)
  for (int i = 0; i < n; ++i) {
    const float* Y = taps_.data() + std::size_t(i) * HW * KK;
    float* o = dst + std::size_t(i) * HW;
    for (int y = 0; y < h_; ++y)
      for (int x = 0; x < w_; ++x) {
        float s = bias_;
        for (int ky = 0; ky < k_; ++ky) {
          const int iy = y + ky - pad;
          if (iy < 0 || iy >= h_) continue;
          for (int kx = 0; kx < k_; ++kx) {
            const int ix = x + kx - pad;
            if (ix < 0 || ix >= w_) continue;
            s += Y[(std::size_t(iy) * w_ + ix) * KK + ky * k_ + kx];
          }
        }
        o[std::size_t(y) * w_ + x] = s;
      }
  }
}

}  // namespace dotakv::kernels
