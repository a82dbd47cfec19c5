#include "train_dnnl.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <omp.h>

#include <oneapi/dnnl/dnnl.hpp>

#include "dotakv/kernels.hpp"

namespace dotakv::layers::detail {

namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;
using Args = std::unordered_map<int, memory>;

struct Ctx {
  dnnl::engine eng{dnnl::engine::kind::cpu, 0};
  dnnl::stream strm{eng};
};
Ctx& ctx() {
  thread_local Ctx c;
  return c;
}

// Per-thread growable buffers, one per slot.
template <class T, int Slot>
T* buffer(std::size_t n) {
  thread_local std::vector<T> b;
  if (b.size() < n) b.resize(n);
  return b.data();
}

dt data_type(ComputePrecision p) {
  return p == ComputePrecision::bf16 ? dt::bf16 : dt::f32;
}

// The operand as the primitive wants it: the fp32 data itself, or a bf16 copy in slot `Slot`.
template <int Slot>
void* operand(const float* src, std::size_t n, ComputePrecision p) {
  if (p != ComputePrecision::bf16) return const_cast<float*>(src);
  auto* b = buffer<std::uint16_t, Slot>(n);
  kernels::convert_bf16(src, b, n);
  return b;
}

void run(const dnnl::primitive& prim, Args args) {
  prim.execute(ctx().strm, args);
  ctx().strm.wait();
}

// Reorders user memory into `want` (which may differ in layout and precision); returns the
// memory the primitive should read (the user memory itself when the descriptors match).
memory as_desc(const memory& user, const memory::desc& want, std::vector<float>& f32_storage,
               std::vector<std::uint16_t>& bf16_storage) {
  if (user.get_desc() == want) return user;
  memory m;
  const std::size_t bytes = want.get_size();
  if (want.data_type() == dt::bf16) {
    bf16_storage.resize(bytes / 2 + 1);
    m = memory(want, ctx().eng, bf16_storage.data());
  } else {
    f32_storage.resize(bytes / 4 + 1);
    m = memory(want, ctx().eng, f32_storage.data());
  }
  memory src = user;
  dnnl::reorder(src, m).execute(ctx().strm, src, m);
  ctx().strm.wait();
  return m;
}

// ------------------------------------------------------------------ convolutions
// One shape of Conv2D (stride 1, 'same') or Conv2DTranspose (stride 2, 'same'): the forward
// primitive and both backward primitives with their descriptors.
struct ConvPrims {
  bool usable = false;  // false: oneDNN offers only its reference kernel; the caller uses Eigen
  std::string impl;
  memory::desc src_p, src_f, dst_p, dst_f;  // activations in the compute precision / fp32
  memory::desc user_wei;                    // the Keras kernel as oneDNN dims {O, I, K, K}
  memory::desc fwd_wei, bd_wei, bw_diff_wei;
  dnnl::primitive fwd, bwd_data, bwd_weights;
};

// Stores the three primitives of a shape and the weight layouts they chose.
template <class Fwd, class BwdData, class BwdWeights>
void keep(ConvPrims& c, const typename Fwd::primitive_desc& fpd,
          const typename BwdData::primitive_desc& bdpd,
          const typename BwdWeights::primitive_desc& bwpd) {
  c.fwd = Fwd(fpd);
  c.bwd_data = BwdData(bdpd);
  c.bwd_weights = BwdWeights(bwpd);
  c.fwd_wei = fpd.weights_desc();
  c.bd_wei = bdpd.weights_desc();
  c.bw_diff_wei = bwpd.diff_weights_desc();
  c.impl = std::string(fpd.impl_info_str()) + " / " + bdpd.impl_info_str() + " / " +
           bwpd.impl_info_str();
}

// Shape, precision and the thread count oneDNN sees (omp_get_max_threads(): some primitives fix
// their work split at creation, so one created for 2 threads must not run inside a 1-thread
// context, where its second thread would never arrive).
using ConvKey = std::tuple<bool, int, int, int, int, int, int, bool, int, int>;

ConvPrims make_conv(bool transposed, int n, int h, int w, int cin, int cout, int k, bool bias,
                    ComputePrecision prec) {
  auto& e = ctx();
  ConvPrims c;
  const dt pdt = data_type(prec);
  const int oh = transposed ? 2 * h : h, ow = transposed ? 2 * w : w;
  c.src_p = memory::desc({n, cin, h, w}, pdt, tag::nhwc);
  c.src_f = memory::desc({n, cin, h, w}, dt::f32, tag::nhwc);
  c.dst_p = memory::desc({n, cout, oh, ow}, pdt, tag::nhwc);
  c.dst_f = memory::desc({n, cout, oh, ow}, dt::f32, tag::nhwc);
  const memory::dims wdims{cout, cin, k, k};
  // Conv2D kernel [k,k,cin,cout] (hwio); Conv2DTranspose kernel [k,k,cout,cin]: strides per dim
  c.user_wei =
      transposed
          ? memory::desc(wdims, dt::f32,
                         memory::dims{cin, 1, memory::dim(k) * cout * cin, memory::dim(cout) * cin})
          : memory::desc(wdims, dt::f32, tag::hwio);
  const memory::desc wei_any(wdims, pdt, tag::any), dwei_any(wdims, dt::f32, tag::any);
  const memory::desc bias_md({cout}, dt::f32, tag::a);
  const auto fwd_kind = dnnl::prop_kind::forward_training;
  if (!transposed) {
    const int pad = (k - 1) / 2;
    const memory::dims s{1, 1}, pl{pad, pad}, pr{pad, pad};
    const auto alg = dnnl::algorithm::convolution_direct;
    auto fd =
        bias ? dnnl::convolution_forward::desc(fwd_kind, alg, c.src_p, wei_any, bias_md, c.dst_f, s,
                                               pl, pr)
             : dnnl::convolution_forward::desc(fwd_kind, alg, c.src_p, wei_any, c.dst_f, s, pl, pr);
    dnnl::convolution_forward::primitive_desc fpd(fd, e.eng);
    dnnl::convolution_backward_data::primitive_desc bdpd(
        dnnl::convolution_backward_data::desc(alg, c.src_f, wei_any, c.dst_p, s, pl, pr), e.eng,
        fpd);
    auto wd =
        bias ? dnnl::convolution_backward_weights::desc(alg, c.src_p, dwei_any, bias_md, c.dst_p, s,
                                                        pl, pr)
             : dnnl::convolution_backward_weights::desc(alg, c.src_p, dwei_any, c.dst_p, s, pl, pr);
    dnnl::convolution_backward_weights::primitive_desc bwpd(wd, e.eng, fpd);
    keep<dnnl::convolution_forward, dnnl::convolution_backward_data,
         dnnl::convolution_backward_weights>(c, fpd, bdpd, bwpd);
  } else {
    const int pl0 = (k - 2) / 2, pr0 = k - 2 - pl0;
    const memory::dims s{2, 2}, pl{pl0, pl0}, pr{pr0, pr0};
    const auto alg = dnnl::algorithm::deconvolution_direct;
    dnnl::deconvolution_forward::primitive_desc fpd(
        dnnl::deconvolution_forward::desc(fwd_kind, alg, c.src_p, wei_any, c.dst_f, s, pl, pr),
        e.eng);
    dnnl::deconvolution_backward_data::primitive_desc bdpd(
        dnnl::deconvolution_backward_data::desc(alg, c.src_f, wei_any, c.dst_p, s, pl, pr), e.eng,
        fpd);
    dnnl::deconvolution_backward_weights::primitive_desc bwpd(
        dnnl::deconvolution_backward_weights::desc(alg, c.src_p, dwei_any, c.dst_p, s, pl, pr),
        e.eng, fpd);
    keep<dnnl::deconvolution_forward, dnnl::deconvolution_backward_data,
         dnnl::deconvolution_backward_weights>(c, fpd, bdpd, bwpd);
  }
  c.usable = c.impl.find("ref") == std::string::npos;
  return c;
}

ConvPrims& conv_prims(bool transposed, int n, int h, int w, int cin, int cout, int k, bool bias,
                      ComputePrecision prec) {
  thread_local std::map<ConvKey, ConvPrims> cache;
  const ConvKey key{transposed, n, h, w, cin, cout, k, bias, int(prec), omp_get_max_threads()};
  auto it = cache.find(key);
  if (it == cache.end())
    it = cache.emplace(key, make_conv(transposed, n, h, w, cin, cout, k, bias, prec)).first;
  return it->second;
}

bool conv_forward(bool transposed, const float* x, int n, int h, int w, int cin,
                  const float* kernel, const float* bias, int k, int cout, float* y,
                  ComputePrecision prec) {
  ConvPrims& c = conv_prims(transposed, n, h, w, cin, cout, k, bias != nullptr, prec);
  if (!c.usable) return false;
  auto& e = ctx();
  thread_local std::vector<float> wf;
  thread_local std::vector<std::uint16_t> wb;
  const memory user_w(c.user_wei, e.eng, const_cast<float*>(kernel));
  Args args{
      {DNNL_ARG_SRC, memory(c.src_p, e.eng, operand<0>(x, std::size_t(n) * h * w * cin, prec))},
      {DNNL_ARG_WEIGHTS, as_desc(user_w, c.fwd_wei, wf, wb)},
      {DNNL_ARG_DST, memory(c.dst_f, e.eng, y)}};
  if (bias)
    args.insert(
        {DNNL_ARG_BIAS, memory({{cout}, dt::f32, tag::a}, e.eng, const_cast<float*>(bias))});
  run(c.fwd, std::move(args));
  return true;
}

bool conv_backward(bool transposed, const float* x, int n, int h, int w, int cin,
                   const float* kernel, int k, int cout, const float* dy, float* dx, float* dkernel,
                   float* dbias, ComputePrecision prec) {
  // the primitive set with diff_bias is used whenever a bias gradient is wanted
  ConvPrims& c = conv_prims(transposed, n, h, w, cin, cout, k, dbias != nullptr, prec);
  if (!c.usable) return false;
  auto& e = ctx();
  const int oh = transposed ? 2 * h : h, ow = transposed ? 2 * w : w;
  const memory dy_m(c.dst_p, e.eng, operand<1>(dy, std::size_t(n) * oh * ow * cout, prec));
  if (dx) {
    thread_local std::vector<float> wf;
    thread_local std::vector<std::uint16_t> wb;
    const memory user_w(c.user_wei, e.eng, const_cast<float*>(kernel));
    run(c.bwd_data, {{DNNL_ARG_DIFF_DST, dy_m},
                     {DNNL_ARG_WEIGHTS, as_desc(user_w, c.bd_wei, wf, wb)},
                     {DNNL_ARG_DIFF_SRC, memory(c.src_f, e.eng, dx)}});
  }
  if (dkernel || dbias) {
    const std::size_t wsz = std::size_t(k) * k * cin * cout;
    thread_local std::vector<float> dw_prim, dw_user, db;
    dw_prim.resize(c.bw_diff_wei.get_size() / 4 + 1);
    dw_user.resize(wsz);
    db.assign(std::size_t(cout), 0.f);
    const memory dw_m(c.bw_diff_wei, e.eng, dw_prim.data());
    Args args{
        {DNNL_ARG_SRC, memory(c.src_p, e.eng, operand<0>(x, std::size_t(n) * h * w * cin, prec))},
        {DNNL_ARG_DIFF_DST, dy_m},
        {DNNL_ARG_DIFF_WEIGHTS, dw_m}};
    if (dbias)
      args.insert({DNNL_ARG_DIFF_BIAS, memory({{cout}, dt::f32, tag::a}, e.eng, db.data())});
    run(c.bwd_weights, std::move(args));
    if (dkernel) {
      memory user_dw(c.user_wei, e.eng, dw_user.data()), dw_src = dw_m;
      dnnl::reorder(dw_src, user_dw).execute(e.strm, dw_src, user_dw);
      e.strm.wait();
      for (std::size_t i = 0; i < wsz; ++i) dkernel[i] += dw_user[i];
    }
    if (dbias)
      for (int o = 0; o < cout; ++o) dbias[o] += db[std::size_t(o)];
  }
  return true;
}

// ------------------------------------------------------------------ matrix products
// C [m,n] (+)= A [m,k] * B [k,n] with A and B given by their row/column strides (so transposed
// views of row-major data need no copy).
struct MatmulKey {
  int m, n, k;
  long long as0, as1, bs0, bs1;
  bool bias, accumulate;
  int prec, threads;
  auto operator<=>(const MatmulKey&) const = default;
};

struct MatmulPrim {
  dnnl::primitive prim;
  memory::desc a, b, c, bias;
};

MatmulPrim& matmul_prim(const MatmulKey& key) {
  thread_local std::map<MatmulKey, MatmulPrim> cache;
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  const dt pdt = data_type(ComputePrecision(key.prec));
  MatmulPrim p;
  p.a = memory::desc({key.m, key.k}, pdt, memory::dims{key.as0, key.as1});
  p.b = memory::desc({key.k, key.n}, pdt, memory::dims{key.bs0, key.bs1});
  p.c = memory::desc({key.m, key.n}, dt::f32, tag::ab);
  p.bias = memory::desc({1, key.n}, dt::f32, tag::ab);
  dnnl::primitive_attr attr;
  if (key.accumulate) {
    dnnl::post_ops po;
    po.append_sum(1.f);
    attr.set_post_ops(po);
  }
  auto d = key.bias ? dnnl::matmul::desc(p.a, p.b, p.bias, p.c) : dnnl::matmul::desc(p.a, p.b, p.c);
  p.prim = dnnl::matmul(dnnl::matmul::primitive_desc(d, attr, ctx().eng));
  return cache.emplace(key, std::move(p)).first->second;
}

// a: the m x k operand stored with strides (as0, as1) over `a_count` floats; likewise b.
template <int SlotA, int SlotB>
void matmul(const float* a, std::size_t a_count, long long as0, long long as1, const float* b,
            std::size_t b_count, long long bs0, long long bs1, int m, int n, int k,
            const float* bias, bool accumulate, float* c, ComputePrecision prec) {
  MatmulPrim& p = matmul_prim(
      {m, n, k, as0, as1, bs0, bs1, bias != nullptr, accumulate, int(prec), omp_get_max_threads()});
  auto& e = ctx();
  Args args{{DNNL_ARG_SRC, memory(p.a, e.eng, operand<SlotA>(a, a_count, prec))},
            {DNNL_ARG_WEIGHTS, memory(p.b, e.eng, operand<SlotB>(b, b_count, prec))},
            {DNNL_ARG_DST, memory(p.c, e.eng, c)}};
  if (bias) args.insert({DNNL_ARG_BIAS, memory(p.bias, e.eng, const_cast<float*>(bias))});
  run(p.prim, std::move(args));
}

}  // namespace

bool dnnl_conv2d_forward(const float* x, int n, int h, int w, int cin, const float* kernel,
                         const float* bias, int k, int cout, float* y, ComputePrecision prec) {
  return conv_forward(false, x, n, h, w, cin, kernel, bias, k, cout, y, prec);
}

bool dnnl_conv2d_backward(const float* x, int n, int h, int w, int cin, const float* kernel, int k,
                          int cout, const float* dy, float* dx, float* dkernel, float* dbias,
                          ComputePrecision prec) {
  return conv_backward(false, x, n, h, w, cin, kernel, k, cout, dy, dx, dkernel, dbias, prec);
}

bool dnnl_deconv2_forward(const float* x, int n, int h, int w, int cin, const float* kernel, int k,
                          int cout, float* y, ComputePrecision prec) {
  return conv_forward(true, x, n, h, w, cin, kernel, nullptr, k, cout, y, prec);
}

bool dnnl_deconv2_backward(const float* x, int n, int h, int w, int cin, const float* kernel, int k,
                           int cout, const float* dy, float* dx, float* dkernel,
                           ComputePrecision prec) {
  return conv_backward(true, x, n, h, w, cin, kernel, k, cout, dy, dx, dkernel, nullptr, prec);
}

void dnnl_dense_forward(const float* x, int rows, int in, const float* w, const float* b, int out,
                        float* y, ComputePrecision prec) {
  const std::size_t xs = std::size_t(rows) * in, ws = std::size_t(in) * out;
  matmul<0, 1>(x, xs, in, 1, w, ws, out, 1, rows, out, in, b, false, y, prec);
}

void dnnl_dense_backward(const float* x, int rows, int in, const float* w, int out, const float* dy,
                         float* dx, float* dw, ComputePrecision prec) {
  const std::size_t xs = std::size_t(rows) * in, ws = std::size_t(in) * out,
                    ys = std::size_t(rows) * out;
  // dx [rows,in] = dy [rows,out] * w^T (w^T [out,in] has strides (1, out))
  if (dx) matmul<1, 0>(dy, ys, out, 1, w, ws, 1, out, rows, in, out, nullptr, false, dx, prec);
  // dw [in,out] += x^T [in,rows] (strides (1, in)) * dy [rows,out]
  if (dw) matmul<0, 1>(x, xs, 1, in, dy, ys, out, 1, in, out, rows, nullptr, true, dw, prec);
}

std::string dnnl_conv_impl(bool transposed, int n, int h, int w, int cin, int k, int cout,
                           ComputePrecision prec) {
  return conv_prims(transposed, n, h, w, cin, cout, k, !transposed, prec).impl;
}

}  // namespace dotakv::layers::detail
