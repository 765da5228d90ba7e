// SGD as torch.optim.SGD's _single_tensor_sgd (1.13): coupled weight decay, momentum buffer that
// starts as a copy of the first (decayed) gradient, dampening, nesterov.
#include <aekit/train/optimizers/optimizers.h>
#include <aekit/train/optimizers/parallel.h>
#include <aekit/train/optimizers/python_scalar.h>
#include <aekit/train/optimizers/torch_float_ops.h>

#include <cmath>

namespace aekit::detail {
namespace {

// The per-element update, with the options as template parameters: a run-time branch around the
// momentum buffer's store keeps the loop from vectorising (see adam.cpp).
struct SgdScalars {
  float neg_lr, wd, momentum, keep, grad_scale;
  float first;  // 1 on the first step (the buffer starts as the gradient), else 0; a bool member
                // here kept GCC from vectorising the loop
};

template <bool Decay, bool Momentum, bool Nesterov>
bool sgd_update(int64_t begin, int64_t end, float* p, const float* g, float* buf, const SgdScalars s) {
  return simd_range(begin, end, [=](int64_t i) {
    float d = g[i] * s.grad_scale;
    if constexpr (Decay) d = std::fma(s.wd, p[i], d);
    if constexpr (Momentum) {
      buf[i] = s.first != 0.0f ? d : std::fma(s.keep, d, buf[i] * s.momentum);
      d = Nesterov ? std::fma(s.momentum, buf[i], d) : buf[i];
    }
    p[i] = std::fma(s.neg_lr, d, p[i]);
    return p[i];
  });
}

using SgdKernel = bool (*)(int64_t, int64_t, float*, const float*, float*, SgdScalars);

SgdKernel pick_sgd_kernel(bool decay, bool momentum, bool nesterov) {
  static constexpr SgdKernel kernels[8] = {
      sgd_update<false, false, false>, sgd_update<false, false, true>, sgd_update<false, true, false>,
      sgd_update<false, true, true>,   sgd_update<true, false, false>, sgd_update<true, false, true>,
      sgd_update<true, true, false>,   sgd_update<true, true, true>};
  return kernels[(decay ? 4 : 0) + (momentum ? 2 : 0) + (nesterov ? 1 : 0)];
}

class Sgd final : public Optimizer {
 public:
  Sgd(const OptimizerConfig& c, std::vector<ParamRef> params)
      : Optimizer(std::move(params), c.lr),
        weight_decay_(c.weight_decay),
        momentum_(c.momentum),
        one_minus_dampening_(static_cast<float>(1.0 - python_float(c.dampening))),
        nesterov_(c.nesterov) {
    if (momentum_ != 0.0f)
      for (const ParamRef& p : params_) buffers_.emplace_back(static_cast<size_t>(p.size));
  }

  bool step(float grad_scale) override {
    const SgdScalars s{-lr_, weight_decay_, momentum_, one_minus_dampening_, grad_scale, step_ > 0 ? 0.0f : 1.0f};
    const bool use_momentum = momentum_ != 0.0f;
    const SgdKernel kernel = pick_sgd_kernel(weight_decay_ != 0.0f, use_momentum, nesterov_);
    const bool finite = for_each_param_slice(params_, balance_, [&](size_t k, int64_t begin, int64_t end) {
      return kernel(begin, end, params_[k].value, params_[k].grad, use_momentum ? buffers_[k].data() : nullptr, s);
    });
    ++step_;
    return finite;
  }
  // The first step with momentum starts the buffer from the gradient (PyTorch's rule).
  int64_t steps() const override { return step_; }
  void set_steps(int64_t steps) override { step_ = steps; }
  std::vector<OptimizerSlot> slots() override {
    std::vector<OptimizerSlot> out;
    for (size_t k = 0; k < buffers_.size(); ++k) out.push_back({"momentum_buffer." + std::to_string(k), &buffers_[k]});
    return out;
  }

 private:
  float weight_decay_, momentum_, one_minus_dampening_;
  bool nesterov_;
  int64_t step_ = 0;
  std::vector<std::vector<float>> buffers_;  // one per parameter, only with momentum
};

}  // namespace

std::unique_ptr<Optimizer> make_sgd(const OptimizerConfig& config, std::vector<ParamRef> params) {
  return std::make_unique<Sgd>(config, std::move(params));
}

}  // namespace aekit::detail
