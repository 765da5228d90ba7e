#pragma once
// The squared Frobenius norm of the Jacobian of a chain of dense layers, x -> a_1 -> ... -> a_K
// with a_k = act_k(W_k a_{k-1} + b_k), and its gradient with respect to the chain's weights and
// biases, for the contractive penalty of a deeper encoder (contractive.h).
//
// Forward-mode tangents: for a probe v in input space, J v is t_K of
//   t_0 = v,   t_k = g_k * (W_k t_{k-1}),   g_k = act_k'(z_k), read from the output a_k
// (sigmoid a(1-a), tanh 1-a^2, relu [a > 0], identity 1), so that for probes v_1..v_P
//   sum_p ||J v_p||^2 = ||J||_F^2            exactly when the probes are the input's basis vectors
//   E[sum_p ||J v_p||^2] = ||J||_F^2         when v_p ~ N(0, I / P) (Hutchinson's estimator)
// The gradient is that of the probed sum for the probes drawn, so in expectation it is the
// gradient of ||J||_F^2. It is found by running the tangent recursion backwards (the weights
// appear in W_k t_{k-1}, and through g_k in every a_k) and then the ordinary backward pass of
// the chain for what reaches the a_k. The probes are shared by the rows of a batch, so the first
// layer's product W_1 v is computed once per batch, not once per row.
#include <aekit/core/activation.h>
#include <aekit/core/tensor.h>

#include <vector>

namespace aekit {

class Dense;

// act'(z) from the layer's output h, and d(act'(z))/dh.
struct ActivationSlope {
  double g, dg_dh;
};
bool has_activation_slope(Activation act);  // identity, sigmoid, tanh, relu
ActivationSlope activation_slope(Activation act, double h);

class DenseChainJacobian {
 public:
  // The layers bottom first (a_0 is the first one's input); each with has_activation_slope().
  explicit DenseChainJacobian(std::vector<Dense*> chain);

  int64_t in_features() const;

  // Sum over the rows r of x and the probes p (columns of probes, in_features() x P) of
  // ||J(x_r) v_p||^2, where `activations` holds the chain's input and each layer's output for
  // those rows (a_0 .. a_K, all with the same rows). Keeps what add_gradient needs; the views
  // must stay valid until then.
  double probe(const std::vector<ConstMatrixView>& activations, ConstMatrixView probes);

  // Adds scale * d(last probe's sum)/d(parameters) to the dense layers' weight and bias gradients.
  void add_gradient(double scale);

  // ||J(x_r)||_F^2 of each row of x, exactly (the input's basis vectors as probes, a few rows at a
  // time), running the chain on its own: the layers' caches from training are left alone.
  std::vector<double> exact_norms(ConstMatrixView x) const;

  // The chain's activations a_0 .. a_K for x, computed into `storage` (the layers' caches untouched).
  std::vector<ConstMatrixView> run(ConstMatrixView x, std::vector<Tensor>& storage) const;

 private:
  std::vector<Dense*> chain_;
  std::vector<ConstMatrixView> acts_;  // a_0 .. a_K of the last probe
  ConstMatrixView probes_;
  int64_t probe_count_ = 0;
  std::vector<Tensor> z_;  // z_[k]: W_k t_{k-1} per (row, probe); z_[0] is W_1 v per probe only
  std::vector<Tensor> t_;  // t_[k] = g_k * z_[k] per (row, probe), the row-major (row * P + probe)
};

}  // namespace aekit
