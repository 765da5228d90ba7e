#pragma once
// Reshape (PyTorch's nn.Unflatten(1, (C, H, W))): a matrix (N, F) becomes an image batch
// (N, C, H, W) with C*H*W = F, as a decoder does after its dense layer. The bytes do not change
// (core/image_shape.h), so forward and backward are copies. A target whose size is not F is an
// InputError naming both.
#include <aekit/core/image_shape.h>
#include <aekit/layers/layer.h>

namespace aekit {

class Reshape final : public Layer {
 public:
  Reshape(int64_t in_features, const ImageShape& output);
  std::string kind() const override { return "reshape"; }
  int64_t in_features() const override { return output_.size(); }
  int64_t out_features() const override { return output_.size(); }
  const ImageShape& output_shape() const { return output_; }
  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;

 private:
  ImageShape output_;
};

}  // namespace aekit
