#pragma once
// Fully connected layer y = act(x W^T + b), weight (out x in) and bias (out) as in PyTorch's
// nn.Linear, so weights move between the two without transposition.
// Forward is one oneDNN matmul with bias and activation fused (cpu::linear_forward); backward is
// one pass for the activation derivative and the bias gradient (its column sums), one GEMM for dW
// and (when asked) one GEMM for dx.
#include <aekit/backend/cpu/bf16.h>
#include <aekit/core/precision.h>
#include <aekit/layers/activation.h>
#include <aekit/layers/layer.h>
#include <aekit/layers/layer_registry.h>

#include <vector>

namespace aekit {

class Dense final : public Layer {
 public:
  Dense(int64_t in, int64_t out, Activation act);

  std::string kind() const override { return "dense"; }
  int64_t in_features() const override { return weight_.dim(1); }
  int64_t out_features() const override { return weight_.dim(0); }
  Activation activation() const { return act_; }
  // With logits on, forward skips the activation (a loss on logits applies it itself).
  void set_emit_logits(bool on) { emit_logits_ = on; }
  bool emits_logits() const { return emit_logits_; }
  // Bf16: the three products in bf16 with fp32 accumulation; weights and gradients stay fp32.
  void set_precision(Precision p) { precision_ = p; }
  // Products of at most cpu::kTinyProductMacs per row (fp32, no reordering) as plain loops on the
  // calling thread instead of oneDNN's (backend/cpu/tiny_products.h): the sparse recommender's
  // middle layers, while its network runs them. Their bits differ from oneDNN's at rounding level.
  void set_plain_small_products(bool on) { plain_small_ = on; }
  Precision precision() const { return precision_; }

  // Where the features of the input (output) batches sit when a neighbouring convolution hands
  // over (takes) its image in the CPU's blocked layout (blocked_dense_link.h): feature j in
  // column position[j]. The products then run on a copy of the parameters in that order, made
  // each forward (0.05 M floats for the reference model against the 0.2 M of each image reorder
  // it saves), and the gradients are put back in the parameters' order, which stays PyTorch's.
  // Empty: the features' own order.
  void set_input_positions(std::vector<int64_t> position);
  void set_output_positions(std::vector<int64_t> position);
  bool reads_reordered_input() const { return !in_position_.empty(); }
  bool writes_reordered_output() const { return !out_position_.empty(); }

  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;
  std::vector<Param> params() override;

  Tensor& weight() { return weight_; }
  Tensor& bias() { return bias_; }
  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }
  Tensor& weight_grad() { return weight_grad_; }
  Tensor& bias_grad() { return bias_grad_; }
  // The last forward's input and output (activated), for penalties that read the layer's
  // activations after the fact (the contractive penalty over a chain of dense layers), in the
  // features' own order only when the layer reorders none (the network links no such layer).
  ConstMatrixView last_input() const { return x_; }
  ConstMatrixView last_output() const { return y_; }

 private:
  void backward_products_bf16(int64_t n, float* weight_grad, Tensor* dx);
  bool reorders() const { return !in_position_.empty() || !out_position_.empty(); }
  void arrange_parameters();         // weight_, bias_ -> run_weight_, run_bias_
  void restore_gradient_order();     // run_weight_grad_, run_bias_grad_ -> weight_grad_, bias_grad_

  Activation act_;
  bool emit_logits_ = false;
  bool plain_small_ = false;
  bool plain_products() const;
  Tensor weight_, bias_, weight_grad_, bias_grad_;
  ConstMatrixView x_;  // the last forward's input (owned by the caller, alive until backward)
  ConstMatrixView y_;  // the last forward's output
  Tensor dz_;          // scratch: gradient before the activation
  Precision precision_ = Precision::Fp32;
  std::vector<int64_t> in_position_, out_position_;
  // The parameters and their gradients in the batches' feature order (only when reordering).
  Tensor run_weight_, run_bias_, run_weight_grad_, run_bias_grad_;
  // bf16 copies of the last forward's input and weights (kept for backward) and of dz.
  std::vector<cpu::bf16> x16_, w16_, dz16_;
};

// Registry planner and builder: dense(out=N, activation=NAME, init=NAME, init_sigma=S); flattens
// its input. Parameters: weight (out x in), bias (out).
LayerPlan plan_dense(const LayerSpec& spec, const Shape& in_shape);
BuiltLayer build_dense(const LayerBuild& b);

}  // namespace aekit
