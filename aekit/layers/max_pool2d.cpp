#include <aekit/layers/max_pool2d.h>

#include <aekit/core/error.h>
#include <aekit/layers/image_spec.h>

namespace aekit {

namespace {

// PyTorch's pooling_output_shape for one dimension.
int64_t pooled_size(int64_t in, int64_t kernel, int64_t pad, int64_t stride, int64_t dilation, bool ceil) {
  const int64_t numerator = in + 2 * pad - dilation * (kernel - 1) - 1 + (ceil ? stride - 1 : 0);
  // Floor division, also for a negative numerator (then the output is empty and rejected).
  int64_t out = (numerator >= 0 ? numerator / stride : -((-numerator + stride - 1) / stride)) + 1;
  if (ceil && (out - 1) * stride >= in + pad) --out;
  return out;
}

MaxPoolParams resolved(MaxPoolParams p) {
  if (p.stride.h == 0) p.stride.h = p.kernel.h;
  if (p.stride.w == 0) p.stride.w = p.kernel.w;
  return p;
}

}  // namespace

std::string MaxPoolParams::describe() const {
  std::string s = "max_pool2d(kernel " + kernel.str();
  if (!(stride == Extent2{0}) && !(stride == kernel)) s += ", stride " + stride.str();
  if (!(padding == Extent2{0})) s += ", padding " + padding.str();
  if (!(dilation == Extent2{1})) s += ", dilation " + dilation.str();
  if (ceil_mode) s += ", ceil_mode";
  return s + ")";
}

ImageShape max_pool2d_output_shape(const MaxPoolParams& params, const ImageShape& in) {
  const MaxPoolParams p = resolved(params);
  const std::string name = p.describe();
  if (p.kernel.h <= 0 || p.kernel.w <= 0 || p.stride.h <= 0 || p.stride.w <= 0 || p.dilation.h <= 0 ||
      p.dilation.w <= 0 || p.padding.h < 0 || p.padding.w < 0)
    fail(name, ": kernel, stride and dilation must be positive and padding not negative");
  if (p.padding.h > p.kernel.h / 2 || p.padding.w > p.kernel.w / 2)
    fail(name, ": padding must be at most half the kernel size");
  if (in.channels <= 0 || in.height <= 0 || in.width <= 0) fail(name, ": input ", in.str(), " is empty");
  const int64_t h = pooled_size(in.height, p.kernel.h, p.padding.h, p.stride.h, p.dilation.h, p.ceil_mode);
  const int64_t w = pooled_size(in.width, p.kernel.w, p.padding.w, p.stride.w, p.dilation.w, p.ceil_mode);
  if (h <= 0 || w <= 0) fail(name, ": input ", in.str(), " gives an empty output ", h, "x", w);
  return {in.channels, h, w};
}

MaxPool2d::MaxPool2d(const ImageShape& input, const MaxPoolParams& params)
    : params_(resolved(params)), input_(input), output_(max_pool2d_output_shape(params, input)) {}

cpu::PoolGeometry MaxPool2d::geometry(int64_t n) const {
  cpu::PoolGeometry g;
  g.planes = n * input_.channels;
  g.in_h = input_.height, g.in_w = input_.width, g.out_h = output_.height, g.out_w = output_.width;
  g.kernel_h = params_.kernel.h, g.kernel_w = params_.kernel.w;
  g.stride_h = params_.stride.h, g.stride_w = params_.stride.w;
  g.pad_h = params_.padding.h, g.pad_w = params_.padding.w;
  g.dilation_h = params_.dilation.h, g.dilation_w = params_.dilation.w;
  return g;
}

void MaxPool2d::forward(ConstMatrixView x, Tensor& y, Mode) {
  AEKIT_ASSERT(x.cols == in_features(), "max_pool2d input has ", x.cols, " columns, layer expects ",
               in_features(), " (", input_.str(), ")");
  y.resize({x.rows, out_features()});
  argmax_.resize(static_cast<size_t>(x.rows * out_features()));
  rows_ = x.rows;
  cpu::max_pool2d_forward(geometry(x.rows), x.data, y.data(), argmax_.data());
}

void MaxPool2d::backward(ConstMatrixView dy, Tensor* dx) {
  AEKIT_ASSERT(dy.rows == rows_ && dy.cols == out_features(), "max_pool2d backward: gradient shape "
               "does not match the last output");
  if (!dx) return;
  dx->resize({dy.rows, in_features()});
  cpu::max_pool2d_backward(geometry(dy.rows), dy.data, argmax_.data(), dx->data());
}

namespace {

MaxPoolParams max_pool_params(const LayerSpec& spec) {
  spec.check_options({"kernel", "stride", "padding", "dilation", "ceil_mode"});
  MaxPoolParams p;
  p.kernel = extent_option(spec, "kernel", p.kernel);
  p.stride = extent_option(spec, "stride", p.stride);
  p.padding = extent_option(spec, "padding", p.padding);
  p.dilation = extent_option(spec, "dilation", p.dilation);
  p.ceil_mode = spec.flag("ceil_mode", p.ceil_mode);
  return p;
}

}  // namespace

LayerPlan plan_max_pool2d(const LayerSpec& spec, const Shape& in_shape) {
  return {sample_shape(max_pool2d_output_shape(max_pool_params(spec), image_input(spec, in_shape))), {}, {}};
}

BuiltLayer build_max_pool2d(const LayerBuild& b) {
  auto layer = std::make_unique<MaxPool2d>(image_input(b.spec, b.in_shape), max_pool_params(b.spec));
  Shape out = sample_shape(layer->output_shape());
  return {std::move(layer), std::move(out)};
}

}  // namespace aekit
