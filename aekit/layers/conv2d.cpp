#include <aekit/layers/conv2d.h>

#include <aekit/layers/image_spec.h>

namespace aekit {

Conv2d::Conv2d(const ImageShape& input, const ConvParams& params)
    : ConvLayer("conv2d", input, params, conv2d_output_shape(params, input),
                {params.out_channels, params.in_channels, params.kernel.h, params.kernel.w},
                {cpu::conv2d_forward, cpu::conv2d_backward_data, cpu::conv2d_backward_weights}) {}

BuiltLayer build_conv2d(const LayerBuild& b) {
  const ImageShape in = image_input(b.spec, b.in_shape);
  return built_conv_layer(b, std::make_unique<Conv2d>(in, conv_params_from_spec(b.spec, in.channels)));
}

}  // namespace aekit
