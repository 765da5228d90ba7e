#include <aekit/backend/cpu/convolution.h>

#include <aekit/backend/cpu/dnnl_post_ops.h>
#include <aekit/backend/cpu/elementwise.h>
#include <aekit/core/error.h>

#include <map>
#include <oneapi/dnnl/dnnl.hpp>
#include <omp.h>
#include <tuple>
#include <unordered_map>

namespace aekit::cpu {

namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;
using dims = memory::dims;

dnnl::engine& engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

enum class Op { ConvFwd, ConvBwdData, ConvBwdWeights, DeconvFwd, DeconvBwdData, DeconvBwdWeights };

bool is_deconv(Op op) { return op >= Op::DeconvFwd; }

struct Key {
  Op op;
  ConvGeometry g;
  bool bias;
  int threads;
  Activation act = Activation::Identity;  // fused into forward primitives only
  bool operator<(const Key& o) const {
    if (op != o.op) return op < o.op;
    if (g < o.g) return true;
    if (o.g < g) return false;
    return std::tie(bias, threads, act) < std::tie(o.bias, o.threads, o.act);
  }
};

// A training run uses a few geometries (one per layer and batch size, plus a last partial batch)
// times three operations; past this many the cache starts over rather than grow without bound.
constexpr std::size_t kMaxCached = 96;

// Which oneDNN argument each of our four buffers is, per kind of operation.
struct Args {
  int src, weights, bias, dst;
};
constexpr Args kForward{DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST};
constexpr Args kBackwardData{DNNL_ARG_DIFF_SRC, DNNL_ARG_WEIGHTS, 0, DNNL_ARG_DIFF_DST};
constexpr Args kBackwardWeights{DNNL_ARG_SRC, DNNL_ARG_DIFF_WEIGHTS, DNNL_ARG_DIFF_BIAS, DNNL_ARG_DIFF_DST};

// One primitive with memory objects for its buffers, whose data handles are set per call.
struct Entry {
  dnnl::primitive prim;
  Args args;
  memory src, weights, bias, dst;
  std::string impl;
};

// Shapes oneDNN's way. For a deconvolution oneDNN's src is the smaller image (our input) and its
// weights are (out, in, kh, kw) logically, which PyTorch's (in, out, kh, kw) storage is as "iohw".
struct Descs {
  memory::desc src, weights, bias, dst;
  dims strides, dilates, pad_l, pad_r;
};

Descs descs(const ConvGeometry& g, bool deconv, bool with_bias) {
  Descs d;
  d.src = memory::desc({g.batch, g.in_channels, g.in_h, g.in_w}, dt::f32, tag::nchw);
  d.dst = memory::desc({g.batch, g.out_channels, g.out_h, g.out_w}, dt::f32, tag::nchw);
  d.weights = memory::desc({g.out_channels, g.in_channels, g.kernel_h, g.kernel_w}, dt::f32,
                           deconv ? tag::iohw : tag::oihw);
  if (with_bias) d.bias = memory::desc({g.out_channels}, dt::f32, tag::x);
  d.strides = {g.stride_h, g.stride_w};
  d.dilates = {g.dilation_h - 1, g.dilation_w - 1};  // oneDNN counts the gaps, PyTorch the step
  d.pad_l = {g.pad_h, g.pad_w};
  // The right padding that makes oneDNN's exact size relation hold. For a convolution the
  // "large" side is the input, for a deconvolution the output.
  const int64_t span_h = (g.kernel_h - 1) * g.dilation_h + 1;
  const int64_t span_w = (g.kernel_w - 1) * g.dilation_w + 1;
  const int64_t big_h = deconv ? g.out_h : g.in_h, big_w = deconv ? g.out_w : g.in_w;
  const int64_t small_h = deconv ? g.in_h : g.out_h, small_w = deconv ? g.in_w : g.out_w;
  d.pad_r = {(small_h - 1) * g.stride_h + span_h - big_h - g.pad_h,
             (small_w - 1) * g.stride_w + span_w - big_w - g.pad_w};
  return d;
}

// Every primitive takes the plain layouts of Descs: oneDNN then never reorders our buffers, and
// picks among the implementations that read NCHW directly.
template <typename Primitive, typename PrimitiveDesc>
Entry entry(const PrimitiveDesc& pd, const Descs& d, Args args, bool with_bias) {
  Entry e{Primitive(pd), args, memory(d.src, engine(), nullptr), memory(d.weights, engine(), nullptr),
          memory(), memory(d.dst, engine(), nullptr), pd.impl_info_str()};
  if (with_bias) e.bias = memory(d.bias, engine(), nullptr);
  return e;
}

Entry make_entry(const Key& key) {
  const Descs d = descs(key.g, is_deconv(key.op), key.bias);
  const auto fwd = dnnl::prop_kind::forward_training;
  const auto conv = dnnl::algorithm::convolution_direct;
  const auto dec = dnnl::algorithm::deconvolution_direct;
  // The forward descriptors, made only for the kind asked (a deconvolution's geometry need not be
  // a valid convolution's, and the other way round). Forward primitives fuse the activation.
  dnnl::post_ops po;
  append_activation(po, key.act);
  dnnl::primitive_attr attr;
  attr.set_post_ops(po);
  auto conv_fwd = [&] {
    return dnnl::convolution_forward::primitive_desc(
        {fwd, conv, d.src, d.weights, d.bias, d.dst, d.strides, d.dilates, d.pad_l, d.pad_r}, attr, engine());
  };
  auto dec_fwd = [&] {
    return dnnl::deconvolution_forward::primitive_desc(
        {fwd, dec, d.src, d.weights, d.bias, d.dst, d.strides, d.dilates, d.pad_l, d.pad_r}, attr, engine());
  };
  switch (key.op) {
    case Op::ConvFwd:
      return entry<dnnl::convolution_forward>(
          conv_fwd(), d, kForward, key.bias);
    case Op::ConvBwdData:
      return entry<dnnl::convolution_backward_data>(
          dnnl::convolution_backward_data::primitive_desc(
              {conv, d.src, d.weights, d.dst, d.strides, d.dilates, d.pad_l, d.pad_r}, engine(),
              conv_fwd()),
          d, kBackwardData, false);
    case Op::ConvBwdWeights:
      return entry<dnnl::convolution_backward_weights>(
          dnnl::convolution_backward_weights::primitive_desc(
              {conv, d.src, d.weights, d.bias, d.dst, d.strides, d.dilates, d.pad_l, d.pad_r}, engine(),
              conv_fwd()),
          d, kBackwardWeights, key.bias);
    case Op::DeconvFwd:
      return entry<dnnl::deconvolution_forward>(
          dec_fwd(), d, kForward, key.bias);
    case Op::DeconvBwdData:
      return entry<dnnl::deconvolution_backward_data>(
          dnnl::deconvolution_backward_data::primitive_desc(
              {dec, d.src, d.weights, d.dst, d.strides, d.dilates, d.pad_l, d.pad_r}, engine(),
              dec_fwd()),
          d, kBackwardData, false);
    case Op::DeconvBwdWeights:
      return entry<dnnl::deconvolution_backward_weights>(
          dnnl::deconvolution_backward_weights::primitive_desc(
              {dec, d.src, d.weights, d.bias, d.dst, d.strides, d.dilates, d.pad_l, d.pad_r}, engine(),
              dec_fwd()),
          d, kBackwardWeights, key.bias);
  }
  AEKIT_ASSERT(false, "unknown convolution operation");
  return {};
}

Entry& cached(Key key) {
  // Per calling thread, so that two threads never share one set of memory objects.
  thread_local std::map<Key, Entry> cache;
  key.threads = omp_get_max_threads();
  if (cache.size() >= kMaxCached) cache.clear();
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, make_entry(key)).first;
  return it->second;
}

void run(Op op, const ConvGeometry& g, const float* src, const float* weights, const float* bias,
         const float* dst, Activation act = Activation::Identity) {
  AEKIT_ASSERT(g.batch > 0 && g.in_channels > 0 && g.out_channels > 0, "empty convolution");
  Entry& e = cached({op, g, bias != nullptr, 0, act});
  e.src.set_data_handle(const_cast<float*>(src));
  e.weights.set_data_handle(const_cast<float*>(weights));
  e.dst.set_data_handle(const_cast<float*>(dst));
  std::unordered_map<int, memory> args{{e.args.src, e.src}, {e.args.weights, e.weights}, {e.args.dst, e.dst}};
  if (bias) {
    e.bias.set_data_handle(const_cast<float*>(bias));
    args.emplace(e.args.bias, e.bias);
  }
  thread_local dnnl::stream stream(engine());
  e.prim.execute(stream, args);
  stream.wait();
}

std::string describe(bool deconv, ConvGeometry g) {
  if (g.batch == 0) g.batch = 1;
  const Op fwd = deconv ? Op::DeconvFwd : Op::ConvFwd;
  const Op bwd_d = deconv ? Op::DeconvBwdData : Op::ConvBwdData;
  const Op bwd_w = deconv ? Op::DeconvBwdWeights : Op::ConvBwdWeights;
  return "fwd " + cached({fwd, g, true, 0}).impl + ", bwd_d " + cached({bwd_d, g, false, 0}).impl +
         ", bwd_w " + cached({bwd_w, g, true, 0}).impl;
}

// A forward with the activation fused when oneDNN has it, else followed by our own pass.
void forward(Op op, const ConvGeometry& g, const float* x, const float* w, const float* bias, float* y,
             Activation act) {
  dnnl::post_ops probe;
  if (append_activation(probe, act)) {
    run(op, g, x, w, bias, y, act);
    return;
  }
  run(op, g, x, w, bias, y);
  bias_activation({y, g.batch, g.out_channels * g.out_h * g.out_w}, nullptr, act);
}

}  // namespace

bool ConvGeometry::operator<(const ConvGeometry& o) const {
  return std::tie(batch, in_channels, in_h, in_w, out_channels, out_h, out_w, kernel_h, kernel_w,
                  stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w) <
         std::tie(o.batch, o.in_channels, o.in_h, o.in_w, o.out_channels, o.out_h, o.out_w, o.kernel_h,
                  o.kernel_w, o.stride_h, o.stride_w, o.pad_h, o.pad_w, o.dilation_h, o.dilation_w);
}

void conv2d_forward(const ConvGeometry& g, const float* x, const float* w, const float* bias, float* y,
                    Activation act) {
  forward(Op::ConvFwd, g, x, w, bias, y, act);
}

void conv2d_backward_data(const ConvGeometry& g, const float* dy, const float* w, float* dx) {
  run(Op::ConvBwdData, g, dx, w, nullptr, dy);
}

void conv2d_backward_weights(const ConvGeometry& g, const float* x, const float* dy, float* dw,
                             float* dbias) {
  run(Op::ConvBwdWeights, g, x, dw, dbias, dy);
}

void conv_transpose2d_forward(const ConvGeometry& g, const float* x, const float* w,
                              const float* bias, float* y, Activation act) {
  forward(Op::DeconvFwd, g, x, w, bias, y, act);
}

void conv_transpose2d_backward_data(const ConvGeometry& g, const float* dy, const float* w, float* dx) {
  run(Op::DeconvBwdData, g, dx, w, nullptr, dy);
}

void conv_transpose2d_backward_weights(const ConvGeometry& g, const float* x, const float* dy,
                                       float* dw, float* dbias) {
  run(Op::DeconvBwdWeights, g, x, dw, dbias, dy);
}

bool conv_transpose2d_supported(const ConvGeometry& g) {
  const Descs d = descs(g, true, false);
  return d.pad_r[0] > -g.stride_h && d.pad_r[1] > -g.stride_w;
}

std::string conv2d_description(const ConvGeometry& g) { return describe(false, g); }
std::string conv_transpose2d_description(const ConvGeometry& g) { return describe(true, g); }

}  // namespace aekit::cpu
