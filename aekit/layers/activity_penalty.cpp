#include <aekit/layers/activity_penalty.h>

#include <aekit/core/error.h>

#include <algorithm>
#include <cmath>

namespace aekit {

namespace {
constexpr double kRhoClamp = 1e-6;
}

void ActivityPenalty::forward(ConstMatrixView x, Tensor& y, Mode mode) {
  y.resize({x.rows, x.cols});
  std::copy_n(x.data, x.size(), y.data());
  active_ = mode == Mode::Train && x.rows > 0;
  x_ = x;
  value_ = active_ ? scale_ * term(x) : 0.0;
}

void ActivityPenalty::backward(ConstMatrixView dy, Tensor* dx) {
  if (!dx) return;
  dx->resize({dy.rows, dy.cols});
  std::copy_n(dy.data, dy.size(), dx->data());
  if (active_) add_term_gradient(x_, scale_, dx->view());
}

void ActivityPenalty::loss_terms(std::vector<LossTerm>& out) const {
  if (active_) out.push_back({kind(), value_});
}

double L1Activity::term(ConstMatrixView x) {
  double sum = 0.0;
  for (int64_t i = 0; i < x.size(); ++i) sum += std::fabs(x.data[i]);
  return sum / static_cast<double>(x.rows);
}

void L1Activity::add_term_gradient(ConstMatrixView x, double scale, MatrixView dx) const {
  const auto g = static_cast<float>(scale / static_cast<double>(x.rows));
  for (int64_t i = 0; i < x.size(); ++i) dx.data[i] += x.data[i] > 0 ? g : (x.data[i] < 0 ? -g : 0.0f);
}

KlSparsity::KlSparsity(int64_t features, double rho, double beta, double term_scale)
    : ActivityPenalty(features, beta * term_scale), rho_(rho) {
  if (!(rho > 0.0 && rho < 1.0)) fail("kl_sparsity: rho must be in (0, 1), got ", rho);
  if (!(beta >= 0.0)) fail("kl_sparsity: beta must be >= 0, got ", beta);
}

double KlSparsity::term(ConstMatrixView x) {
  rho_hat_.assign(static_cast<size_t>(x.cols), 0.0);
  for (int64_t r = 0; r < x.rows; ++r)
    for (int64_t c = 0; c < x.cols; ++c) rho_hat_[static_cast<size_t>(c)] += x.row(r)[c];
  double kl = 0.0;
  for (double& q : rho_hat_) {
    q = std::clamp(q / static_cast<double>(x.rows), kRhoClamp, 1.0 - kRhoClamp);
    kl += rho_ * std::log(rho_ / q) + (1 - rho_) * std::log((1 - rho_) / (1 - q));
  }
  return kl;
}

void KlSparsity::add_term_gradient(ConstMatrixView x, double scale, MatrixView dx) const {
  // d/dh_rc of sum_j KL(rho || mean_r h_rj) = (-rho/q_c + (1-rho)/(1-q_c)) / rows
  std::vector<float> g(static_cast<size_t>(x.cols));
  for (size_t c = 0; c < g.size(); ++c) {
    const double q = rho_hat_[c];
    g[c] = static_cast<float>(scale * (-rho_ / q + (1 - rho_) / (1 - q)) / static_cast<double>(x.rows));
  }
  for (int64_t r = 0; r < dx.rows; ++r)
    for (int64_t c = 0; c < dx.cols; ++c) dx.row(r)[c] += g[static_cast<size_t>(c)];
}

LayerPlan plan_l1_activity(const LayerSpec& spec, const Shape& in_shape) {
  spec.check_options({"weight"});
  const double weight = spec.number("weight");
  if (!(weight >= 0.0)) fail("l1_activity: weight must be >= 0, got ", weight);
  return {in_shape, {}, {}};
}

LayerPlan plan_kl_sparsity(const LayerSpec& spec, const Shape& in_shape) {
  spec.check_options({"rho", "beta"});
  const double rho = spec.number("rho"), beta = spec.number("beta", 3.0);
  if (!(rho > 0.0 && rho < 1.0)) fail("kl_sparsity: rho must be in (0, 1), got ", rho);
  if (!(beta >= 0.0)) fail("kl_sparsity: beta must be >= 0, got ", beta);
  return {in_shape, {}, {}};
}

BuiltLayer build_l1_activity(const LayerBuild& b) {
  const LayerPlan plan = plan_l1_activity(b.spec, b.in_shape);
  return {std::make_unique<L1Activity>(shape_size(b.in_shape), b.spec.number("weight"), b.term_scale), plan.out_shape};
}

BuiltLayer build_kl_sparsity(const LayerBuild& b) {
  const LayerPlan plan = plan_kl_sparsity(b.spec, b.in_shape);
  return {std::make_unique<KlSparsity>(shape_size(b.in_shape), b.spec.number("rho"), b.spec.number("beta", 3.0),
                                       b.term_scale),
          plan.out_shape};
}

}  // namespace aekit
