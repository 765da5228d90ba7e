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

  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;
  std::vector<Param> params() override;

  Tensor& weight() { return weight_; }
  Tensor& bias() { return bias_; }
  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }
  // The last forward's input and output (activated), for penalties that read the layer's
  // activations after the fact (the contractive penalty over a chain of dense layers).
  ConstMatrixView last_input() const { return x_; }
  ConstMatrixView last_output() const { return y_; }

 private:
  void backward_products_bf16(ConstMatrixView dz, Tensor* dx);

  Activation act_;
  bool emit_logits_ = false;
  Tensor weight_, bias_, weight_grad_, bias_grad_;
  ConstMatrixView x_;  // the last forward's input (owned by the caller, alive until backward)
  ConstMatrixView y_;  // the last forward's output
  Tensor dz_;          // scratch: gradient before the activation
  Precision precision_ = Precision::Fp32;
  // bf16 copies of the last forward's input and weights (kept for backward) and of dz.
  std::vector<cpu::bf16> x16_, w16_, dz16_;
};

// Registry planner and builder: dense(out=N, activation=NAME, init=NAME, init_sigma=S); flattens
// its input. Parameters: weight (out x in), bias (out).
LayerPlan plan_dense(const LayerSpec& spec, const Shape& in_shape);
BuiltLayer build_dense(const LayerBuild& b);

}  // namespace aekit
