// Adam and AdamW as torch.optim's _single_tensor_adam / _single_tensor_adamw (1.13). They differ
// only in weight decay: Adam adds weight_decay * p to the gradient (coupled), AdamW first shrinks
// the parameter by (1 - lr * weight_decay) (decoupled). Bias corrections are Python floats in
// PyTorch, so they are computed in double here and cast where PyTorch casts them.
#include <aekit/train/optimizers/optimizers.h>
#include <aekit/train/optimizers/parallel.h>
#include <aekit/train/optimizers/python_scalar.h>
#include <aekit/train/optimizers/torch_float_ops.h>

#include <aekit/core/error.h>

#include <algorithm>
#include <atomic>
#include <vector>
#include <cmath>

namespace aekit::detail {
namespace {

// The per-element update. The options are template parameters so that every branch is decided
// at compile time: with a run-time `if` guarding a store the compiler cannot vectorise the loop,
// and the scalar loop made the Adam step 89% of a batch-size-1 epoch (perf).
struct AdamScalars {
  float beta1, beta2, blend1, blend2, eps, neg_step_size, bias_correction2_sqrt, coupled_wd, shrink, grad_scale;
};

// The update of elements [begin, end) whose gradient grad_at(i) gives (a stored array, or a sum
// computed in the loop itself): one definition of the arithmetic for both, so the same bits.
template <bool Coupled, bool Decoupled, bool Amsgrad, typename Gradient>
bool adam_loop(int64_t begin, int64_t end, float* p, Gradient grad_at, float* m, float* v, float* v_max,
               const AdamScalars s) {
  // Each array is read once and written once through locals: stored in place step by step, the
  // compiler stored the shrunk parameter and read it (and m, v) back, as one of p, m, v may alias
  // another for all it knows (13% of the step's time at 671K parameters, one thread).
  return simd_range(begin, end, [=](int64_t i) {
    float grad = grad_at(i) * s.grad_scale;
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

template <bool Coupled, bool Decoupled, bool Amsgrad>
bool adam_update(int64_t begin, int64_t end, float* p, const float* g, float* m, float* v, float* v_max,
                 const AdamScalars s) {
  return adam_loop<Coupled, Decoupled, Amsgrad>(begin, end, p, [g](int64_t i) { return g[i]; }, m, v, v_max, s);
}

using AdamKernel = bool (*)(int64_t, int64_t, float*, const float*, float*, float*, float*, AdamScalars);

AdamKernel pick_adam_kernel(bool coupled, bool decoupled, bool amsgrad) {
  static constexpr AdamKernel kernels[8] = {
      adam_update<false, false, false>, adam_update<false, false, true>, adam_update<false, true, false>,
      adam_update<false, true, true>,   adam_update<true, false, false>, adam_update<true, false, true>,
      adam_update<true, true, false>,   adam_update<true, true, true>};
  return kernels[(coupled ? 4 : 0) + (decoupled ? 2 : 0) + (amsgrad ? 1 : 0)];
}

// RowUpdates::update_sum's kernel for Terms terms (a compile-time count, so that the sum unrolls
// and the loop over elements is one vector loop; a run-time count left it scalar): the gradient
// of element i is sum over the terms, in order, of value x row[i], the first onto +0, computed in
// the update's own loop. The divisions and square root keep the update compute-bound, so the
// gradient's loads and multiply-adds ride along in its shadow.
template <bool Coupled, bool Decoupled, bool Amsgrad, int Terms>
bool adam_update_sum(int64_t count, float* p, const RowUpdates::Term* terms, float* m, float* v, float* v_max,
                     const AdamScalars s) {
  float value[Terms];
  const float* row[Terms];
  for (int k = 0; k < Terms; ++k) {
    value[k] = terms[k].value;
    row[k] = terms[k].row;
  }
  const auto grad_at = [=](int64_t i) {
    float g = std::fma(value[0], row[0][i], 0.0f);
    for (int k = 1; k < Terms; ++k) g = std::fma(value[k], row[k][i], g);
    return g;
  };
  return adam_loop<Coupled, Decoupled, Amsgrad>(0, count, p, grad_at, m, v, v_max, s);
}

// Up to this many terms update_sum computes the gradient in the update's loop; beyond, in a
// buffer first. At I-AutoRec b64 ~28 of the first layer's ~300 rows a step that a batch reaches
// have more than four entries, ~7 more than eight (movielens-small): at four, their buffered sums
// were ~2% of a run (perf); the loop's extra loads and multiply-adds up to eight still ride in
// the shadow of its divisions.
constexpr int kMaxInlineTerms = 8;

using AdamSumKernel = bool (*)(int64_t, float*, const RowUpdates::Term*, float*, float*, float*, AdamScalars);

template <bool Coupled, bool Decoupled, bool Amsgrad>
AdamSumKernel pick_sum_count(size_t terms) {
  switch (terms) {
    case 1: return adam_update_sum<Coupled, Decoupled, Amsgrad, 1>;
    case 2: return adam_update_sum<Coupled, Decoupled, Amsgrad, 2>;
    case 3: return adam_update_sum<Coupled, Decoupled, Amsgrad, 3>;
    case 4: return adam_update_sum<Coupled, Decoupled, Amsgrad, 4>;
    case 5: return adam_update_sum<Coupled, Decoupled, Amsgrad, 5>;
    case 6: return adam_update_sum<Coupled, Decoupled, Amsgrad, 6>;
    case 7: return adam_update_sum<Coupled, Decoupled, Amsgrad, 7>;
    default: return adam_update_sum<Coupled, Decoupled, Amsgrad, 8>;
  }
}

AdamSumKernel pick_adam_sum_kernel(bool coupled, bool decoupled, bool amsgrad, size_t terms) {
  using Pick = AdamSumKernel (*)(size_t);
  static constexpr Pick picks[8] = {
      pick_sum_count<false, false, false>, pick_sum_count<false, false, true>, pick_sum_count<false, true, false>,
      pick_sum_count<false, true, true>,   pick_sum_count<true, false, false>, pick_sum_count<true, false, true>,
      pick_sum_count<true, true, false>,   pick_sum_count<true, true, true>};
  return picks[(coupled ? 4 : 0) + (decoupled ? 2 : 0) + (amsgrad ? 1 : 0)](terms);
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
    const AdamScalars s = scalars(step_, grad_scale);
    const AdamKernel kernel = kernel_for(s);
    const auto update = [&](size_t k, int64_t begin, int64_t end) {
      return kernel(begin, end, params_[k].value, params_[k].grad, exp_avg_[k].data(), exp_avg_sq_[k].data(),
                    amsgrad_ ? max_exp_avg_sq_[k].data() : nullptr, s);
    };
    if (claimed_ == 0) return for_each_param_slice(params_, balance_, update);
    // The parameters no RowUpdates claimed, in one pass; the claimed ones were updated by their owner.
    AEKIT_ASSERT(grad_scale == 1.0f, "a claimed Adam step with gradient scale ", grad_scale);
    rest_.clear();
    rest_index_.clear();
    for (size_t k = 0; k < params_.size(); ++k) {
      if (rows_[k] && rows_[k]->claimed) {
        rows_[k]->claimed = false;
        continue;
      }
      rest_.push_back(params_[k]);
      rest_index_.push_back(k);
    }
    claimed_ = 0;
    const bool claimed_finite = !claimed_non_finite_.exchange(false, std::memory_order_relaxed);
    return for_each_param_slice(rest_, balance_, [&](size_t r, int64_t begin, int64_t end) { return update(rest_index_[r], begin, end); }) &&
           claimed_finite;
  }

  RowUpdates* row_updates(size_t k) override {
    AEKIT_ASSERT(k < params_.size(), "row_updates of parameter ", k, " of ", params_.size());
    if (!rows_[k]) rows_[k] = std::make_unique<Rows>(*this, k);
    return rows_[k].get();
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

  // The scalars of update number `step` (PyTorch computes them per step, in double where it uses
  // Python floats), for the gradient scaled by grad_scale.
  AdamScalars scalars(int64_t step, float grad_scale) const {
    const double lr = python_float(lr_);
    const double bias_correction1 = 1.0 - std::pow(beta1_, static_cast<double>(step));
    const double bias_correction2 = 1.0 - std::pow(beta2_, static_cast<double>(step));
    AdamScalars s{};
    s.beta1 = static_cast<float>(beta1_);
    s.beta2 = static_cast<float>(beta2_);
    s.blend1 = static_cast<float>(1.0 - beta1_);
    s.blend2 = static_cast<float>(1.0 - beta2_);
    s.eps = eps_;
    s.neg_step_size = static_cast<float>(-(lr / bias_correction1));
    s.bias_correction2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
    s.coupled_wd = decoupled_ ? 0.0f : weight_decay_;
    s.shrink = static_cast<float>(decoupled_ ? 1.0 - lr * python_float(weight_decay_) : 1.0);
    s.grad_scale = grad_scale;
    return s;
  }
  // PyTorch adds the coupled decay only when weight_decay != 0; AdamW always shrinks.
  AdamKernel kernel_for(const AdamScalars& s) const {
    return pick_adam_kernel(s.coupled_wd != 0.0f, decoupled_, amsgrad_);
  }

  // RowUpdates of one parameter: the step's kernel on the runs its owner hands over. A null
  // gradient reads a block of zeros that stays in L1 (the same compiled kernel, so the same bits
  // as step() on a zeroed gradient; the gradient arrays step() read were +0 there too).
  struct Rows final : RowUpdates {
    Rows(Adam& adam, size_t k) : adam(adam), k(k) {}
    void claim() override {
      AEKIT_ASSERT(!claimed, "Adam: a parameter claimed twice without a step between");
      claimed = true;
      ++adam.claimed_;
      s = adam.scalars(adam.step_ + 1, 1.0f);  // the step the next step() completes
      kernel = adam.kernel_for(s);
    }
    void update_sum(int64_t first, int64_t count, std::span<const Term> terms) override {
      AEKIT_ASSERT(claimed && !terms.empty(), "Adam: update_sum() not claimed, or of no terms");
      if (terms.size() > static_cast<size_t>(kMaxInlineTerms)) {
        // The same multiply-adds in the same order, into a buffer the update then reads.
        thread_local std::vector<float> g;
        g.resize(static_cast<size_t>(count));
        for (int64_t i = 0; i < count; ++i) g[static_cast<size_t>(i)] = std::fma(terms[0].value, terms[0].row[i], 0.0f);
        for (size_t t = 1; t < terms.size(); ++t)
          for (int64_t i = 0; i < count; ++i)
            g[static_cast<size_t>(i)] = std::fma(terms[t].value, terms[t].row[i], g[static_cast<size_t>(i)]);
        return update(first, count, g.data());
      }
      const AdamSumKernel kernel_n = pick_adam_sum_kernel(s.coupled_wd != 0.0f, adam.decoupled_, adam.amsgrad_, terms.size());
      const bool finite = kernel_n(count, adam.params_[k].value + first, terms.data(), adam.exp_avg_[k].data() + first,
                                   adam.exp_avg_sq_[k].data() + first,
                                   adam.amsgrad_ ? adam.max_exp_avg_sq_[k].data() + first : nullptr, s);
      if (!finite) adam.claimed_non_finite_.store(true, std::memory_order_relaxed);
    }
    void update(int64_t first, int64_t count, const float* grad) override {
      AEKIT_ASSERT(claimed, "Adam: update() of a parameter not claimed for this step");
      float* p = adam.params_[k].value + first;
      float* m = adam.exp_avg_[k].data() + first;
      float* v = adam.exp_avg_sq_[k].data() + first;
      float* v_max = adam.amsgrad_ ? adam.max_exp_avg_sq_[k].data() + first : nullptr;
      bool finite = true;
      if (grad != nullptr) {
        finite = kernel(0, count, p, grad, m, v, v_max, s);
      } else {
        alignas(64) static constexpr float kZeros[kZeroRun] = {};
        for (int64_t at = 0; at < count; at += kZeroRun) {
          const int64_t n = std::min(kZeroRun, count - at);
          finite &= kernel(0, n, p + at, kZeros, m + at, v + at, v_max ? v_max + at : nullptr, s);
        }
      }
      if (!finite) adam.claimed_non_finite_.store(true, std::memory_order_relaxed);
    }
    static constexpr int64_t kZeroRun = 1024;
    Adam& adam;
    size_t k;
    bool claimed = false;
    AdamScalars s{};
    AdamKernel kernel = nullptr;
  };
  std::vector<std::unique_ptr<Rows>> rows_ = std::vector<std::unique_ptr<Rows>>(params_.size());
  // A claimed step's unclaimed parameters and their indices: members, so a step allocates nothing.
  std::vector<ParamRef> rest_;
  std::vector<size_t> rest_index_;
  int claimed_ = 0;  // parameters claimed for the coming step
  std::atomic<bool> claimed_non_finite_{false};
};

}  // namespace

std::unique_ptr<Optimizer> make_adam(const OptimizerConfig& config, std::vector<ParamRef> params) {
  return std::make_unique<Adam>(config, std::move(params));
}

}  // namespace aekit::detail
