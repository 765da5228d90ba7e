#pragma once
// The 3x3, padding-1 convolution parameters the convolution tests build their layers from (the
// reference model's kernel), shared so that each test names only what it varies.
#include <aekit/layers/conv2d.h>

#include <cstdint>

namespace aekit::test {

inline ConvParams conv3x3(int64_t in, int64_t out, int64_t stride, int64_t output_padding, Activation act) {
  ConvParams p;
  p.in_channels = in, p.out_channels = out, p.kernel = 3, p.stride = stride, p.padding = 1;
  p.output_padding = output_padding, p.activation = act;
  return p;
}

}  // namespace aekit::test
