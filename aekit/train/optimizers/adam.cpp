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

// The per-element update. The options are template parameters so that every branch is decided
// at compile time: with a run-time `if` guarding a store the compiler cannot vectorise the loop,
// and the scalar loop made the Adam step 89% of a batch-size-1 epoch (perf).
struct AdamScalars {
  float beta1, beta2, blend1, blend2, eps, neg_step_size, bias_correction2_sqrt, coupled_wd, shrink, grad_scale;
};

template <bool Coupled, bool Decoupled, bool Amsgrad>
bool adam_update(int64_t begin, int64_t end, float* p, const float* g, float* m, float* v, float* v_max,
                 const AdamScalars s) {
  // Each array is read once and written once through locals: stored in place step by step, the
  // compiler stored the shrunk parameter and read it (and m, v) back, as one of p, m, v may alias
  // another for all it knows (13% of the step's time at 671K parameters, one thread).
  return simd_range(begin, end, [=](int64_t i) {
    float grad = g[i] * s.grad_scale;
    float param = p[i];
    if constexpr (Coupled) grad = std::fma(s.coupled_wd, param, grad);
    if constexpr (Decoupled) param = param * s.shrink;
    const float avg = std::fma(s.blend1, grad, m[i] * s.beta1);
    const float avg_sq = std::fma(s.blend2 * grad, grad, v[i] * s.beta2);
    m[i] = avg;
    v[i] = avg_sq;
    float second = avg_sq;
    if constexpr (Amsgrad) second = v_max[i] = std::max(v_max[i], avg_sq);
    const float denom = std::sqrt(second) / s.bias_correction2_sqrt + s.eps;
    param = unfused_add(param, s.neg_step_size * avg / denom);
    p[i] = param;
    return param;
  });
}

using AdamKernel = bool (*)(int64_t, int64_t, float*, const float*, float*, float*, float*, AdamScalars);

AdamKernel pick_adam_kernel(bool coupled, bool decoupled, bool amsgrad) {
  static constexpr AdamKernel kernels[8] = {
      adam_update<false, false, false>, adam_update<false, false, true>, adam_update<false, true, false>,
      adam_update<false, true, true>,   adam_update<true, false, false>, adam_update<true, false, true>,
      adam_update<true, true, false>,   adam_update<true, true, true>};
  return kernels[(coupled ? 4 : 0) + (decoupled ? 2 : 0) + (amsgrad ? 1 : 0)];
}

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

  bool step(float grad_scale) override {
    ++step_;
    const double lr = python_float(lr_);
    const double bias_correction1 = 1.0 - std::pow(beta1_, static_cast<double>(step_));
    const double bias_correction2 = 1.0 - std::pow(beta2_, static_cast<double>(step_));
    const auto neg_step_size = static_cast<float>(-(lr / bias_correction1));
    const auto bias_correction2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
    AdamScalars s{};
    s.beta1 = static_cast<float>(beta1_);
    s.beta2 = static_cast<float>(beta2_);
    s.blend1 = static_cast<float>(1.0 - beta1_);
    s.blend2 = static_cast<float>(1.0 - beta2_);
    s.eps = eps_;
    s.neg_step_size = neg_step_size;
    s.bias_correction2_sqrt = bias_correction2_sqrt;
    s.coupled_wd = decoupled_ ? 0.0f : weight_decay_;
    s.shrink = static_cast<float>(decoupled_ ? 1.0 - lr * python_float(weight_decay_) : 1.0);
    s.grad_scale = grad_scale;
    // PyTorch adds the coupled decay only when weight_decay != 0; AdamW always shrinks.
    const AdamKernel kernel = pick_adam_kernel(s.coupled_wd != 0.0f, decoupled_, amsgrad_);
    return for_each_param_slice(params_, [&](size_t k, int64_t begin, int64_t end) {
      return kernel(begin, end, params_[k].value, params_[k].grad, exp_avg_[k].data(), exp_avg_sq_[k].data(),
                    amsgrad_ ? max_exp_avg_sq_[k].data() : nullptr, s);
    });
  }

  int64_t steps() const override { return step_; }
  void set_steps(int64_t steps) override { step_ = steps; }
  std::vector<OptimizerSlot> slots() override {
    std::vector<OptimizerSlot> out;
    for (size_t k = 0; k < exp_avg_.size(); ++k) out.push_back({"exp_avg." + std::to_string(k), &exp_avg_[k]});
    for (size_t k = 0; k < exp_avg_sq_.size(); ++k) out.push_back({"exp_avg_sq." + std::to_string(k), &exp_avg_sq_[k]});
    for (size_t k = 0; k < max_exp_avg_sq_.size(); ++k) out.push_back({"max_exp_avg_sq." + std::to_string(k), &max_exp_avg_sq_[k]});
    return out;
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
