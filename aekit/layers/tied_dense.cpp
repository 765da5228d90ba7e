#include <aekit/layers/tied_dense.h>

#include <aekit/backend/cpu/elementwise.h>
#include <aekit/backend/cpu/gemm.h>
#include <aekit/core/error.h>
#include <aekit/layers/dense.h>

namespace aekit {

TiedDense::TiedDense(Param weight, Activation act)
    : weight_(weight.value),
      weight_grad_(weight.grad),
      act_(act),
      bias_({weight.value->dim(1)}),
      bias_grad_({weight.value->dim(1)}),
      weight_grad_part_(weight.value->shape()) {}

void TiedDense::forward(ConstMatrixView x, Tensor& y, Mode) {
  AEKIT_ASSERT(x.cols == in_features(), "tied_dense input has ", x.cols, " columns, layer expects ", in_features());
  const int64_t in = in_features(), out = out_features();
  y.resize({x.rows, out});
  // y (n x out) = x (n x in) W (in x out): W is the tied layer's (out x in) weight, not transposed.
  cpu::gemm(false, false, x.rows, out, in, 1.0f, x.data, in, weight_->data(), out, 0.0f, y.data(), out);
  cpu::bias_activation(y.view(), bias_.data(), act_);
  x_ = x;
  y_ = y.view();
}

void TiedDense::backward(ConstMatrixView dy, Tensor* dx) {
  AEKIT_ASSERT(dy.rows == y_.rows && dy.cols == y_.cols, "tied_dense backward: gradient shape does not match "
               "the last output");
  const int64_t in = in_features(), out = out_features(), n = dy.rows;
  ConstMatrixView dz = dy;
  if (act_ != Activation::Identity) {
    dz_.resize({n, out});
    cpu::activation_backward_and_column_sums(y_, dy, dz_.view(), act_, bias_grad_.data());
    dz = dz_.view();
  } else {
    cpu::column_sums(dz, bias_grad_.data());
  }
  // This use's weight gradient (in x out) = x^T (in x n) dz (n x out).
  cpu::gemm(true, false, in, out, n, 1.0f, x_.data, in, dz.data, out, 0.0f, weight_grad_part_.data(), out);
  part_pending_ = true;
  if (dx) {
    // dx (n x in) = dz (n x out) W^T (out x in)
    dx->resize({n, in});
    cpu::gemm(false, true, n, in, out, 1.0f, dz.data, out, weight_->data(), out, 0.0f, dx->data(), in);
  }
}

void TiedDense::after_backward() {
  if (!part_pending_) return;
  float* g = weight_grad_->data();
  const float* part = weight_grad_part_.data();
  for (int64_t i = 0; i < weight_grad_->size(); ++i) g[i] += part[i];
  part_pending_ = false;
}

std::vector<Param> TiedDense::params() { return {{"bias", &bias_, &bias_grad_}}; }

// The output size is the tied layer's input size, which the spec alone cannot tell: the spec
// states it (out=N, written by --tied) so that a model file can be planned before anything is
// built, and the builder checks it against the tied layer.
LayerPlan plan_tied_dense(const LayerSpec& spec, const Shape& in_shape) {
  spec.check_options({"tie", "out", "activation"});
  if (spec.text("tie", "").empty())
    fail("layer tied_dense: option 'tie' names the dense layer whose weight it shares, e.g. tie=encoder.0");
  const int64_t out = spec.integer("out");
  if (out <= 0 || out > (int64_t{1} << 24)) fail("layer tied_dense: out must be in [1, 2^24], got ", out);
  parse_activation(spec.text("activation", "identity"));
  (void)in_shape;  // the weight is the tied layer's: only the bias is this layer's own
  return {{out}, {{"bias", {out}}}, {}};
}

BuiltLayer build_tied_dense(const LayerBuild& b) {
  const LayerPlan plan = plan_tied_dense(b.spec, b.in_shape);
  const std::string tie = b.spec.text("tie", "");
  auto* dense = dynamic_cast<Dense*>(b.find ? b.find(tie) : nullptr);
  if (!dense) fail("layer tied_dense: tie=", tie, " is not a dense layer built before this one");
  const int64_t in = shape_size(b.in_shape), out = plan.out_shape[0];
  if (dense->out_features() != in)
    fail("layer tied_dense: ", tie, " maps ", dense->in_features(), " -> ", dense->out_features(),
         ", so its transpose takes ", dense->out_features(), " values, but this layer gets ", in);
  if (dense->in_features() != out)
    fail("layer tied_dense: out=", out, " but ", tie, " maps ", dense->in_features(), " -> ", dense->out_features(),
         ", so its transpose gives ", dense->in_features(), " values");
  Param weight{"weight", &dense->weight(), nullptr};
  for (const Param& p : dense->params())
    if (p.name == "weight") weight.grad = p.grad;
  AEKIT_ASSERT(weight.grad, "dense layer without a weight gradient");
  return {std::make_unique<TiedDense>(weight, parse_activation(b.spec.text("activation", "identity"))), plan.out_shape};
}

}  // namespace aekit
