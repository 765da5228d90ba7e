#pragma once
// The base of Flatten and Reshape: layers that change only how the next layer reads a sample's
// values (image or vector; core/image_shape.h), not the values or their order. Forward and
// backward are copies.
#include <aekit/layers/layer.h>

#include <string>

namespace aekit {

class SameBytesLayer : public Layer {
 public:
  std::string kind() const override { return kind_; }
  int64_t in_features() const override { return features_; }
  int64_t out_features() const override { return features_; }
  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;

 protected:
  SameBytesLayer(std::string kind, int64_t features) : kind_(std::move(kind)), features_(features) {}

 private:
  std::string kind_;
  int64_t features_;
};

}  // namespace aekit
