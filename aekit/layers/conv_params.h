#pragma once
// The settings of Conv2d and ConvTranspose2d, with PyTorch's names and defaults, and PyTorch's
// output-size formulas:
//   Conv2d:          out = floor((in + 2*padding - dilation*(kernel-1) - 1) / stride) + 1
//   ConvTranspose2d: out = (in-1)*stride - 2*padding + dilation*(kernel-1) + output_padding + 1
// A shape that does not fit is an InputError naming the layer and the sizes.
#include <aekit/backend/cpu/convolution.h>
#include <aekit/core/activation.h>
#include <aekit/core/image_shape.h>
#include <aekit/layers/extent2.h>
#include <aekit/layers/layer_spec.h>

#include <cstdint>
#include <string>

namespace aekit {

struct ConvParams {
  int64_t in_channels = 0;
  int64_t out_channels = 0;
  Extent2 kernel{3};
  Extent2 stride{1};
  Extent2 padding{0};
  Extent2 output_padding{0};  // ConvTranspose2d only
  Extent2 dilation{1};
  bool bias = true;
  // Applied to the output, fused into the oneDNN primitive (backend/cpu/convolution.h).
  Activation activation = Activation::Identity;

  // "conv2d(1->16, kernel 3, stride 2, padding 1)" for error messages and summaries.
  std::string describe(const std::string& layer) const;
};

// The settings of a conv2d or conv_transpose2d layer spec with `in_channels` input channels:
// out (required), kernel (required), stride, padding, output_padding (conv_transpose2d only),
// dilation (a number or "HxW"), bias, activation. InputError on an unknown or bad option.
ConvParams conv_params_from_spec(const LayerSpec& spec, int64_t in_channels);

// Output shapes by PyTorch's formulas; InputError when the input does not fit.
ImageShape conv2d_output_shape(const ConvParams& p, const ImageShape& in);
ImageShape conv_transpose2d_output_shape(const ConvParams& p, const ImageShape& in);

// The backend's geometry of one batch of n images.
cpu::ConvGeometry conv_geometry(const ConvParams& p, const ImageShape& in, const ImageShape& out, int64_t n);

}  // namespace aekit
