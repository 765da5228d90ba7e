#include <aekit/backend/cpu/convolution.h>

#include <aekit/backend/cpu/dnnl_post_ops.h>
#include <aekit/backend/cpu/elementwise.h>
#include <aekit/backend/cpu/narrow_deconvolution.h>
#include <aekit/backend/cpu/small_product.h>
#include <aekit/core/error.h>

#include <algorithm>
#include <array>
#include <exception>
#include <map>
#include <oneapi/dnnl/dnnl.hpp>
#include <omp.h>
#include <tuple>
#include <unordered_map>
#include <vector>

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

// Which oneDNN argument each of our four buffers is, per kind of operation, and which of them the
// operation writes.
struct Args {
  int src, weights, bias, dst;
  bool src_out, weights_out, bias_out, dst_out;
};
constexpr Args kForward{DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST, false, false, false, true};
constexpr Args kBackwardData{DNNL_ARG_DIFF_SRC, DNNL_ARG_WEIGHTS, 0, DNNL_ARG_DIFF_DST, true, false, false, false};
constexpr Args kBackwardWeights{DNNL_ARG_SRC,       DNNL_ARG_DIFF_WEIGHTS, DNNL_ARG_DIFF_BIAS,
                                DNNL_ARG_DIFF_DST,  false, true, true, false};

// One argument of a primitive: the memory object over the caller's buffer (its handle is set per
// call) and, when the primitive chose another layout, the primitive's own buffer (allocated once,
// with the cached entry) and the reorder between the two, with its arguments bound in advance.
struct Binding {
  bool used = false;
  bool output = false;
  bool serial = false;  // reordered by the calling thread alone (see kSerialReorderBytes)
  memory user;
  memory inner;  // user itself unless reordered
  dnnl::primitive reorder;
  std::unordered_map<int, memory> reorder_args;
  bool reordered() const { return static_cast<bool>(reorder); }
};

// Reorders of fewer bytes than this (weights and their gradients: 18 KB for the reference model's
// largest) run on the calling thread alone. Each is an exact copy, so the thread count changes
// nothing in the result, while a parallel one costs more than the copy: with passive waiting (the
// aekit command's, tools/cli/openmp_waiting.cpp) a futex wake-up and a sleep per region. In the
// reference model's training step at 2 threads they were 2.5 of its 40 parallel regions (a
// perf probe on libgomp's GOMP_parallel); with the bias and activation in one pass (forward
// below) 35 remain.
constexpr size_t kSerialReorderBytes = size_t{1} << 18;

Binding bind(const memory::desc& user_desc, const memory::desc& inner_desc, bool output) {
  Binding b;
  b.used = true;
  b.output = output;
  b.user = memory(user_desc, engine(), nullptr);
  if (inner_desc == user_desc) {
    b.inner = b.user;
    return b;
  }
  b.inner = memory(inner_desc, engine());
  const memory& from = output ? b.inner : b.user;
  const memory& to = output ? b.user : b.inner;
  b.reorder = dnnl::reorder(dnnl::reorder::primitive_desc(engine(), from.get_desc(), engine(), to.get_desc()));
  b.reorder_args = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}};
  b.serial = std::max(user_desc.get_size(), inner_desc.get_size()) < kSerialReorderBytes;
  return b;
}

// One primitive with its four bindings (src, weights, bias, dst in our order; bias unused for
// backward data and when there is none) and its arguments bound once.
struct Entry {
  dnnl::primitive prim;
  std::array<Binding, 4> bindings;
  std::unordered_map<int, memory> args;
  std::string impl;
};

// Shapes oneDNN's way. For a deconvolution oneDNN's src is the smaller image (our input) and its
// weights are (out, in, kh, kw) logically, which PyTorch's (in, out, kh, kw) storage is as "iohw".
// `src`, `weights`, `bias`, `dst` are the caller's layouts; `any_*` what the primitive is created
// with: the caller's layout where it is Blocked (the neighbouring convolution chose it), else
// format_tag::any.
struct Descs {
  memory::desc src, weights, bias, dst;
  memory::desc any_src, any_weights, any_dst;
  dims strides, dilates, pad_l, pad_r;
};

tag image_tag(ImageLayout layout) {
  if (layout == ImageLayout::Plain) return tag::nchw;
  return image_channel_block() == 16 ? tag::nChw16c : tag::nChw8c;
}

memory::desc plain_src(const ConvGeometry& g) {
  return memory::desc({g.batch, g.in_channels, g.in_h, g.in_w}, dt::f32, tag::nchw);
}
memory::desc plain_dst(const ConvGeometry& g) {
  return memory::desc({g.batch, g.out_channels, g.out_h, g.out_w}, dt::f32, tag::nchw);
}

// Whether the output of `g` fills only part of its last channel block, so that a blocked kernel
// computes padding channels (all of them but a few when the output has fewer channels than a block).
bool pads_output_channels(const ConvGeometry& g) {
  const int64_t block = image_channel_block();
  return block > 0 && g.out_channels % block != 0;
}

Descs descs(const ConvGeometry& g, bool deconv, bool with_bias) {
  Descs d;
  const dims src_dims{g.batch, g.in_channels, g.in_h, g.in_w};
  const dims dst_dims{g.batch, g.out_channels, g.out_h, g.out_w};
  const dims weight_dims{g.out_channels, g.in_channels, g.kernel_h, g.kernel_w};
  d.src = memory::desc(src_dims, dt::f32, image_tag(g.in_layout));
  d.dst = memory::desc(dst_dims, dt::f32, image_tag(g.out_layout));
  d.weights = memory::desc(weight_dims, dt::f32, deconv ? tag::iohw : tag::oihw);
  if (with_bias) d.bias = memory::desc({g.out_channels}, dt::f32, tag::x);
  d.any_src = g.in_layout == ImageLayout::Blocked ? d.src : memory::desc(src_dims, dt::f32, tag::any);
  d.any_dst = g.out_layout == ImageLayout::Blocked ? d.dst : memory::desc(dst_dims, dt::f32, tag::any);
  d.any_weights = memory::desc(weight_dims, dt::f32, tag::any);
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

// The entry of a primitive whose chosen layouts are `inner` (src, weights, bias, dst in our
// order; a zero desc where the argument is unused).
template <typename Primitive, typename PrimitiveDesc>
Entry entry(const PrimitiveDesc& pd, const Descs& d, const Args& a, const std::array<memory::desc, 4>& inner) {
  Entry e;
  e.prim = Primitive(pd);
  e.impl = pd.impl_info_str();
  const std::array<memory::desc, 4> user{d.src, d.weights, d.bias, d.dst};
  const std::array<int, 4> ids{a.src, a.weights, a.bias, a.dst};
  const std::array<bool, 4> out{a.src_out, a.weights_out, a.bias_out, a.dst_out};
  for (size_t i = 0; i < 4; ++i) {
    if (ids[i] == 0 || inner[i].is_zero()) continue;
    e.bindings[i] = bind(user[i], inner[i], out[i]);
    e.args.emplace(ids[i], e.bindings[i].inner);
  }
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
  const memory::desc no_bias;
  const memory::desc& bias = key.bias ? d.bias : no_bias;
  auto conv_fwd = [&] {
    return dnnl::convolution_forward::primitive_desc(
        {fwd, conv, d.any_src, d.any_weights, bias, d.any_dst, d.strides, d.dilates, d.pad_l, d.pad_r}, attr,
        engine());
  };
  auto dec_fwd = [&] {
    return dnnl::deconvolution_forward::primitive_desc(
        {fwd, dec, d.any_src, d.any_weights, bias, d.any_dst, d.strides, d.dilates, d.pad_l, d.pad_r}, attr,
        engine());
  };
  auto forward_entry = [&](auto tag_primitive, const auto& pd) {
    using Primitive = decltype(tag_primitive);
    return entry<Primitive>(pd, d, kForward,
                            {pd.src_desc(), pd.weights_desc(), key.bias ? pd.bias_desc() : no_bias, pd.dst_desc()});
  };
  auto backward_data_entry = [&](auto tag_primitive, const auto& pd) {
    using Primitive = decltype(tag_primitive);
    return entry<Primitive>(pd, d, kBackwardData, {pd.diff_src_desc(), pd.weights_desc(), no_bias, pd.diff_dst_desc()});
  };
  auto backward_weights_entry = [&](auto tag_primitive, const auto& pd) {
    using Primitive = decltype(tag_primitive);
    return entry<Primitive>(pd, d, kBackwardWeights,
                            {pd.src_desc(), pd.diff_weights_desc(), key.bias ? pd.diff_bias_desc() : no_bias,
                             pd.diff_dst_desc()});
  };
  switch (key.op) {
    case Op::ConvFwd:
      return forward_entry(dnnl::convolution_forward(), conv_fwd());
    case Op::ConvBwdData:
      return backward_data_entry(
          dnnl::convolution_backward_data(),
          dnnl::convolution_backward_data::primitive_desc(
              {conv, d.any_src, d.any_weights, d.any_dst, d.strides, d.dilates, d.pad_l, d.pad_r}, engine(),
              conv_fwd()));
    case Op::ConvBwdWeights:
      return backward_weights_entry(
          dnnl::convolution_backward_weights(),
          dnnl::convolution_backward_weights::primitive_desc(
              {conv, d.any_src, d.any_weights, bias, d.any_dst, d.strides, d.dilates, d.pad_l, d.pad_r}, engine(),
              conv_fwd()));
    case Op::DeconvFwd:
      if (pads_output_channels(key.g)) {
        // The direct kernel would compute a whole channel block for each output channel (16x
        // the work for the reference model's 1-channel output: 0.9 ms a batch, plus the reorder
        // out of the padded block); on NCHW oneDNN runs im2col + GEMM (0.34 ms), after a reorder
        // of the input when it arrives blocked (0.1 ms). The backward passes take the 1-channel
        // gradient without padding and stay direct. Outputs with few taps do not come here
        // (narrow_deconvolution.h, faster still, and without the reorder).
        return forward_entry(dnnl::deconvolution_forward(),
                             dnnl::deconvolution_forward::primitive_desc(
                                 {fwd, dec, plain_src(key.g), d.weights, bias, plain_dst(key.g), d.strides, d.dilates,
                                  d.pad_l, d.pad_r},
                                 attr, engine()));
      }
      return forward_entry(dnnl::deconvolution_forward(), dec_fwd());
    case Op::DeconvBwdData:
      return backward_data_entry(
          dnnl::deconvolution_backward_data(),
          dnnl::deconvolution_backward_data::primitive_desc(
              {dec, d.any_src, d.any_weights, d.any_dst, d.strides, d.dilates, d.pad_l, d.pad_r}, engine(),
              dec_fwd()));
    case Op::DeconvBwdWeights:
      return backward_weights_entry(
          dnnl::deconvolution_backward_weights(),
          dnnl::deconvolution_backward_weights::primitive_desc(
              {dec, d.any_src, d.any_weights, bias, d.any_dst, d.strides, d.dilates, d.pad_l, d.pad_r}, engine(),
              dec_fwd()));
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
  const std::array<const float*, 4> buffers{src, weights, bias, dst};
  thread_local dnnl::stream stream(engine());
  auto reorder = [&](Binding& b) {
    // oneDNN sizes its parallel regions by omp_get_max_threads() when it runs them.
    OneThreadScope one_thread(b.serial);
    b.reorder.execute(stream, b.reorder_args);
  };
  for (size_t i = 0; i < 4; ++i) {
    Binding& b = e.bindings[i];
    if (!b.used) continue;
    b.user.set_data_handle(const_cast<float*>(buffers[i]));
    if (b.reordered() && !b.output) reorder(b);
  }
  e.prim.execute(stream, e.args);
  for (Binding& b : e.bindings)
    if (b.used && b.reordered() && b.output) reorder(b);
  stream.wait();
}

std::string describe(bool deconv, ConvGeometry g) {
  if (g.batch == 0) g.batch = 1;
  const Op fwd = deconv ? Op::DeconvFwd : Op::ConvFwd;
  const Op bwd_d = deconv ? Op::DeconvBwdData : Op::ConvBwdData;
  const Op bwd_w = deconv ? Op::DeconvBwdWeights : Op::ConvBwdWeights;
  const std::string forward_impl =
      deconv && narrow_deconvolution_fits(g) ? std::string("aekit narrow") : cached({fwd, g, true, 0}).impl;
  return "fwd " + forward_impl + ", bwd_d " + cached({bwd_d, g, false, 0}).impl +
         ", bwd_w " + cached({bwd_w, g, true, 0}).impl;
}

// Backward weights with the batch split between the threads, each part on a primitive of one
// thread. oneDNN's own parallel backward weights meet in a spinning barrier (its JIT
// simple_barrier) to sum their parts: with 2 threads on a loaded 2-core machine 59% of a training
// run's CPU time was that spin (perf, reference model, Fashion-MNIST). Here each thread's part
// goes to its own buffer (the first to dw and dbias), the threads meet at the OpenMP region's end
// (passive in the aekit command), and the parts are added in thread order: the result depends on
// the thread count only, as before (one thread computes exactly what it did).
// An activation's derivative (ActivationGradient) is taken by each thread on its own part first:
// element-wise, so its bits are those of a separate pass.
void backward_weights(Op op, const ConvGeometry& g, const float* x, const float* dy, float* dw, float* dbias,
                      const ActivationGradient* activation) {
  const int parts = static_cast<int>(std::min<int64_t>(omp_get_max_threads(), g.batch));
  const int64_t x_image = g.in_channels * g.in_h * g.in_w, dy_image = g.out_channels * g.out_h * g.out_w;
  const bool derivative = activation && activation->act != Activation::Identity;
  // dz for images [begin, end) on the calling thread; returns the gradient the weights take.
  auto take_derivative = [&](int64_t begin, int64_t end) -> const float* {
    if (!derivative) return dy + begin * dy_image;
    const int64_t offset = begin * dy_image;
    activation_backward_serial(activation->y + offset, dy + offset, activation->dz + offset,
                               (end - begin) * dy_image, activation->act);
    return activation->dz + offset;
  };
  if (parts <= 1 || omp_in_parallel()) {
    run(op, g, x, dw, dbias, take_derivative(0, g.batch));
    return;
  }
  const int64_t weights = g.out_channels * g.in_channels * g.kernel_h * g.kernel_w;
  const int64_t stride = weights + g.out_channels;  // one part's weights and bias
  thread_local std::vector<float> other_parts;
  other_parts.resize(static_cast<size_t>((parts - 1) * stride));
  float* others = other_parts.data();  // inside the region a thread_local name is each thread's own
  std::exception_ptr failure;
#pragma omp parallel num_threads(parts)
  {
    omp_set_num_threads(1);  // this thread's primitives are created and run for one thread
    try {
      // Part k on thread k; were the team smaller than asked, its threads take the rest in turn.
      for (int k = omp_get_thread_num(); k < parts; k += omp_get_num_threads()) {
        const int64_t begin = g.batch * k / parts, end = g.batch * (k + 1) / parts;
        ConvGeometry part = g;
        part.batch = end - begin;
        float* part_dw = k == 0 ? dw : others + (k - 1) * stride;
        float* part_dbias = dbias ? (k == 0 ? dbias : part_dw + weights) : nullptr;
        run(op, part, x + begin * x_image, part_dw, part_dbias, take_derivative(begin, end));
      }
    } catch (...) {
#pragma omp critical(aekit_conv_backward_weights)
      failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
  for (int k = 1; k < parts; ++k) {
    const float* part = others + (k - 1) * stride;
    for (int64_t i = 0; i < weights; ++i) dw[i] += part[i];
    if (dbias)
      for (int64_t i = 0; i < g.out_channels; ++i) dbias[i] += part[weights + i];
  }
}

// The bias of each of an output image's values, in the output's layout: with it one pass of
// bias_activation (one parallel region) adds the bias and applies the activation. Plain: each
// channel's plane of `pixels` values; Blocked: each block's `pixels` groups of `block` channels.
const float* bias_per_value(const ConvGeometry& g, const float* bias) {
  const int64_t pixels = g.out_h * g.out_w;
  const bool blocked = g.out_layout == ImageLayout::Blocked;
  const int64_t block = blocked ? image_channel_block() : 1;
  thread_local std::vector<float> values;
  values.resize(static_cast<size_t>(g.out_channels * pixels));
  float* v = values.data();
  for (int64_t c0 = 0; c0 < g.out_channels; c0 += block)
    for (int64_t p = 0; p < pixels; ++p)
      for (int64_t j = 0; j < block; ++j) *v++ = bias[c0 + j];
  return values.data();
}

// A forward with the activation fused when oneDNN has it, else followed by our own pass.
// oneDNN 2.6 runs a deconvolution forward as a convolution's backward data and adds its bias and
// post-ops afterwards in reference code (30 ms a batch for the reference model's last layer, more
// than the whole rest of a training step), so deconvolutions add both here instead.
void forward(Op op, const ConvGeometry& g, const float* x, const float* w, const float* bias, float* y,
             Activation act) {
  if (op == Op::DeconvFwd && narrow_deconvolution_fits(g)) {
    narrow_deconvolution_forward(g, x, w, bias, y, act);
    return;
  }
  dnnl::post_ops probe;
  if (!is_deconv(op) && append_activation(probe, act)) {
    run(op, g, x, w, bias, y, act);
    return;
  }
  run(op, g, x, w, is_deconv(op) ? nullptr : bias, y);
  const float* values_bias = is_deconv(op) && bias ? bias_per_value(g, bias) : nullptr;
  if (values_bias || act != Activation::Identity)
    bias_activation({y, g.batch, g.out_channels * g.out_h * g.out_w}, values_bias, act);
}

}  // namespace

bool ConvGeometry::operator<(const ConvGeometry& o) const {
  return std::tie(batch, in_channels, in_h, in_w, out_channels, out_h, out_w, kernel_h, kernel_w,
                  stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w, in_layout, out_layout) <
         std::tie(o.batch, o.in_channels, o.in_h, o.in_w, o.out_channels, o.out_h, o.out_w, o.kernel_h,
                  o.kernel_w, o.stride_h, o.stride_w, o.pad_h, o.pad_w, o.dilation_h, o.dilation_w, o.in_layout,
                  o.out_layout);
}

int64_t image_channel_block() {
  // The block of the direct kernels oneDNN runs on this CPU (its jit kernels for AVX-512 and for
  // AVX2 work on 16 and 8 channels at a time).
  static const int64_t block = [] {
    const auto isa = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
    const auto has = [&](dnnl::cpu_isa want) {
      return (isa & static_cast<unsigned>(want)) == static_cast<unsigned>(want);
    };
    if (has(dnnl::cpu_isa::avx512_core)) return int64_t{16};
    if (has(dnnl::cpu_isa::avx2)) return int64_t{8};
    return int64_t{0};
  }();
  return block;
}

bool can_block_channels(int64_t channels) {
  const int64_t block = image_channel_block();
  return block > 0 && channels > 0 && channels % block == 0;
}

void conv2d_forward(const ConvGeometry& g, const float* x, const float* w, const float* bias, float* y,
                    Activation act) {
  forward(Op::ConvFwd, g, x, w, bias, y, act);
}

void conv2d_backward_data(const ConvGeometry& g, const float* dy, const float* w, float* dx) {
  run(Op::ConvBwdData, g, dx, w, nullptr, dy);
}

void conv2d_backward_weights(const ConvGeometry& g, const float* x, const float* dy, float* dw,
                             float* dbias, const ActivationGradient* activation) {
  backward_weights(Op::ConvBwdWeights, g, x, dy, dw, dbias, activation);
}

void conv_transpose2d_forward(const ConvGeometry& g, const float* x, const float* w,
                              const float* bias, float* y, Activation act) {
  forward(Op::DeconvFwd, g, x, w, bias, y, act);
}

void conv_transpose2d_backward_data(const ConvGeometry& g, const float* dy, const float* w, float* dx) {
  run(Op::DeconvBwdData, g, dx, w, nullptr, dy);
}

void conv_transpose2d_backward_weights(const ConvGeometry& g, const float* x, const float* dy,
                                       float* dw, float* dbias, const ActivationGradient* activation) {
  backward_weights(Op::DeconvBwdWeights, g, x, dy, dw, dbias, activation);
}

bool conv_transpose2d_supported(const ConvGeometry& g) {
  const Descs d = descs(g, true, false);
  return d.pad_r[0] > -g.stride_h && d.pad_r[1] > -g.stride_w;
}

std::string conv2d_description(const ConvGeometry& g) { return describe(false, g); }
std::string conv_transpose2d_description(const ConvGeometry& g) { return describe(true, g); }

}  // namespace aekit::cpu
