#pragma once
// Optimizers with PyTorch's exact semantics and defaults (torch.optim, 1.13/2.x, foreach=False,
// maximize=False), proven step for step against fixtures that scripts/make-optim-fixtures.py
// generates with PyTorch (tests/unit/optimizer_parity_test.cpp).
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace aekit {

// A parameter as an optimizer sees it: a flat array and its gradient, both `size` floats.
struct ParamRef {
  float* value;
  const float* grad;
  int64_t size;
};

// Every hyper-parameter any optimizer takes. `defaults_for(name)` gives PyTorch's defaults.
struct OptimizerConfig {
  std::string name = "adam";  // sgd, rmsprop, adam, adamw, adagrad
  float lr = 1e-3f;
  float weight_decay = 0.0f;  // coupled (added to the gradient) except in adamw (decoupled)
  // sgd
  float momentum = 0.0f;
  float dampening = 0.0f;
  bool nesterov = false;
  // adam, adamw
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  bool amsgrad = false;
  // rmsprop
  float alpha = 0.99f;
  bool centered = false;
  // adagrad
  float lr_decay = 0.0f;
  float initial_accumulator_value = 0.0f;
  // rmsprop, adam, adamw, adagrad
  float eps = 1e-8f;

  static OptimizerConfig defaults_for(const std::string& name);  // throws InputError if unknown
};

// One array of an optimizer's state (Adam's exp_avg of parameter 2: "exp_avg.2"), for checkpoints.
struct OptimizerSlot {
  std::string name;
  std::vector<float>* values;
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // Applies one update to every parameter from its current gradient times `grad_scale` (the
  // trainer's clipping coefficient, exactly as if the gradient had been scaled in place first)
  // and returns whether every parameter value after the update is finite: the scaling and the
  // trainer's checks ride in the update's one pass over the parameters.
  virtual bool step(float grad_scale) = 0;
  bool step() { return step(1.0f); }
  // Its whole state, so that a checkpoint can save it and a resumed run continue exactly: the
  // updates applied so far (bias corrections, SGD's first momentum step, Adagrad's decay) and
  // every state array, named.
  virtual int64_t steps() const = 0;
  virtual void set_steps(int64_t steps) = 0;
  virtual std::vector<OptimizerSlot> slots() = 0;
  float lr() const { return lr_; }
  void set_lr(float lr) { lr_ = lr; }  // schedules change the rate between epochs

 protected:
  explicit Optimizer(std::vector<ParamRef> params, float lr) : params_(std::move(params)), lr_(lr) {}
  std::vector<ParamRef> params_;
  float lr_;
};

// InputError on an invalid value, with PyTorch's rules; lets a run check its flags before loading data.
void validate(const OptimizerConfig& config);
// Checks the configuration (InputError on an invalid value, with PyTorch's rules) and builds it.
std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& config, std::vector<ParamRef> params);

}  // namespace aekit
