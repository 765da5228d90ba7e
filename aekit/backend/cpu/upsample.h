#pragma once
// Nearest and bilinear resizing of NCHW planes, with PyTorch's source-index rules
// (F.interpolate with a size, or with an integer scale factor, which gives the same indices):
//   nearest:  src = min(floor(dst * in/out), in - 1)
//   bilinear: src = (dst + 0.5) * in/out - 0.5 clamped at 0, or dst * (in-1)/(out-1) with
//             align_corners; the two neighbours are floor(src) and the next one inside the image.
// Backward accumulates each output gradient into the inputs it read. Parallel over planes.
#include <cstdint>

namespace aekit::cpu {

struct ResizeGeometry {
  int64_t planes = 0;  // batch * channels
  int64_t in_h = 0, in_w = 0, out_h = 0, out_w = 0;
};

void upsample_nearest_forward(const ResizeGeometry& g, const float* x, float* y);
void upsample_nearest_backward(const ResizeGeometry& g, const float* dy, float* dx);  // dx overwritten
void upsample_bilinear_forward(const ResizeGeometry& g, bool align_corners, const float* x, float* y);
void upsample_bilinear_backward(const ResizeGeometry& g, bool align_corners, const float* dy, float* dx);

}  // namespace aekit::cpu
