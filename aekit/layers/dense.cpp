#include <aekit/layers/dense.h>

#include <aekit/backend/cpu/elementwise.h>
#include <aekit/backend/cpu/gemm.h>
#include <aekit/backend/cpu/matmul.h>
#include <aekit/core/checked_size.h>
#include <aekit/core/error.h>
#include <aekit/layers/init.h>

namespace aekit {

Dense::Dense(int64_t in, int64_t out, Activation act)
    : act_(act), weight_({out, in}), bias_({out}), weight_grad_({out, in}), bias_grad_({out}) {
  AEKIT_ASSERT(in > 0 && out > 0, "dense layer sizes must be positive, got ", in, "x", out);
}

void Dense::forward(ConstMatrixView x, Tensor& y, Mode) {
  AEKIT_ASSERT(x.cols == in_features(), "dense input has ", x.cols, " columns, layer expects ",
               in_features());
  const int64_t out = out_features();
  y.resize({x.rows, out});
  const Activation act = emit_logits_ ? Activation::Identity : act_;
  if (precision_ == Precision::Bf16) {
    x16_.resize(static_cast<size_t>(x.size()));
    w16_.resize(static_cast<size_t>(weight_.size()));
    cpu::to_bf16(x.data, x16_.data(), x.size());
    cpu::to_bf16(weight_.data(), w16_.data(), weight_.size());
    cpu::linear_forward_bf16(x16_.data(), x.rows, x.cols, w16_.data(), bias_.data(), y.view(), act);
  } else {
    cpu::linear_forward(x, weight_.data(), bias_.data(), y.view(), act);
  }
  x_ = x;
  y_ = y.view();
}

void Dense::backward(ConstMatrixView dy, Tensor* dx) {
  AEKIT_ASSERT(dy.rows == y_.rows && dy.cols == y_.cols, "dense backward: gradient shape does not "
               "match the last output");
  const int64_t out = out_features(), in = in_features(), n = dy.rows;
  ConstMatrixView dz = dy;
  if (!emit_logits_ && act_ != Activation::Identity) {
    // dz and the bias gradient (its column sums) in one pass.
    dz_.resize({n, out});
    cpu::activation_backward_and_column_sums(y_, dy, dz_.view(), act_, bias_grad_.data());
    dz = dz_.view();
  } else {
    cpu::column_sums(dz, bias_grad_.data());
  }
  if (precision_ == Precision::Bf16) {
    backward_products_bf16(dz, dx);
    return;
  }
  // dW (out x in) = dz^T (out x n) * x (n x in)
  cpu::gemm(true, false, out, in, n, 1.0f, dz.data, out, x_.data, in, 0.0f, weight_grad_.data(), in);
  if (dx) {
    // dx (n x in) = dz (n x out) * W (out x in)
    dx->resize({n, in});
    cpu::gemm(false, false, n, in, out, 1.0f, dz.data, out, weight_.data(), in, 0.0f, dx->data(), in);
  }
}

LayerPlan plan_dense(const LayerSpec& spec, const Shape& in_shape) {
  spec.check_options({"out", "activation", "init", "init_sigma"});
  const int64_t out = spec.integer("out");
  if (out <= 0 || out > (int64_t{1} << 24)) fail("layer dense: out must be in [1, 2^24], got ", out);
  parse_activation(spec.text("activation", "identity"));
  check_init_options(spec);
  const int64_t in = shape_size(in_shape);
  return {{out}, {{"weight", {out, in}}, {"bias", {out}}}};
}

BuiltLayer build_dense(const LayerBuild& b) {
  const LayerPlan plan = plan_dense(b.spec, b.in_shape);
  const int64_t out = plan.out_shape[0], in = shape_size(b.in_shape);
  auto layer = std::make_unique<Dense>(in, out, parse_activation(b.spec.text("activation", "identity")));
  initialize_layer_weights(b, layer->weight(), layer->bias());
  return {std::move(layer), plan.out_shape};
}

// The fp32 path's two products with bf16 operands: dz rounded once here, x and W as the forward
// rounded them (the weights have not changed since).
void Dense::backward_products_bf16(ConstMatrixView dz, Tensor* dx) {
  const int64_t out = out_features(), in = in_features(), n = dz.rows;
  dz16_.resize(static_cast<size_t>(dz.size()));
  cpu::to_bf16(dz.data, dz16_.data(), dz.size());
  cpu::matmul_bf16(true, false, out, in, n, dz16_.data(), x16_.data(), weight_grad_.data());
  if (dx) {
    dx->resize({n, in});
    cpu::matmul_bf16(false, false, n, in, out, dz16_.data(), w16_.data(), dx->data());
  }
}

std::vector<Param> Dense::params() {
  return {{"weight", &weight_, &weight_grad_}, {"bias", &bias_, &bias_grad_}};
}

}  // namespace aekit
