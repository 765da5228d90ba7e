// SGD as torch.optim.SGD's _single_tensor_sgd (1.13): coupled weight decay, momentum buffer that
// starts as a copy of the first (decayed) gradient, dampening, nesterov.
#include <aekit/train/optimizers/optimizers.h>
#include <aekit/train/optimizers/parallel.h>
#include <aekit/train/optimizers/python_scalar.h>
#include <aekit/train/optimizers/torch_float_ops.h>

#include <cmath>

namespace aekit::detail {
namespace {

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

  void step() override {
    const float neg_lr = -lr_;
    const float wd = weight_decay_, momentum = momentum_, keep = one_minus_dampening_;
    const bool use_momentum = momentum != 0.0f, first = !started_, nesterov = nesterov_;
    for (size_t k = 0; k < params_.size(); ++k) {
      float* p = params_[k].value;
      const float* g = params_[k].grad;
      float* buf = use_momentum ? buffers_[k].data() : nullptr;
      for_each_element(params_[k].size, [=](int64_t i) {
        float d = g[i];
        if (wd != 0.0f) d = std::fma(wd, p[i], d);
        if (use_momentum) {
          buf[i] = first ? d : std::fma(keep, d, buf[i] * momentum);
          d = nesterov ? std::fma(momentum, buf[i], d) : buf[i];
        }
        p[i] = std::fma(neg_lr, d, p[i]);
      });
    }
    started_ = true;
  }

 private:
  float weight_decay_, momentum_, one_minus_dampening_;
  bool nesterov_;
  bool started_ = false;
  std::vector<std::vector<float>> buffers_;  // one per parameter, only with momentum
};

}  // namespace

std::unique_ptr<Optimizer> make_sgd(const OptimizerConfig& config, std::vector<ParamRef> params) {
  return std::make_unique<Sgd>(config, std::move(params));
}

}  // namespace aekit::detail
