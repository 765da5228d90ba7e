#pragma once
// Contractive autoencoder (Rifai et al. 2011): the squared Frobenius norm of the Jacobian of the
// dense layer before this one, dh/dx for h = act(W x + b), in closed form (no finite differences):
//   ||J||_F^2 = sum_j act'(z_j)^2 sum_i W_ji^2
// with act' from the layer's output h: sigmoid h(1-h), tanh 1-h^2, relu 1 where h > 0. For a
// one-layer encoder (the layer before is the code layer) this is the encoder's Jacobian exactly;
// placed after a hidden layer of a deeper encoder it penalises that layer's Jacobian only.
//   contractive(weight=L)   L * mean over samples of ||J||_F^2, times the model's term scale
// In training the layer is the identity that adds the term; its gradient w.r.t. h goes into the
// backward pass, its gradient w.r.t. W is added to the dense layer's gradient in after_backward
// (that layer's own backward overwrites it). In Mode::Infer it adds nothing.
#include <aekit/layers/layer.h>
#include <aekit/layers/layer_registry.h>

#include <vector>

namespace aekit {

class Dense;

class Contractive final : public Layer {
 public:
  // `dense` is the layer before (sigmoid, tanh or relu); InputError otherwise.
  Contractive(Dense& dense, double weight, double term_scale);
  std::string kind() const override { return "contractive"; }
  int64_t in_features() const override { return features_; }
  int64_t out_features() const override { return features_; }
  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;
  void loss_terms(std::vector<LossTerm>& out) const override;
  void after_backward() override;

  // ||J||_F^2 of each row of h (the dense layer's outputs) for the dense layer's current weights.
  std::vector<double> jacobian_norms(ConstMatrixView h) const;

 private:
  void row_norms_of_weight();  // s_j = sum_i W_ji^2 into row_norms_

  Dense& dense_;
  int64_t features_;
  double scale_;  // weight * term scale
  ConstMatrixView h_;
  bool active_ = false;
  double value_ = 0.0;
  std::vector<double> row_norms_;     // s_j of the last training forward
  std::vector<double> mean_g2_;       // mean over the batch of act'(z_j)^2, per unit j
  bool weight_grad_pending_ = false;
};

// contractive(weight=L): output = input, no parameters.
LayerPlan plan_contractive(const LayerSpec& spec, const Shape& in_shape);
BuiltLayer build_contractive(const LayerBuild& b);

}  // namespace aekit
