#pragma once
// 2-D max pooling on NCHW planes, as PyTorch's max_pool2d: padded positions never win (they are
// -inf), NaN propagates, and the first maximum in scan order wins ties. Forward records the winner
// of each window so that backward scatters each output gradient to it. Parallel over planes with
// a static schedule: results do not depend on timing.
#include <cstdint>

namespace aekit::cpu {

struct PoolGeometry {
  int64_t planes = 0;  // batch * channels
  int64_t in_h = 0, in_w = 0, out_h = 0, out_w = 0;
  int64_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1;
  int64_t pad_h = 0, pad_w = 0, dilation_h = 1, dilation_w = 1;
};

// argmax[i] is the winner's index within its input plane (h * in_w + w).
void max_pool2d_forward(const PoolGeometry& g, const float* x, float* y, int32_t* argmax);
// dx is overwritten.
void max_pool2d_backward(const PoolGeometry& g, const float* dy, const int32_t* argmax, float* dx);

}  // namespace aekit::cpu
