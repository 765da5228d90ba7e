// The vectorisable exp against the C library's, over the whole range the activations use.
#include <aekit/backend/cpu/vector_math.h>
#include <gtest/gtest.h>

#include <cmath>

namespace aekit {
namespace {

TEST(VectorMath, ExpWithinThreeUlpOfLibm) {
  double worst = 0;
  for (float x = -87.0f; x <= 88.0f; x += 0.001953125f) {
    const double exact = std::exp(static_cast<double>(x));
    const double rel = std::abs(cpu::vexp(x) - exact) / exact;
    worst = std::max(worst, rel);
  }
  EXPECT_LT(worst, 3 * 5.96e-8) << "worst relative error " << worst;
}

TEST(VectorMath, ExpSaturatesInsteadOfOverflowingTheBitTrick) {
  EXPECT_GT(cpu::vexp(200.0f), 1e38f);
  EXPECT_TRUE(std::isfinite(cpu::vexp(200.0f)));
  EXPECT_LT(cpu::vexp(-200.0f), 1e-37f);
  EXPECT_GE(cpu::vexp(-200.0f), 0.0f);
  EXPECT_FLOAT_EQ(cpu::vsigmoid(0.0f), 0.5f);
  EXPECT_EQ(cpu::vsigmoid(-100.0f) >= 0.0f && cpu::vsigmoid(100.0f) <= 1.0f, true);
}

}  // namespace
}  // namespace aekit
