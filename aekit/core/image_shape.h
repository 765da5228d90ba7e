#pragma once
// The image convention of aekit, stated once here.
//
// A batch of N images with C channels of H x W pixels is stored NCHW, as in PyTorch: sample,
// then channel, then row, then column, row-major and contiguous. Through the layer interface the
// same bytes are an N x (C*H*W) matrix, one image per row (the batch convention of tensor.h), so
// image layers and dense layers pass batches to each other without copies or reorders; an image
// layer knows its ImageShape from construction and checks that the row width matches it.
#include <aekit/core/tensor.h>

#include <cstdint>
#include <string>

namespace aekit {

struct ImageShape {
  int64_t channels = 0;
  int64_t height = 0;
  int64_t width = 0;

  int64_t pixels() const { return height * width; }
  int64_t size() const { return channels * height * width; }  // features per sample
  bool operator==(const ImageShape&) const = default;
  // "16x14x14" (C x H x W), as the command line writes shapes.
  std::string str() const {
    return std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width);
  }
  // The 4-D tensor shape of a batch: [N, C, H, W].
  Shape batch_shape(int64_t n) const { return {n, channels, height, width}; }
};

}  // namespace aekit
