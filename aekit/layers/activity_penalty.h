#pragma once
// Activity penalties of the sparse autoencoder: identity layers that add a term of their input's
// values (the activations of the layer before them) to the training objective.
//   l1_activity(weight=W)          W * mean over samples of sum_j |h_j|
//   kl_sparsity(rho=R, beta=B)     B * sum_j KL(R || rho_hat_j), rho_hat_j the batch mean of h_j,
//                                  KL(p||q) = p log(p/q) + (1-p) log((1-p)/(1-q)); h must lie in
//                                  (0, 1) (sigmoid), rho_hat is clamped to [1e-6, 1 - 1e-6]
// Both are multiplied by the model's term scale (1 / output features) so that W and B weigh the
// term against the per-sample summed reconstruction error, as in the papers. In Mode::Infer they
// are the identity and add nothing. Backward adds the term's gradient to dy.
#include <aekit/layers/layer.h>
#include <aekit/layers/layer_registry.h>

namespace aekit {

class ActivityPenalty : public Layer {
 public:
  ActivityPenalty(int64_t features, double scale) : features_(features), scale_(scale) {}
  int64_t in_features() const override { return features_; }
  int64_t out_features() const override { return features_; }
  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;
  void loss_terms(std::vector<LossTerm>& out) const override;

 protected:
  // The term's value (before scaling) on batch x, and its gradient w.r.t. x (before scaling).
  virtual double term(ConstMatrixView x) = 0;
  virtual void add_term_gradient(ConstMatrixView x, double scale, MatrixView dx) const = 0;

 private:
  int64_t features_;
  double scale_;
  ConstMatrixView x_;
  bool active_ = false;
  double value_ = 0.0;
};

class L1Activity final : public ActivityPenalty {
 public:
  L1Activity(int64_t features, double weight, double term_scale)
      : ActivityPenalty(features, weight * term_scale) {}
  std::string kind() const override { return "l1_activity"; }

 private:
  double term(ConstMatrixView x) override;
  void add_term_gradient(ConstMatrixView x, double scale, MatrixView dx) const override;
};

class KlSparsity final : public ActivityPenalty {
 public:
  KlSparsity(int64_t features, double rho, double beta, double term_scale);
  std::string kind() const override { return "kl_sparsity"; }

 private:
  double term(ConstMatrixView x) override;
  void add_term_gradient(ConstMatrixView x, double scale, MatrixView dx) const override;
  double rho_;
  std::vector<double> rho_hat_;  // per unit, of the last training batch
};

// Registry planners and builders; no parameters, the output is the input.
LayerPlan plan_l1_activity(const LayerSpec& spec, const Shape& in_shape);  // l1_activity(weight=W)
LayerPlan plan_kl_sparsity(const LayerSpec& spec, const Shape& in_shape);  // kl_sparsity(rho=R, beta=B)
BuiltLayer build_l1_activity(const LayerBuild& b);
BuiltLayer build_kl_sparsity(const LayerBuild& b);

}  // namespace aekit
