#include <aekit/layers/contractive.h>

#include <aekit/core/error.h>
#include <aekit/layers/dense.h>

#include <algorithm>

namespace aekit {

namespace {

// act'(z) from the output h, and d(act'^2)/dh.
struct Slope {
  double g, dg2_dh;
};

Slope slope(Activation act, double h) {
  switch (act) {
    case Activation::Sigmoid: {
      const double g = h * (1.0 - h);
      return {g, 2.0 * g * (1.0 - 2.0 * h)};
    }
    case Activation::Tanh: {
      const double g = 1.0 - h * h;
      return {g, -4.0 * h * g};
    }
    case Activation::Relu:
      return {h > 0.0 ? 1.0 : 0.0, 0.0};
    default:
      AEKIT_ASSERT(false, "contractive: unsupported activation");
      return {0.0, 0.0};
  }
}

}  // namespace

Contractive::Contractive(Dense& dense, double weight, double term_scale)
    : dense_(dense), features_(dense.out_features()), scale_(weight * term_scale) {
  const Activation act = dense.activation();
  if (act != Activation::Sigmoid && act != Activation::Tanh && act != Activation::Relu)
    fail("contractive: the dense layer before must use sigmoid, tanh or relu (the closed form of its Jacobian)");
  if (!(weight >= 0.0)) fail("contractive: weight must be >= 0, got ", weight);
}

void Contractive::row_norms_of_weight() {
  const Tensor& w = dense_.weight();
  row_norms_.assign(static_cast<size_t>(features_), 0.0);
  for (int64_t j = 0; j < features_; ++j) {
    const float* row = w.row(j);
    double s = 0.0;
    for (int64_t i = 0; i < w.dim(1); ++i) s += static_cast<double>(row[i]) * row[i];
    row_norms_[static_cast<size_t>(j)] = s;
  }
}

std::vector<double> Contractive::jacobian_norms(ConstMatrixView h) const {
  const Tensor& w = dense_.weight();
  std::vector<double> out(static_cast<size_t>(h.rows), 0.0);
  for (int64_t j = 0; j < features_; ++j) {
    double s = 0.0;
    for (int64_t i = 0; i < w.dim(1); ++i) s += static_cast<double>(w.row(j)[i]) * w.row(j)[i];
    for (int64_t r = 0; r < h.rows; ++r) {
      const double g = slope(dense_.activation(), h.row(r)[j]).g;
      out[static_cast<size_t>(r)] += g * g * s;
    }
  }
  return out;
}

void Contractive::forward(ConstMatrixView x, Tensor& y, Mode mode) {
  y.resize({x.rows, x.cols});
  std::copy_n(x.data, x.size(), y.data());
  active_ = mode == Mode::Train && x.rows > 0 && scale_ > 0.0;
  h_ = x;
  value_ = 0.0;
  if (!active_) return;
  row_norms_of_weight();
  mean_g2_.assign(static_cast<size_t>(features_), 0.0);
  const Activation act = dense_.activation();
  for (int64_t r = 0; r < x.rows; ++r)
    for (int64_t j = 0; j < features_; ++j) {
      const double g = slope(act, x.row(r)[j]).g;
      mean_g2_[static_cast<size_t>(j)] += g * g;
    }
  for (int64_t j = 0; j < features_; ++j) {
    mean_g2_[static_cast<size_t>(j)] /= static_cast<double>(x.rows);
    value_ += mean_g2_[static_cast<size_t>(j)] * row_norms_[static_cast<size_t>(j)];
  }
  value_ *= scale_;
}

void Contractive::backward(ConstMatrixView dy, Tensor* dx) {
  weight_grad_pending_ = active_;
  if (!dx) return;
  dx->resize({dy.rows, dy.cols});
  std::copy_n(dy.data, dy.size(), dx->data());
  if (!active_) return;
  // d/dh_rj of scale * mean_r sum_j g(h_rj)^2 s_j = scale / n * d(g^2)/dh * s_j
  const double c = scale_ / static_cast<double>(h_.rows);
  const Activation act = dense_.activation();
  for (int64_t r = 0; r < h_.rows; ++r)
    for (int64_t j = 0; j < features_; ++j)
      dx->row(r)[j] += static_cast<float>(c * slope(act, h_.row(r)[j]).dg2_dh * row_norms_[static_cast<size_t>(j)]);
}

void Contractive::after_backward() {
  if (!weight_grad_pending_) return;
  weight_grad_pending_ = false;
  // d/dW_ji of scale * sum_j mean_g2_j * sum_i W_ji^2 = scale * mean_g2_j * 2 W_ji
  Tensor* grad = nullptr;
  for (const Param& p : dense_.params())
    if (p.name == "weight") grad = p.grad;
  AEKIT_ASSERT(grad, "dense layer without a weight gradient");
  const Tensor& w = dense_.weight();
  for (int64_t j = 0; j < features_; ++j) {
    const auto f = static_cast<float>(2.0 * scale_ * mean_g2_[static_cast<size_t>(j)]);
    const float* wr = w.row(j);
    float* gr = grad->row(j);
    for (int64_t i = 0; i < w.dim(1); ++i) gr[i] += f * wr[i];
  }
}

void Contractive::loss_terms(std::vector<LossTerm>& out) const {
  if (active_) out.push_back({"contractive", value_});
}

LayerPlan plan_contractive(const LayerSpec& spec, const Shape& in_shape) {
  spec.check_options({"weight"});
  const double weight = spec.number("weight");
  if (!(weight >= 0.0)) fail("contractive: weight must be >= 0, got ", weight);
  return {in_shape, {}};
}

BuiltLayer build_contractive(const LayerBuild& b) {
  const LayerPlan plan = plan_contractive(b.spec, b.in_shape);
  auto* dense = dynamic_cast<Dense*>(b.previous);
  if (!dense) fail("contractive follows the dense layer whose Jacobian it penalises; the layer before is ",
                   b.previous ? b.previous->kind() : std::string("none"));
  return {std::make_unique<Contractive>(*dense, b.spec.number("weight"), b.term_scale), plan.out_shape};
}

}  // namespace aekit
