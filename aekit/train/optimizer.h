#pragma once
// Optimizers with PyTorch's exact semantics and defaults (torch.optim, 1.13/2.x, foreach=False,
// maximize=False), proven step for step against fixtures that scripts/make-optim-fixtures.py
// generates with PyTorch (tests/unit/optimizer_parity_test.cpp).
#include <aekit/core/part_balance.h>

#include <cstddef>
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

// One parameter's update applied by its owner a run of elements at a time, from gradient values
// it holds in cache, instead of by step() from ParamRef::grad (Optimizer::row_updates). A sparse
// backward computes each row of a weight's gradient and hands it over at once, so the gradient is
// never stored and read back through memory, and rows it never wrote need no zeros at all.
class RowUpdates {
 public:
  virtual ~RowUpdates() = default;
  // Takes over the coming step's update of the parameter: the next step() leaves it alone, and
  // that step() returns false if a value update() stored was not finite. Once per such step, before any
  // update(), from one thread; the step must come (its grad_scale 1: no clipping) before the next
  // claim. The parameter's gradient array is neither read nor written in that step.
  virtual void claim() = 0;
  // The claimed step's update of elements [first, first + count) of the parameter from their
  // gradient (`count` values), or from a zero gradient when `grad` is null: the same arithmetic
  // as step() with those gradient values, so the same bits. Every element exactly once per
  // claimed step; disjoint ranges may be updated from several threads at once.
  virtual void update(int64_t first, int64_t count, const float* grad) = 0;
  // One term of a gradient that update_sum computes: value x row[i] for the run's element i.
  struct Term {
    float value;
    const float* row;
  };
  // The same update of a run whose gradient is, element by element, sum over `terms` (at least
  // one) in order of value x row[i], the first multiply-add onto +0 (one std::fma each), computed
  // in the update's own loop: the gradient is never stored, not even in cache.
  virtual void update_sum(int64_t first, int64_t count, std::span<const Term> terms) = 0;

  // How the owner's loop over the rows splits them between threads, kept from step to step
  // (part_balance.h).
  PartBalance balance;
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
  // Parameter k's RowUpdates, or null where this optimizer has none (every one but Adam and
  // AdamW); owned by the optimizer.
  virtual RowUpdates* row_updates(size_t k) {
    (void)k;
    return nullptr;
  }
  float lr() const { return lr_; }
  void set_lr(float lr) { lr_ = lr; }  // schedules change the rate between epochs

 protected:
  explicit Optimizer(std::vector<ParamRef> params, float lr) : params_(std::move(params)), lr_(lr) {}
  std::vector<ParamRef> params_;
  float lr_;
  PartBalance balance_;  // how step()'s pass splits the elements between threads, kept from step to step
};

// InputError on an invalid value, with PyTorch's rules; lets a run check its flags before loading data.
void validate(const OptimizerConfig& config);
// Checks the configuration (InputError on an invalid value, with PyTorch's rules) and builds it.
std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& config, std::vector<ParamRef> params);

}  // namespace aekit
