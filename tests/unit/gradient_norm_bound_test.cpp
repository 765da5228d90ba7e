// gradient_norm_bounded (train/gradient_norm_bound.h): true only when global_grad_norm is
// certainly finite, whatever the tensors' sizes and wherever a NaN or an infinity sits.
#include <aekit/core/rng.h>
#include <aekit/core/threads.h>
#include <aekit/train/clip.h>
#include <aekit/train/gradient_norm_bound.h>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace aekit {
namespace {

std::vector<std::vector<float>> random_gradients(std::vector<size_t> sizes, float scale) {
  Rng rng(11);
  std::vector<std::vector<float>> grads;
  for (size_t n : sizes) {
    grads.emplace_back(n);
    for (float& v : grads.back()) v = scale * rng.uniform(-1.0f, 1.0f);
  }
  return grads;
}

std::vector<std::span<float>> spans_of(std::vector<std::vector<float>>& grads) {
  return {grads.begin(), grads.end()};
}

TEST(GradientNormBound, VouchesForOrdinaryGradientsOfAnySize) {
  auto grads = random_gradients({0, 1, 31, 32, 33, 1000, 100003}, 10.0f);
  EXPECT_TRUE(gradient_norm_bounded(spans_of(grads)));
  std::vector<std::span<float>> none;
  EXPECT_TRUE(gradient_norm_bounded(none));
}

// A NaN or an infinity in any tensor, at a lane's place or in a tail, is never vouched for; nor
// in the shared scan above a million values, at every thread count.
TEST(GradientNormBound, NeverVouchesForANaNOrAnInfinityAnywhere) {
  const int before = num_threads();
  for (int threads : {1, 2, 3}) {
    set_num_threads(threads);
    for (size_t big : {size_t{1000}, size_t{1} << 21})
      for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                        -std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::quiet_NaN()}) {
        auto grads = random_gradients({7, big, 45}, 1.0f);
        for (size_t t = 0; t < grads.size(); ++t)
          for (size_t at : {size_t{0}, grads[t].size() / 2 + 1, grads[t].size() - 1}) {
            const float kept = grads[t][at];
            grads[t][at] = bad;
            EXPECT_FALSE(gradient_norm_bounded(spans_of(grads))) << threads << " threads, tensor " << t << " at " << at;
            grads[t][at] = kept;
          }
        EXPECT_TRUE(gradient_norm_bounded(spans_of(grads)));
      }
  }
  set_num_threads(before);
}

// Near FLT_MAX the bound is conservative: whenever it vouches the norm is finite, and magnitudes
// whose norm overflows are never vouched for.
TEST(GradientNormBound, VouchesOnlyForNormsThatStayFinite) {
  for (double magnitude = 1e36; magnitude < 3.4e38; magnitude *= 1.07) {
    for (size_t n : {size_t{1}, size_t{2}, size_t{40}, size_t{5000}}) {
      std::vector<std::vector<float>> grads = {std::vector<float>(n, -static_cast<float>(magnitude))};
      const bool vouched = gradient_norm_bounded(spans_of(grads));
      const bool finite = std::isfinite(global_grad_norm(spans_of(grads)));
      EXPECT_TRUE(finite || !vouched) << "vouched for an infinite norm: " << magnitude << " x " << n;
    }
  }
  std::vector<std::vector<float>> huge = {{3e38f, 3e38f}};
  EXPECT_FALSE(std::isfinite(global_grad_norm(spans_of(huge))));
  EXPECT_FALSE(gradient_norm_bounded(spans_of(huge)));
}

}  // namespace
}  // namespace aekit
