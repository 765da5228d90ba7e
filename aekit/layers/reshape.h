#pragma once
// Reshape (PyTorch's nn.Unflatten(1, (C, H, W))): a matrix (N, F) becomes an image batch
// (N, C, H, W) with C*H*W = F, as a decoder does after its dense layer. The bytes do not change
// (same_bytes_layer.h). A target whose size is not F is an InputError naming both.
#include <aekit/core/image_shape.h>
#include <aekit/layers/layer_registry.h>
#include <aekit/layers/same_bytes_layer.h>

namespace aekit {

class Reshape final : public SameBytesLayer {
 public:
  Reshape(int64_t in_features, const ImageShape& output);
  const ImageShape& output_shape() const { return output_; }

 private:
  ImageShape output_;
};

// Registry builder: reshape(channels=C, height=H, width=W).
LayerPlan plan_reshape(const LayerSpec& spec, const Shape& in_shape);
BuiltLayer build_reshape(const LayerBuild& b);

}  // namespace aekit
