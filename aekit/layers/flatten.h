#pragma once
// nn.Flatten: an image batch (N, C, H, W) becomes a matrix (N, C*H*W) for dense layers. The bytes
// do not change (same_bytes_layer.h); the layer records the image shape it flattens, which
// Reshape (its inverse) and shape summaries need.
#include <aekit/core/image_shape.h>
#include <aekit/layers/layer_registry.h>
#include <aekit/layers/same_bytes_layer.h>

namespace aekit {

class Flatten final : public SameBytesLayer {
 public:
  explicit Flatten(const ImageShape& input);
  const ImageShape& input_shape() const { return input_; }

 private:
  ImageShape input_;
};

// Registry builder: flatten() (no options); samples that are vectors already pass unchanged.
LayerPlan plan_flatten(const LayerSpec& spec, const Shape& in_shape);
BuiltLayer build_flatten(const LayerBuild& b);

}  // namespace aekit
