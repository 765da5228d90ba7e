#pragma once
// 2-D convolution as PyTorch's nn.Conv2d (groups 1): weight (out, in, kh, kw), optional bias
// (out). Forward, backward data and backward weights run on oneDNN's convolution primitives
// (backend/cpu/convolution.h); what it shares with ConvTranspose2d is in conv_layer.h.
#include <aekit/layers/conv_layer.h>
#include <aekit/layers/layer_registry.h>

namespace aekit {

class Conv2d final : public ConvLayer {
 public:
  // InputError naming the layer and the sizes when `input` does not fit `params`.
  Conv2d(const ImageShape& input, const ConvParams& params);
};

// Registry builder: conv2d(out=C, kernel=K, stride=1, padding=0, dilation=1, bias=true,
// activation=identity, init=NAME, init_sigma=S); sizes are a number or HxW.
LayerPlan plan_conv2d(const LayerSpec& spec, const Shape& in_shape);
BuiltLayer build_conv2d(const LayerBuild& b);

}  // namespace aekit
