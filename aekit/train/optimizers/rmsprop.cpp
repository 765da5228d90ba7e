// RMSprop as torch.optim.RMSprop's _single_tensor_rmsprop (1.13): coupled weight decay, square
// average with smoothing alpha, optional centring by the gradient average, eps added after the
// square root, optional momentum buffer (starting at zero).
#include <aekit/train/optimizers/optimizers.h>
#include <aekit/train/optimizers/parallel.h>
#include <aekit/train/optimizers/python_scalar.h>
#include <aekit/train/optimizers/torch_float_ops.h>

#include <cmath>

namespace aekit::detail {
namespace {

class RmsProp final : public Optimizer {
 public:
  RmsProp(const OptimizerConfig& c, std::vector<ParamRef> params)
      : Optimizer(std::move(params), c.lr),
        weight_decay_(c.weight_decay),
        alpha_(c.alpha),
        one_minus_alpha_(static_cast<float>(1.0 - python_float(c.alpha))),
        eps_(c.eps),
        momentum_(c.momentum),
        centered_(c.centered) {
    for (const ParamRef& p : params_) {
      const auto n = static_cast<size_t>(p.size);
      square_avg_.emplace_back(n);
      if (centered_) grad_avg_.emplace_back(n);
      if (momentum_ > 0.0f) buffers_.emplace_back(n);
    }
  }

  void step() override {
    const float neg_lr = -lr_;
    const float wd = weight_decay_, alpha = alpha_, blend = one_minus_alpha_, eps = eps_;
    const float momentum = momentum_;
    const bool centered = centered_, use_momentum = momentum > 0.0f;
    for (size_t k = 0; k < params_.size(); ++k) {
      float* p = params_[k].value;
      const float* g = params_[k].grad;
      float* sq = square_avg_[k].data();
      float* ga = centered ? grad_avg_[k].data() : nullptr;
      float* buf = use_momentum ? buffers_[k].data() : nullptr;
      for_each_element(params_[k].size, [=](int64_t i) {
        float grad = g[i];
        if (wd != 0.0f) grad = std::fma(wd, p[i], grad);
        sq[i] = std::fma(blend * grad, grad, sq[i] * alpha);
        float avg;
        if (centered) {
          ga[i] = std::fma(blend, grad, ga[i] * alpha);
          avg = std::sqrt(std::fma(-ga[i], ga[i], sq[i]));
        } else {
          avg = std::sqrt(sq[i]);
        }
        avg = avg + eps;
        if (use_momentum) {
          buf[i] = unfused_add(grad / avg, buf[i] * momentum);
          p[i] = std::fma(neg_lr, buf[i], p[i]);
        } else {
          p[i] = p[i] + neg_lr * grad / avg;
        }
      });
    }
  }

 private:
  float weight_decay_, alpha_, one_minus_alpha_, eps_, momentum_;
  bool centered_;
  // One array per parameter each; grad_avg_ only when centered, buffers_ only with momentum.
  std::vector<std::vector<float>> square_avg_, grad_avg_, buffers_;
};

}  // namespace

std::unique_ptr<Optimizer> make_rmsprop(const OptimizerConfig& config,
                                        std::vector<ParamRef> params) {
  return std::make_unique<RmsProp>(config, std::move(params));
}

}  // namespace aekit::detail
