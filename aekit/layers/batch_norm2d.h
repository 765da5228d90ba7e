#pragma once
// nn.BatchNorm2d: per-channel normalisation of NCHW batches with a learnt scale (weight, gamma)
// and shift (bias, beta). Training normalises with the batch's mean and biased variance and
// updates the running statistics as PyTorch does:
//   running = (1 - momentum) * running + momentum * batch    (variance: the unbiased one)
// or, with no momentum, their cumulative average over the batches seen. Inference normalises
// with the running statistics. The running statistics are buffers (saved with the model, not
// trained); num_batches_tracked counts the training batches as PyTorch's buffer does.
#include <aekit/core/image_shape.h>
#include <aekit/layers/layer.h>
#include <aekit/layers/layer_registry.h>

#include <optional>

namespace aekit {

struct BatchNormParams {
  int64_t channels = 0;
  float eps = 1e-5f;
  std::optional<float> momentum = 0.1f;  // nullopt: cumulative average (PyTorch's momentum=None)
  bool affine = true;                    // learn weight and bias
  std::string describe() const;
};

class BatchNorm2d final : public Layer {
 public:
  BatchNorm2d(const ImageShape& input, const BatchNormParams& params);
  std::string kind() const override { return "batch_norm2d"; }
  int64_t in_features() const override { return input_.size(); }
  int64_t out_features() const override { return input_.size(); }
  const ImageShape& input_shape() const { return input_; }
  const ImageShape& output_shape() const { return input_; }
  const BatchNormParams& settings() const { return params_; }
  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;
  std::vector<Param> params() override;  // weight, bias (when affine)
  // running_mean, running_var, num_batches_tracked (a count kept as float, stored as int64 in the
  // model file); grad is null.
  std::vector<Param> buffers() override;

  Tensor& weight() { return weight_; }
  Tensor& bias() { return bias_; }
  Tensor& running_mean() { return running_mean_; }
  Tensor& running_var() { return running_var_; }

 private:
  BatchNormParams params_;
  ImageShape input_;
  Tensor weight_, bias_, weight_grad_, bias_grad_;
  Tensor running_mean_, running_var_, batches_tracked_;
  // The last forward: its input, whether it used batch statistics, and the mean and 1/std used.
  ConstMatrixView x_;
  bool used_batch_stats_ = false;
  Tensor mean_, invstd_, var_;
};

// Registry builder: batch_norm2d(eps=1e-5, momentum=0.1 | none, affine=true) on images; the
// channels are the input's. The model file stores the running statistics beside the weights.
LayerPlan plan_batch_norm2d(const LayerSpec& spec, const Shape& in_shape);
BuiltLayer build_batch_norm2d(const LayerBuild& b);

}  // namespace aekit
