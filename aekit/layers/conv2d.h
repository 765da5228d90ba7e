#pragma once
// 2-D convolution as PyTorch's nn.Conv2d (groups 1): weight (out, in, kh, kw), optional bias
// (out). Input and output are NCHW batches, one image per row (core/image_shape.h). Forward,
// backward data and backward weights run on oneDNN's convolution primitives
// (backend/cpu/convolution.h).
#include <aekit/core/rng.h>
#include <aekit/layers/conv_params.h>
#include <aekit/layers/layer.h>

namespace aekit {

class Conv2d final : public Layer {
 public:
  // InputError naming the layer and the sizes when `input` does not fit `params`.
  Conv2d(const ImageShape& input, const ConvParams& params);

  std::string kind() const override { return "conv2d"; }
  int64_t in_features() const override { return input_.size(); }
  int64_t out_features() const override { return output_.size(); }
  const ImageShape& input_shape() const { return input_; }
  const ImageShape& output_shape() const { return output_; }
  const ConvParams& settings() const { return params_; }

  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;
  std::vector<Param> params() override;

  // PyTorch's default: weight and bias ~ U(-b, b), b = 1/sqrt(in * kh * kw).
  void reset_parameters(Rng& rng);
  Tensor& weight() { return weight_; }
  Tensor& bias() { return bias_; }  // empty without bias

 private:
  ConvParams params_;
  ImageShape input_, output_;
  Tensor weight_, bias_, weight_grad_, bias_grad_;
  ConstMatrixView x_;  // the last forward's input (owned by the caller, alive until backward)
  ConstMatrixView y_;  // the last forward's output, for the activation's derivative
  Tensor dz_;          // scratch: gradient before the activation
};

}  // namespace aekit
