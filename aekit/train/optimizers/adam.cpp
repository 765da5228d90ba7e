// Adam and AdamW as torch.optim's _single_tensor_adam / _single_tensor_adamw (1.13). They differ
// only in weight decay: Adam adds weight_decay * p to the gradient (coupled), AdamW first shrinks
// the parameter by (1 - lr * weight_decay) (decoupled). Bias corrections are Python floats in
// PyTorch, so they are computed in double here and cast where PyTorch casts them.
#include <aekit/train/optimizers/optimizers.h>
#include <aekit/train/optimizers/parallel.h>
#include <aekit/train/optimizers/python_scalar.h>
#include <aekit/train/optimizers/torch_float_ops.h>

#include <algorithm>
#include <cmath>

namespace aekit::detail {
namespace {

class Adam final : public Optimizer {
 public:
  Adam(const OptimizerConfig& c, std::vector<ParamRef> params)
      : Optimizer(std::move(params), c.lr),
        decoupled_(c.name == "adamw"),
        weight_decay_(c.weight_decay),
        beta1_(python_float(c.beta1)),
        beta2_(python_float(c.beta2)),
        eps_(c.eps),
        amsgrad_(c.amsgrad) {
    for (const ParamRef& p : params_) {
      const auto n = static_cast<size_t>(p.size);
      exp_avg_.emplace_back(n);
      exp_avg_sq_.emplace_back(n);
      if (amsgrad_) max_exp_avg_sq_.emplace_back(n);
    }
  }

  void step() override {
    ++step_;
    const double lr = python_float(lr_);
    const double bias_correction1 = 1.0 - std::pow(beta1_, static_cast<double>(step_));
    const double bias_correction2 = 1.0 - std::pow(beta2_, static_cast<double>(step_));
    const auto neg_step_size = static_cast<float>(-(lr / bias_correction1));
    const auto bias_correction2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
    const auto beta1 = static_cast<float>(beta1_), beta2 = static_cast<float>(beta2_);
    const auto blend1 = static_cast<float>(1.0 - beta1_), blend2 = static_cast<float>(1.0 - beta2_);
    const float eps = eps_;
    const bool amsgrad = amsgrad_;
    const float coupled_wd = decoupled_ ? 0.0f : weight_decay_;
    const auto shrink =
        static_cast<float>(decoupled_ ? 1.0 - lr * python_float(weight_decay_) : 1.0);
    for (size_t k = 0; k < params_.size(); ++k) {
      float* p = params_[k].value;
      const float* g = params_[k].grad;
      float* m = exp_avg_[k].data();
      float* v = exp_avg_sq_[k].data();
      float* v_max = amsgrad ? max_exp_avg_sq_[k].data() : nullptr;
      const bool decoupled = decoupled_;
      for_each_element(params_[k].size, [=](int64_t i) {
        float grad = g[i];
        if (coupled_wd != 0.0f) grad = std::fma(coupled_wd, p[i], grad);
        if (decoupled) p[i] = p[i] * shrink;
        m[i] = std::fma(blend1, grad, m[i] * beta1);
        v[i] = std::fma(blend2 * grad, grad, v[i] * beta2);
        float second = v[i];
        if (amsgrad) second = v_max[i] = std::max(v_max[i], v[i]);
        const float denom = std::sqrt(second) / bias_correction2_sqrt + eps;
        p[i] = unfused_add(p[i], neg_step_size * m[i] / denom);
      });
    }
  }

 private:
  bool decoupled_;
  float weight_decay_;
  double beta1_, beta2_;  // as PyTorch holds them, for the bias corrections
  float eps_;
  bool amsgrad_;
  int64_t step_ = 0;
  // One array per parameter each; max_exp_avg_sq_ only with amsgrad.
  std::vector<std::vector<float>> exp_avg_, exp_avg_sq_, max_exp_avg_sq_;
};

}  // namespace

std::unique_ptr<Optimizer> make_adam(const OptimizerConfig& config, std::vector<ParamRef> params) {
  return std::make_unique<Adam>(config, std::move(params));
}

}  // namespace aekit::detail
