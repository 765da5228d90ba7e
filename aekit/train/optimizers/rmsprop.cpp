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

// The per-element update, with the options as template parameters so the loop vectorises (a
// run-time branch around a store keeps it scalar; see adam.cpp).
struct RmspropScalars {
  float neg_lr, wd, alpha, blend, eps, momentum, grad_scale;
};

template <bool Decay, bool Centered, bool Momentum>
bool rmsprop_update(int64_t begin, int64_t end, float* p, const float* g, float* sq, float* ga, float* buf, const RmspropScalars s) {
  // Each array is read once and written once through locals (as adam.cpp): stored in place, the
  // compiler read the stored values back, not knowing that the arrays never alias.
  return simd_range(begin, end, [=](int64_t i) {
    float grad = g[i] * s.grad_scale;
    float param = p[i];
    if constexpr (Decay) grad = std::fma(s.wd, param, grad);
    const float square_avg = std::fma(s.blend * grad, grad, sq[i] * s.alpha);
    sq[i] = square_avg;
    float avg;
    if constexpr (Centered) {
      const float grad_avg = std::fma(s.blend, grad, ga[i] * s.alpha);
      ga[i] = grad_avg;
      avg = std::sqrt(std::fma(-grad_avg, grad_avg, square_avg));
    } else {
      avg = std::sqrt(square_avg);
    }
    avg = avg + s.eps;
    if constexpr (Momentum) {
      const float momentum_buf = unfused_add(grad / avg, buf[i] * s.momentum);
      buf[i] = momentum_buf;
      param = std::fma(s.neg_lr, momentum_buf, param);
    } else {
      param = param + s.neg_lr * grad / avg;
    }
    p[i] = param;
    return param;
  });
}

using RmspropKernel = bool (*)(int64_t, int64_t, float*, const float*, float*, float*, float*, RmspropScalars);

RmspropKernel pick_rmsprop_kernel(bool decay, bool centered, bool momentum) {
  static constexpr RmspropKernel kernels[8] = {
      rmsprop_update<false, false, false>, rmsprop_update<false, false, true>, rmsprop_update<false, true, false>,
      rmsprop_update<false, true, true>,   rmsprop_update<true, false, false>, rmsprop_update<true, false, true>,
      rmsprop_update<true, true, false>,   rmsprop_update<true, true, true>};
  return kernels[(decay ? 4 : 0) + (centered ? 2 : 0) + (momentum ? 1 : 0)];
}

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

  bool step(float grad_scale) override {
    const RmspropScalars s{-lr_, weight_decay_, alpha_, one_minus_alpha_, eps_, momentum_, grad_scale};
    const bool use_momentum = momentum_ > 0.0f;
    const RmspropKernel kernel = pick_rmsprop_kernel(weight_decay_ != 0.0f, centered_, use_momentum);
    const bool finite = for_each_param_slice(params_, balance_, [&](size_t k, int64_t begin, int64_t end) {
      return kernel(begin, end, params_[k].value, params_[k].grad, square_avg_[k].data(),
                    centered_ ? grad_avg_[k].data() : nullptr, use_momentum ? buffers_[k].data() : nullptr, s);
    });
    ++step_;
    return finite;
  }
  // RMSprop's update does not depend on the count; it is kept so a checkpoint records it.
  int64_t steps() const override { return step_; }
  void set_steps(int64_t steps) override { step_ = steps; }
  std::vector<OptimizerSlot> slots() override {
    std::vector<OptimizerSlot> out;
    for (size_t k = 0; k < square_avg_.size(); ++k) out.push_back({"square_avg." + std::to_string(k), &square_avg_[k]});
    for (size_t k = 0; k < grad_avg_.size(); ++k) out.push_back({"grad_avg." + std::to_string(k), &grad_avg_[k]});
    for (size_t k = 0; k < buffers_.size(); ++k) out.push_back({"momentum_buffer." + std::to_string(k), &buffers_[k]});
    return out;
  }

 private:
  float weight_decay_, alpha_, one_minus_alpha_, eps_, momentum_;
  bool centered_;
  int64_t step_ = 0;
  // One array per parameter each; grad_avg_ only when centered, buffers_ only with momentum.
  std::vector<std::vector<float>> square_avg_, grad_avg_, buffers_;
};

}  // namespace

std::unique_ptr<Optimizer> make_rmsprop(const OptimizerConfig& config,
                                        std::vector<ParamRef> params) {
  return std::make_unique<RmsProp>(config, std::move(params));
}

}  // namespace aekit::detail
