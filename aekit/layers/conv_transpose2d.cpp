#include <aekit/layers/conv_transpose2d.h>

#include <aekit/layers/image_spec.h>

namespace aekit {

namespace {

// PyTorch's layout of the weight.
Shape weight_shape(const ConvParams& params) { return {params.in_channels, params.out_channels, params.kernel.h, params.kernel.w}; }

}  // namespace

ConvTranspose2d::ConvTranspose2d(const ImageShape& input, const ConvParams& params)
    : ConvLayer("conv_transpose2d", input, params, conv_transpose2d_output_shape(params, input),
                weight_shape(params),
                {cpu::conv_transpose2d_forward, cpu::conv_transpose2d_backward_data,
                 cpu::conv_transpose2d_backward_weights}) {}

LayerPlan plan_conv_transpose2d(const LayerSpec& spec, const Shape& in_shape) {
  const ImageShape in = image_input(spec, in_shape);
  const ConvParams params = conv_params_from_spec(spec, in.channels);
  return conv_layer_plan("conv_transpose2d", spec, params, conv_transpose2d_output_shape(params, in), weight_shape(params));
}

BuiltLayer build_conv_transpose2d(const LayerBuild& b) {
  const ImageShape in = image_input(b.spec, b.in_shape);
  return built_conv_layer(b, std::make_unique<ConvTranspose2d>(in, conv_params_from_spec(b.spec, in.channels)));
}

}  // namespace aekit
