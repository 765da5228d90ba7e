// Optimizer::step(grad_scale) folds two of the trainer's passes over the parameters into the
// update: clipping (the gradient times the clip coefficient) and the check that the weights are
// still finite. The first must give the same bits as scaling the gradients in place before a plain
// step (what clip_grad_norm_ then optimizer.step() do in PyTorch); the second must see a
// non-finite value wherever it lands, for any thread count.
#include <aekit/core/threads.h>
#include <aekit/train/clip.h>
#include <aekit/train/optimizer.h>

#include <gtest/gtest.h>

#include "random_params.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace aekit {
namespace {

// Every optimizer, each with the options that change its kernel (decay, momentum, centring, ...).
std::vector<OptimizerConfig> every_kernel() {
  std::vector<OptimizerConfig> out;
  for (const std::string name : {"sgd", "rmsprop", "adam", "adamw", "adagrad"}) {
    for (int variant = 0; variant < 2; ++variant) {
      OptimizerConfig c = OptimizerConfig::defaults_for(name);
      if (variant == 1) {
        c.weight_decay = 0.5f;
        c.momentum = name == "sgd" || name == "rmsprop" ? 0.9f : 0.0f;
        c.centered = name == "rmsprop";
        c.amsgrad = name == "adam" || name == "adamw";
      }
      out.push_back(c);
    }
  }
  return out;
}

using Params = RandomParams;

bool fused_same_bits(const std::vector<std::vector<float>>& a, const std::vector<std::vector<float>>& b) {
  for (size_t k = 0; k < a.size(); ++k)
    if (std::memcmp(a[k].data(), b[k].data(), a[k].size() * sizeof(float)) != 0) return false;
  return true;
}

// Sizes on both sides of the parallel threshold, and a small model's worth.
const std::vector<int64_t> kSizes{100'003, 17, 40'000, 5};

TEST(OptimFused, ClipScaleInTheStepEqualsScalingTheGradientsFirst) {
  const int before = num_threads();
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    for (const OptimizerConfig& config : every_kernel()) {
      Params in_place(kSizes), fused(kSizes);
      auto a = make_optimizer(config, in_place.refs);
      auto b = make_optimizer(config, fused.refs);
      // Clipping that bites, that does not, and that bites hard.
      for (const float max_norm : {50.0f, 1e9f, 0.5f, 200.0f}) {
        const int step = static_cast<int>(max_norm);
        in_place.draw_gradients(step);
        fused.draw_gradients(step);
        const float norm = global_grad_norm(in_place.grad_spans());
        scale_to_max_norm(in_place.grad_spans(), norm, max_norm);
        EXPECT_TRUE(a->step());
        EXPECT_TRUE(b->step(clip_coefficient(norm, max_norm)));
      }
      EXPECT_TRUE(fused_same_bits(in_place.values, fused.values)) << config.name << " at " << threads << " threads";
      const auto slots_a = a->slots(), slots_b = b->slots();
      ASSERT_EQ(slots_a.size(), slots_b.size());
      for (size_t s = 0; s < slots_a.size(); ++s)
        EXPECT_EQ(*slots_a[s].values, *slots_b[s].values) << config.name << " " << slots_a[s].name;
    }
  }
  set_num_threads(before);
}

TEST(OptimFused, ClipCoefficientIsOneWithinTheNorm) {
  EXPECT_EQ(clip_coefficient(1.0f, 5.0f), 1.0f);
  EXPECT_EQ(clip_coefficient(10.0f, 5.0f), 5.0f / (10.0f + 1e-6f));
}

// A step reports whether every weight after it is finite: a non-finite value anywhere (first,
// last, middle element; small or large parameter) is seen at any thread count.
TEST(OptimFused, StepReportsANonFiniteWeightWhereverItIs) {
  const int before = num_threads();
  const float bad_values[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                              -std::numeric_limits<float>::infinity()};
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    for (const OptimizerConfig& config : every_kernel()) {
      for (size_t k = 0; k < kSizes.size(); ++k) {
        for (const int64_t at : {int64_t{0}, kSizes[k] / 2, kSizes[k] - 1}) {
          for (const float bad : bad_values) {
            Params run(kSizes);
            auto optimizer = make_optimizer(config, run.refs);
            run.draw_gradients(1);
            ASSERT_TRUE(optimizer->step()) << config.name;
            run.values[k][static_cast<size_t>(at)] = bad;  // a weight gone bad (the gradient stays finite)
            run.draw_gradients(2);
            EXPECT_FALSE(optimizer->step()) << config.name << " parameter " << k << " element " << at;
          }
        }
      }
    }
  }
  set_num_threads(before);
}

// An update that overflows reports it too (huge gradients with plain SGD and a large rate).
TEST(OptimFused, StepReportsAnOverflowingUpdate) {
  Params run({1000});
  OptimizerConfig config = OptimizerConfig::defaults_for("sgd");
  config.lr = 1e30f;
  auto optimizer = make_optimizer(config, run.refs);
  run.grads[0][999] = 1e30f;
  EXPECT_FALSE(optimizer->step());
  EXPECT_TRUE(std::isinf(run.values[0][999]));
}

}  // namespace
}  // namespace aekit
