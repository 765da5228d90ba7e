#pragma once
// Tied weights (W* = W^T): a decoder layer that uses the transpose of an earlier dense layer's
// weight. With W that layer's weight (out x in, nn.Linear's layout) this layer maps out -> in:
//   y = act(x W + b)
// One storage: the weight stays a parameter of the dense layer only, so optimizers update it once
// and the model file stores it once; this layer's own parameter is its bias (initialised to 0).
// Its part of the weight gradient, x^T dz, is added to the dense layer's gradient after the whole
// backward (Layer::after_backward), because the dense layer's own backward overwrites it: the
// gradient of a tied weight is the sum over both uses.
#include <aekit/layers/activation.h>
#include <aekit/layers/layer.h>
#include <aekit/layers/layer_registry.h>

namespace aekit {

class TiedDense final : public Layer {
 public:
  // `weight` is the tied layer's weight and its gradient (both owned by that layer).
  TiedDense(Param weight, Activation act);

  std::string kind() const override { return "tied_dense"; }
  int64_t in_features() const override { return weight_->dim(0); }
  int64_t out_features() const override { return weight_->dim(1); }
  Activation activation() const { return act_; }

  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;
  std::vector<Param> params() override;
  void after_backward() override;
  bool adds_to_other_gradients() const override { return true; }

 private:
  Tensor* weight_;       // the tied layer's weight (out x in of that layer)
  Tensor* weight_grad_;  // ... and its gradient, to which this layer's part is added
  Activation act_;
  Tensor bias_, bias_grad_;
  Tensor weight_grad_part_;  // x^T dz of the last backward, not yet added
  bool part_pending_ = false;
  ConstMatrixView x_, y_;
  Tensor dz_;
};

// tied_dense(tie=encoder.K, out=N, activation=NAME): the tied layer must be a dense layer built
// before this one that maps N values to this layer's input size. The planner takes N from the
// spec (it cannot see the tied layer); the builder checks it against the tied layer.
LayerPlan plan_tied_dense(const LayerSpec& spec, const Shape& in_shape);
BuiltLayer build_tied_dense(const LayerBuild& b);

}  // namespace aekit
