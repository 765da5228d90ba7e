#pragma once
// 2-D transposed convolution as PyTorch's nn.ConvTranspose2d (groups 1): weight
// (in, out, kh, kw), optional bias (out). It strides over the output, so a larger stride gives a
// larger image: the decoder's counterpart of Conv2d. Forward, backward data and backward weights
// run on oneDNN's deconvolution primitives (backend/cpu/convolution.h); what it shares with
// Conv2d is in conv_layer.h.
#include <aekit/layers/conv_layer.h>
#include <aekit/layers/layer_registry.h>

namespace aekit {

class ConvTranspose2d final : public ConvLayer {
 public:
  // InputError naming the layer and the sizes when `input` does not fit `params`.
  ConvTranspose2d(const ImageShape& input, const ConvParams& params);
};

// Registry builder: conv_transpose2d(out=C, kernel=K, stride=1, padding=0, output_padding=0,
// dilation=1, bias=true, activation=identity, init=NAME, init_sigma=S); sizes are a number or HxW.
LayerPlan plan_conv_transpose2d(const LayerSpec& spec, const Shape& in_shape);
BuiltLayer build_conv_transpose2d(const LayerBuild& b);

}  // namespace aekit
