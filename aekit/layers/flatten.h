#pragma once
// nn.Flatten: an image batch (N, C, H, W) becomes a matrix (N, C*H*W) for dense layers. The bytes
// do not change (core/image_shape.h), so forward and backward are copies; the layer records the
// image shape it flattens, which Reshape (its inverse) and shape summaries need.
#include <aekit/core/image_shape.h>
#include <aekit/layers/layer.h>

namespace aekit {

class Flatten final : public Layer {
 public:
  explicit Flatten(const ImageShape& input);
  std::string kind() const override { return "flatten"; }
  int64_t in_features() const override { return input_.size(); }
  int64_t out_features() const override { return input_.size(); }
  const ImageShape& input_shape() const { return input_; }
  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;

 private:
  ImageShape input_;
};

}  // namespace aekit
