#include <aekit/layers/upsample.h>

#include <aekit/backend/cpu/upsample.h>
#include <aekit/core/error.h>
#include <aekit/layers/image_spec.h>

namespace aekit {

std::string UpsampleParams::describe() const {
  std::string s = mode == UpsampleMode::Nearest ? "upsample(nearest" : "upsample(bilinear";
  if (scale.h > 0 || scale.w > 0) s += ", scale " + scale.str();
  else s += ", size " + std::to_string(size.h) + "x" + std::to_string(size.w);
  if (align_corners) s += ", align_corners";
  return s + ")";
}

ImageShape upsample_output_shape(const UpsampleParams& p, const ImageShape& in) {
  const bool by_scale = p.scale.h > 0 && p.scale.w > 0, by_size = p.size.h > 0 && p.size.w > 0;
  if (by_scale == by_size || p.scale.h < 0 || p.scale.w < 0 || p.size.h < 0 || p.size.w < 0)
    fail(p.describe(), ": give either a positive scale factor or a positive size");
  if (p.align_corners && p.mode != UpsampleMode::Bilinear)
    fail(p.describe(), ": align_corners is for bilinear upsampling");
  if (in.channels <= 0 || in.height <= 0 || in.width <= 0) fail(p.describe(), ": input ", in.str(), " is empty");
  if (by_scale) return {in.channels, in.height * p.scale.h, in.width * p.scale.w};
  return {in.channels, p.size.h, p.size.w};
}

Upsample::Upsample(const ImageShape& input, const UpsampleParams& params)
    : params_(params), input_(input), output_(upsample_output_shape(params, input)) {}

void Upsample::forward(ConstMatrixView x, Tensor& y, Mode) {
  AEKIT_ASSERT(x.cols == in_features(), "upsample input has ", x.cols, " columns, layer expects ",
               in_features(), " (", input_.str(), ")");
  y.resize({x.rows, out_features()});
  rows_ = x.rows;
  const cpu::ResizeGeometry g{x.rows * input_.channels, input_.height, input_.width, output_.height, output_.width};
  if (params_.mode == UpsampleMode::Nearest) cpu::upsample_nearest_forward(g, x.data, y.data());
  else cpu::upsample_bilinear_forward(g, params_.align_corners, x.data, y.data());
}

void Upsample::backward(ConstMatrixView dy, Tensor* dx) {
  AEKIT_ASSERT(dy.rows == rows_ && dy.cols == out_features(), "upsample backward: gradient shape "
               "does not match the last output");
  if (!dx) return;
  dx->resize({dy.rows, in_features()});
  const cpu::ResizeGeometry g{dy.rows * input_.channels, input_.height, input_.width, output_.height, output_.width};
  if (params_.mode == UpsampleMode::Nearest) cpu::upsample_nearest_backward(g, dy.data, dx->data());
  else cpu::upsample_bilinear_backward(g, params_.align_corners, dy.data, dx->data());
}

namespace {

UpsampleParams upsample_params(const LayerSpec& spec) {
  spec.check_options({"scale", "height", "width", "mode", "align_corners"});
  UpsampleParams p;
  const std::string mode = spec.text("mode", "nearest");
  if (mode != "nearest" && mode != "bilinear")
    fail("layer upsample: mode must be nearest or bilinear, got '", mode, "'");
  p.mode = mode == "nearest" ? UpsampleMode::Nearest : UpsampleMode::Bilinear;
  p.scale = extent_option(spec, "scale", p.scale);
  p.size = {extent_option(spec, "height", 0).h, extent_option(spec, "width", 0).h};
  p.align_corners = spec.flag("align_corners", p.align_corners);
  return p;
}

}  // namespace

LayerPlan plan_upsample(const LayerSpec& spec, const Shape& in_shape) {
  return {sample_shape(upsample_output_shape(upsample_params(spec), image_input(spec, in_shape))), {}, {}};
}

BuiltLayer build_upsample(const LayerBuild& b) {
  auto layer = std::make_unique<Upsample>(image_input(b.spec, b.in_shape), upsample_params(b.spec));
  Shape out = sample_shape(layer->output_shape());
  return {std::move(layer), std::move(out)};
}

}  // namespace aekit
