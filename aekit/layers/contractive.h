#pragma once
// Contractive autoencoder (Rifai et al. 2011): the squared Frobenius norm of the Jacobian dh/dx
// of the consecutive dense layers right below this layer (the whole encoder when they start at
// the input, or after a corrupt layer), h their output and x their input.
//   one dense layer   exact, in closed form (no finite differences), for h = act(W x + b):
//                       ||J||_F^2 = sum_j act'(z_j)^2 sum_i W_ji^2
//                     with act' from h: sigmoid h(1-h), tanh 1-h^2, relu [h > 0], identity 1
//   deeper            dense_chain_jacobian.h: forward-mode tangents of probe vectors through the
//                     chain. probes=P > 0 (default 1): Hutchinson's estimate with P Gaussian probes
//                     drawn afresh every batch (shared by its rows), unbiased, and so is its
//                     gradient; probes=0: exact, the input's basis vectors as probes (cost grows
//                     with the input's width, for small inputs and measurement)
//   contractive(weight=L[, probes=P])   L * mean over samples of ||J||_F^2, times the term scale
// In training the layer is the identity that adds the term; in Mode::Infer it adds nothing.
// Gradients: one layer, w.r.t. h through the backward pass and w.r.t. W in after_backward (the
// dense layer's own backward overwrites it); deeper, all of it in after_backward.
#include <aekit/core/rng.h>
#include <aekit/layers/dense_chain_jacobian.h>
#include <aekit/layers/layer.h>
#include <aekit/layers/layer_registry.h>

#include <memory>
#include <vector>

namespace aekit {

class Dense;

class Contractive final : public Layer {
 public:
  // `chain`: the dense layers below, bottom first, each with sigmoid, tanh, relu or identity
  // (InputError otherwise). `seed` seeds the probes of a deeper chain.
  Contractive(std::vector<Dense*> chain, double weight, double term_scale, int probes = 1, uint64_t seed = 0);
  // One dense layer (closed form).
  Contractive(Dense& dense, double weight, double term_scale);
  std::string kind() const override { return "contractive"; }
  int64_t in_features() const override { return features_; }
  int64_t out_features() const override { return features_; }
  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;
  void loss_terms(std::vector<LossTerm>& out) const override;
  void after_backward() override;
  bool adds_to_other_gradients() const override { return true; }
  std::vector<Rng*> generators() override;

  bool closed_form() const { return chain_.size() == 1; }
  // One dense layer: ||J||_F^2 of each row of h (the layer's outputs) for its current weights.
  std::vector<double> jacobian_norms(ConstMatrixView h) const;
  // Any depth: ||J||_F^2 of each row of x (the chain's input), exactly.
  std::vector<double> exact_norms(ConstMatrixView x) const;
  // Restarts the probes' generator (tests hold the probes fixed across forwards this way).
  void reseed(uint64_t seed) { rng_ = Rng(seed); }

 private:
  void closed_form_forward(ConstMatrixView h);
  void chain_forward();
  void row_norms_of_weight();  // s_j = sum_i W_ji^2 into row_norms_

  std::vector<Dense*> chain_;
  int64_t features_;
  double scale_;  // weight * term scale
  int probes_;
  ConstMatrixView h_;
  bool active_ = false;
  double value_ = 0.0;
  bool weight_grad_pending_ = false;
  // One layer: s_j of the last training forward and the batch mean of act'(z_j)^2 per unit j.
  std::vector<double> row_norms_, mean_g2_;
  // Deeper: the tangents, the probes of the last training forward and their generator.
  std::unique_ptr<DenseChainJacobian> jacobian_;
  Tensor probe_vectors_;
  Rng rng_;
};

// contractive(weight=L, probes=P): output = input, no parameters.
LayerPlan plan_contractive(const LayerSpec& spec, const Shape& in_shape);
BuiltLayer build_contractive(const LayerBuild& b);

}  // namespace aekit
