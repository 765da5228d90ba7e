#include <aekit/layers/dense.h>

#include <aekit/backend/cpu/elementwise.h>
#include <aekit/backend/cpu/gemm.h>
#include <aekit/backend/cpu/matmul.h>
#include <aekit/backend/cpu/tiny_products.h>
#include <aekit/core/checked_size.h>
#include <aekit/core/error.h>
#include <aekit/layers/init.h>

#include <algorithm>
#include <utility>

namespace aekit {

Dense::Dense(int64_t in, int64_t out, Activation act)
    : act_(act), weight_({out, in}), bias_({out}), weight_grad_({out, in}), bias_grad_({out}) {
  AEKIT_ASSERT(in > 0 && out > 0, "dense layer sizes must be positive, got ", in, "x", out);
}

void Dense::set_input_positions(std::vector<int64_t> position) {
  AEKIT_ASSERT(position.empty() || static_cast<int64_t>(position.size()) == in_features(),
               "dense input positions: ", position.size(), " for ", in_features(), " features");
  in_position_ = std::move(position);
}

void Dense::set_output_positions(std::vector<int64_t> position) {
  AEKIT_ASSERT(position.empty() || static_cast<int64_t>(position.size()) == out_features(),
               "dense output positions: ", position.size(), " for ", out_features(), " features");
  out_position_ = std::move(position);
}

// run_weight_[out_position[i], in_position[j]] = weight_[i, j], and the bias likewise.
void Dense::arrange_parameters() {
  const int64_t out = out_features(), in = in_features();
  run_weight_.resize({out, in});
  run_bias_.resize({out});
  const float* w = weight_.data();
  float* rw = run_weight_.data();
  for (int64_t i = 0; i < out; ++i) {
    const int64_t row = out_position_.empty() ? i : out_position_[static_cast<size_t>(i)];
    const float* from = w + i * in;
    float* to = rw + row * in;
    if (in_position_.empty()) {
      std::copy_n(from, in, to);
    } else {
      for (int64_t j = 0; j < in; ++j) to[in_position_[static_cast<size_t>(j)]] = from[j];
    }
    run_bias_[row] = bias_[i];
  }
}

// The inverse of arrange_parameters, for the gradients.
void Dense::restore_gradient_order() {
  const int64_t out = out_features(), in = in_features();
  const float* rg = run_weight_grad_.data();
  float* g = weight_grad_.data();
  for (int64_t i = 0; i < out; ++i) {
    const int64_t row = out_position_.empty() ? i : out_position_[static_cast<size_t>(i)];
    const float* from = rg + row * in;
    float* to = g + i * in;
    if (in_position_.empty()) {
      std::copy_n(from, in, to);
    } else {
      for (int64_t j = 0; j < in; ++j) to[j] = from[in_position_[static_cast<size_t>(j)]];
    }
    bias_grad_[i] = run_bias_grad_[row];
  }
}

void Dense::forward(ConstMatrixView x, Tensor& y, Mode) {
  AEKIT_ASSERT(x.cols == in_features(), "dense input has ", x.cols, " columns, layer expects ",
               in_features());
  const int64_t out = out_features();
  y.resize({x.rows, out});
  const Activation act = emit_logits_ ? Activation::Identity : act_;
  if (reorders()) arrange_parameters();
  const Tensor& weight = reorders() ? run_weight_ : weight_;
  const Tensor& bias = reorders() ? run_bias_ : bias_;
  if (precision_ == Precision::Bf16) {
    x16_.resize(static_cast<size_t>(x.size()));
    w16_.resize(static_cast<size_t>(weight.size()));
    cpu::to_bf16(x.data, x16_.data(), x.size());
    cpu::to_bf16(weight.data(), w16_.data(), weight.size());
    cpu::linear_forward_bf16(x16_.data(), x.rows, x.cols, w16_.data(), bias.data(), y.view(), act);
  } else if (plain_products()) {
    cpu::tiny_forward(x, weight.data(), y.view());
    cpu::bias_activation(y.view(), bias.data(), act);
  } else {
    cpu::linear_forward(x, weight.data(), bias.data(), y.view(), act);
  }
  x_ = x;
  y_ = y.view();
}

void Dense::backward(ConstMatrixView dy, Tensor* dx) {
  AEKIT_ASSERT(dy.rows == y_.rows && dy.cols == y_.cols, "dense backward: gradient shape does not "
               "match the last output");
  const int64_t out = out_features(), in = in_features(), n = dy.rows;
  // With reordered features the products run on the arranged copy (the weights have not changed
  // since the forward arranged them) and write the gradients in that order first.
  if (reorders()) {
    run_weight_grad_.resize({out, in});
    run_bias_grad_.resize({out});
  }
  const float* weight = reorders() ? run_weight_.data() : weight_.data();
  float* weight_grad = reorders() ? run_weight_grad_.data() : weight_grad_.data();
  float* bias_grad = reorders() ? run_bias_grad_.data() : bias_grad_.data();
  const bool through_activation = !emit_logits_ && act_ != Activation::Identity;
  if (precision_ == Precision::Bf16) {
    // The products read dz in bf16 only: the pass writes it rounded, and no fp32 dz is kept.
    dz16_.resize(static_cast<size_t>(n * out));
    if (through_activation) {
      cpu::activation_backward_and_column_sums_bf16(y_, dy, dz16_.data(), act_, bias_grad);
    } else {
      cpu::column_sums(dy, bias_grad);
      cpu::to_bf16(dy.data, dz16_.data(), dy.size());
    }
    backward_products_bf16(n, weight_grad, dx);
    if (reorders()) restore_gradient_order();
    return;
  }
  ConstMatrixView dz = dy;
  if (through_activation) {
    // dz and the bias gradient (its column sums) in one pass.
    dz_.resize({n, out});
    cpu::activation_backward_and_column_sums(y_, dy, dz_.view(), act_, bias_grad);
    dz = dz_.view();
  } else {
    cpu::column_sums(dz, bias_grad);
  }
  if (plain_products()) {
    cpu::tiny_weight_grad(dz, x_, weight_grad);
    if (dx) {
      dx->resize({n, in});
      cpu::tiny_input_grad(dz, weight, dx->view());
    }
    return;
  }
  // dW (out x in) = dz^T (out x n) * x (n x in)
  cpu::gemm(true, false, out, in, n, 1.0f, dz.data, out, x_.data, in, 0.0f, weight_grad, in);
  if (dx) {
    // dx (n x in) = dz (n x out) * W (out x in)
    dx->resize({n, in});
    cpu::gemm(false, false, n, in, out, 1.0f, dz.data, out, weight, in, 0.0f, dx->data(), in);
  }
  if (reorders()) restore_gradient_order();
}

bool Dense::plain_products() const {
  return plain_small_ && precision_ == Precision::Fp32 && !reorders() &&
         out_features() * in_features() <= cpu::kTinyProductMacs;
}

LayerPlan plan_dense(const LayerSpec& spec, const Shape& in_shape) {
  spec.check_options({"out", "activation", "init", "init_sigma"});
  const int64_t out = spec.integer("out");
  if (out <= 0 || out > (int64_t{1} << 24)) fail("layer dense: out must be in [1, 2^24], got ", out);
  parse_activation(spec.text("activation", "identity"));
  check_init_options(spec);
  const int64_t in = shape_size(in_shape);
  return {{out}, {{"weight", {out, in}}, {"bias", {out}}}, {}};
}

BuiltLayer build_dense(const LayerBuild& b) {
  const LayerPlan plan = plan_dense(b.spec, b.in_shape);
  const int64_t out = plan.out_shape[0], in = shape_size(b.in_shape);
  auto layer = std::make_unique<Dense>(in, out, parse_activation(b.spec.text("activation", "identity")));
  initialize_layer_weights(b, layer->weight(), layer->bias());
  return {std::move(layer), plan.out_shape};
}

// The fp32 path's two products with bf16 operands: dz (n rows) as backward rounded it into dz16_,
// x and W as the forward rounded them (the weights, arranged or not, have not changed since).
void Dense::backward_products_bf16(int64_t n, float* weight_grad, Tensor* dx) {
  const int64_t out = out_features(), in = in_features();
  cpu::matmul_bf16(true, false, out, in, n, dz16_.data(), x16_.data(), weight_grad);
  if (dx) {
    dx->resize({n, in});
    cpu::matmul_bf16(false, false, n, in, out, dz16_.data(), w16_.data(), dx->data());
  }
}

std::vector<Param> Dense::params() {
  return {{"weight", &weight_, &weight_grad_}, {"bias", &bias_, &bias_grad_}};
}

}  // namespace aekit
