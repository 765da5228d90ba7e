// Adagrad as torch.optim.Adagrad's _single_tensor_adagrad (1.13), dense gradients: coupled
// weight decay, a sum of squared gradients that starts at initial_accumulator_value, eps added
// after the square root, and the rate decayed as lr / (1 + (step - 1) * lr_decay).
#include <aekit/train/optimizers/optimizers.h>
#include <aekit/train/optimizers/parallel.h>
#include <aekit/train/optimizers/python_scalar.h>
#include <aekit/train/optimizers/torch_float_ops.h>

#include <cmath>

namespace aekit::detail {
namespace {

class Adagrad final : public Optimizer {
 public:
  Adagrad(const OptimizerConfig& c, std::vector<ParamRef> params)
      : Optimizer(std::move(params), c.lr),
        weight_decay_(c.weight_decay),
        lr_decay_(python_float(c.lr_decay)),
        eps_(c.eps) {
    for (const ParamRef& p : params_)
      sums_.emplace_back(static_cast<size_t>(p.size), c.initial_accumulator_value);
  }

  bool step(float grad_scale) override {
    ++step_;
    const double clr = python_float(lr_) / (1.0 + static_cast<double>(step_ - 1) * lr_decay_);
    const auto neg_clr = static_cast<float>(-clr);
    const float wd = weight_decay_, eps = eps_;
    return for_each_param_slice(params_, balance_, [&](size_t k, int64_t begin, int64_t end) {
      float* p = params_[k].value;
      const float* g = params_[k].grad;
      float* sum = sums_[k].data();
      return simd_range(begin, end, [=](int64_t i) {
        float grad = g[i] * grad_scale;
        if (wd != 0.0f) grad = std::fma(wd, p[i], grad);
        sum[i] = std::fma(grad, grad, sum[i]);
        const float denom = std::sqrt(sum[i]) + eps;
        p[i] = p[i] + neg_clr * grad / denom;
        return p[i];
      });
    });
  }

  int64_t steps() const override { return step_; }
  void set_steps(int64_t steps) override { step_ = steps; }
  std::vector<OptimizerSlot> slots() override {
    std::vector<OptimizerSlot> out;
    for (size_t k = 0; k < sums_.size(); ++k) out.push_back({"sum." + std::to_string(k), &sums_[k]});
    return out;
  }

 private:
  float weight_decay_;
  double lr_decay_;
  float eps_;
  int64_t step_ = 0;
  std::vector<std::vector<float>> sums_;  // one per parameter
};

}  // namespace

std::unique_ptr<Optimizer> make_adagrad(const OptimizerConfig& config,
                                        std::vector<ParamRef> params) {
  return std::make_unique<Adagrad>(config, std::move(params));
}

}  // namespace aekit::detail
