// Every loss: value against its formula and dL/dy by finite differences.
#include "gradcheck.h"

#include <aekit/losses/loss.h>

#include <cmath>

namespace aekit::test {
namespace {

class LossGradcheck : public ::testing::TestWithParam<std::string> {};

TEST_P(LossGradcheck, MatchesFiniteDifferences) {
  auto loss = make_loss(GetParam());
  Rng rng(7);
  const bool logits = loss->takes_logits();
  // Probabilities away from 0 and 1 for bce; targets in [0, 1].
  Tensor y = logits ? random_tensor({4, 6}, rng, -3, 3) : random_tensor({4, 6}, rng, 0.05f, 0.95f);
  Tensor t = random_tensor({4, 6}, rng, 0.0f, 1.0f);
  if (GetParam() == "l1")  // keep |y - t| away from the kink
    for (int64_t i = 0; i < y.size(); ++i)
      if (std::abs(y[i] - t[i]) < 0.02f) y[i] = t[i] + 0.1f;
  Tensor grad;
  loss->compute(y.view(), t.view(), &grad);
  auto objective = [&] { return loss->compute(y.view(), t.view(), nullptr); };
  expect_gradient_matches(GetParam(), y, grad, objective, 1e-3, 2e-4, 2e-2);
}

INSTANTIATE_TEST_SUITE_P(AllLosses, LossGradcheck, ::testing::Values("mse", "bce", "bce_logits", "l1"));

TEST(LossValues, MatchTheirFormulas) {
  Tensor y({1, 2}), t({1, 2});
  y[0] = 0.25f, y[1] = 0.75f;
  t[0] = 0.0f, t[1] = 1.0f;
  EXPECT_NEAR(make_loss("mse")->compute(y.view(), t.view(), nullptr), (0.0625 + 0.0625) / 2, 1e-7);
  EXPECT_NEAR(make_loss("l1")->compute(y.view(), t.view(), nullptr), 0.25, 1e-7);
  const double bce = -(std::log(0.75) + std::log(0.75)) / 2;
  EXPECT_NEAR(make_loss("bce")->compute(y.view(), t.view(), nullptr), bce, 1e-6);
  // The logits of 0.25 and 0.75 give the same BCE.
  Tensor z({1, 2});
  z[0] = std::log(0.25f / 0.75f), z[1] = std::log(0.75f / 0.25f);
  EXPECT_NEAR(make_loss("bce_logits")->compute(z.view(), t.view(), nullptr), bce, 1e-6);
}

TEST(LossValues, BceClampsLogLikePyTorch) {
  Tensor y({1, 1}), t({1, 1});
  y[0] = 0.0f, t[0] = 1.0f;  // log(0) is clamped to -100
  EXPECT_NEAR(make_loss("bce")->compute(y.view(), t.view(), nullptr), 100.0, 1e-4);
}

TEST(LossValues, BceLogitsIsStableForLargeLogits) {
  Tensor z({1, 2}), t({1, 2});
  z[0] = 80.0f, z[1] = -80.0f;
  t[0] = 0.0f, t[1] = 1.0f;
  Tensor grad;
  const double v = make_loss("bce_logits")->compute(z.view(), t.view(), &grad);
  EXPECT_NEAR(v, 80.0, 1e-3);
  EXPECT_TRUE(std::isfinite(grad[0]) && std::isfinite(grad[1]));
}

TEST(LossValues, UnknownNameIsAnInputError) {
  EXPECT_THROW(make_loss("hinge"), InputError);
}

}  // namespace
}  // namespace aekit::test
