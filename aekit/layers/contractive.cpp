#include <aekit/layers/contractive.h>

#include <aekit/core/error.h>
#include <aekit/layers/activation.h>
#include <aekit/layers/dense.h>

#include <algorithm>
#include <cmath>

namespace aekit {

namespace {

// The most probes a layer spec may ask for: each costs about one forward pass of the chain.
constexpr int64_t kMaxProbes = 1024;

std::vector<Dense*> checked_chain(std::vector<Dense*> chain) {
  if (chain.empty()) fail("contractive follows the dense layer(s) whose Jacobian it penalises");
  for (const Dense* dense : chain)
    if (!has_activation_slope(dense->activation()))
      fail("contractive: the dense layers below must use sigmoid, tanh, relu or identity (the closed form of "
           "their derivatives), one uses ", activation_name(dense->activation()));
  return chain;
}

}  // namespace

Contractive::Contractive(std::vector<Dense*> chain, double weight, double term_scale, int probes, uint64_t seed)
    : chain_(checked_chain(std::move(chain))),
      features_(chain_.back()->out_features()),
      scale_(weight * term_scale),
      probes_(probes),
      rng_(seed) {
  if (!(weight >= 0.0)) fail("contractive: weight must be >= 0, got ", weight);
  if (probes < 0 || probes > kMaxProbes) fail("contractive: probes must be 0 (exact) to ", kMaxProbes, ", got ", probes);
  if (!closed_form()) jacobian_ = std::make_unique<DenseChainJacobian>(chain_);
}

Contractive::Contractive(Dense& dense, double weight, double term_scale)
    : Contractive(std::vector<Dense*>{&dense}, weight, term_scale) {}

std::vector<Rng*> Contractive::generators() {
  if (!closed_form() && probes_ > 0) return {&rng_};
  return {};
}

void Contractive::row_norms_of_weight() {
  const Tensor& w = chain_[0]->weight();
  row_norms_.assign(static_cast<size_t>(features_), 0.0);
  for (int64_t j = 0; j < features_; ++j) {
    const float* row = w.row(j);
    double s = 0.0;
    for (int64_t i = 0; i < w.dim(1); ++i) s += static_cast<double>(row[i]) * row[i];
    row_norms_[static_cast<size_t>(j)] = s;
  }
}

std::vector<double> Contractive::jacobian_norms(ConstMatrixView h) const {
  AEKIT_ASSERT(closed_form(), "jacobian_norms(h) is the one-layer closed form; use exact_norms(x)");
  const Tensor& w = chain_[0]->weight();
  const Activation act = chain_[0]->activation();
  std::vector<double> out(static_cast<size_t>(h.rows), 0.0);
  for (int64_t j = 0; j < features_; ++j) {
    double s = 0.0;
    for (int64_t i = 0; i < w.dim(1); ++i) s += static_cast<double>(w.row(j)[i]) * w.row(j)[i];
    for (int64_t r = 0; r < h.rows; ++r) {
      const double g = activation_slope(act, h.row(r)[j]).g;
      out[static_cast<size_t>(r)] += g * g * s;
    }
  }
  return out;
}

std::vector<double> Contractive::exact_norms(ConstMatrixView x) const {
  if (jacobian_) return jacobian_->exact_norms(x);
  std::vector<Tensor> storage;
  return jacobian_norms(DenseChainJacobian(chain_).run(x, storage).back());
}

void Contractive::forward(ConstMatrixView x, Tensor& y, Mode mode) {
  y.resize({x.rows, x.cols});
  std::copy_n(x.data, x.size(), y.data());
  active_ = mode == Mode::Train && x.rows > 0 && scale_ > 0.0;
  h_ = x;
  value_ = 0.0;
  if (!active_) return;
  if (closed_form())
    closed_form_forward(x);
  else
    chain_forward();
}

void Contractive::closed_form_forward(ConstMatrixView h) {
  row_norms_of_weight();
  mean_g2_.assign(static_cast<size_t>(features_), 0.0);
  const Activation act = chain_[0]->activation();
  for (int64_t r = 0; r < h.rows; ++r)
    for (int64_t j = 0; j < features_; ++j) {
      const double g = activation_slope(act, h.row(r)[j]).g;
      mean_g2_[static_cast<size_t>(j)] += g * g;
    }
  for (int64_t j = 0; j < features_; ++j) {
    mean_g2_[static_cast<size_t>(j)] /= static_cast<double>(h.rows);
    value_ += mean_g2_[static_cast<size_t>(j)] * row_norms_[static_cast<size_t>(j)];
  }
  value_ *= scale_;
}

void Contractive::chain_forward() {
  const int64_t in = jacobian_->in_features();
  if (probes_ == 0) {
    probe_vectors_.resize({in, in});
    probe_vectors_.fill(0.0f);
    for (int64_t i = 0; i < in; ++i) probe_vectors_.row(i)[i] = 1.0f;
  } else {
    // v_p ~ N(0, I / P): the sum over the P probes of ||J v_p||^2 has mean ||J||_F^2.
    probe_vectors_.resize({in, probes_});
    const auto sd = static_cast<float>(1.0 / std::sqrt(static_cast<double>(probes_)));
    for (float& v : probe_vectors_.span()) v = sd * rng_.normal();
  }
  std::vector<ConstMatrixView> acts{chain_[0]->last_input()};
  for (const Dense* dense : chain_) acts.push_back(dense->last_output());
  value_ = scale_ / static_cast<double>(h_.rows) * jacobian_->probe(acts, probe_vectors_.view());
}

void Contractive::backward(ConstMatrixView dy, Tensor* dx) {
  weight_grad_pending_ = active_;
  if (!dx) return;
  dx->resize({dy.rows, dy.cols});
  std::copy_n(dy.data, dy.size(), dx->data());
  if (!active_ || !closed_form()) return;
  // d/dh_rj of scale * mean_r sum_j g(h_rj)^2 s_j = scale / n * 2 g dg/dh * s_j
  const double c = scale_ / static_cast<double>(h_.rows);
  const Activation act = chain_[0]->activation();
  for (int64_t r = 0; r < h_.rows; ++r)
    for (int64_t j = 0; j < features_; ++j) {
      const ActivationSlope s = activation_slope(act, h_.row(r)[j]);
      dx->row(r)[j] += static_cast<float>(c * 2.0 * s.g * s.dg_dh * row_norms_[static_cast<size_t>(j)]);
    }
}

void Contractive::after_backward() {
  if (!weight_grad_pending_) return;
  weight_grad_pending_ = false;
  if (!closed_form()) {
    jacobian_->add_gradient(scale_ / static_cast<double>(h_.rows));
    return;
  }
  // d/dW_ji of scale * sum_j mean_g2_j * sum_i W_ji^2 = scale * mean_g2_j * 2 W_ji
  Tensor* grad = nullptr;
  for (const Param& p : chain_[0]->params())
    if (p.name == "weight") grad = p.grad;
  AEKIT_ASSERT(grad, "dense layer without a weight gradient");
  const Tensor& w = chain_[0]->weight();
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
  spec.check_options({"weight", "probes"});
  const double weight = spec.number("weight");
  if (!(weight >= 0.0)) fail("contractive: weight must be >= 0, got ", weight);
  const int64_t probes = spec.integer("probes", 1);
  if (probes < 0 || probes > kMaxProbes) fail("contractive: probes must be 0 (exact) to ", kMaxProbes, ", got ", probes);
  return {in_shape, {}, {}};
}

BuiltLayer build_contractive(const LayerBuild& b) {
  const LayerPlan plan = plan_contractive(b.spec, b.in_shape);
  // The consecutive dense layers right below, bottom first.
  std::vector<Dense*> chain;
  for (auto it = b.earlier.rbegin(); it != b.earlier.rend(); ++it) {
    auto* dense = dynamic_cast<Dense*>(*it);
    if (!dense) break;
    chain.insert(chain.begin(), dense);
  }
  if (chain.empty())
    fail("contractive follows the dense layer(s) whose Jacobian it penalises; the layer before is ",
         b.earlier.empty() ? std::string("none") : b.earlier.back()->kind());
  const auto probes = static_cast<int>(b.spec.integer("probes", 1));
  // Only a deeper chain draws probes; a one-layer model builds exactly as before.
  const uint64_t seed = chain.size() > 1 && probes > 0 ? b.rng.next_u64() : 0;
  return {std::make_unique<Contractive>(std::move(chain), b.spec.number("weight"), b.term_scale, probes, seed),
          plan.out_shape};
}

}  // namespace aekit
