// The vectorisable exp against the C library's, over the whole range the activations use.
#include <aekit/backend/cpu/elementwise.h>
#include <aekit/backend/cpu/vector_math.h>
#include <aekit/core/rng.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

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

// The double exp of the multinomial loss (vexp_double) against glibc's, whose error is below
// 0.52 ulp: over the whole range of normal results, at most an ulp apart (so within about 1.5 ulp
// of the exact value), and most often the same bits.
TEST(VectorMath, DoubleExpWithinAnUlpOfLibm) {
  std::vector<double> xs;
  for (double x = -708.0; x <= 709.7; x += 0.0137) xs.push_back(x);
  Rng rng(11);
  for (int i = 0; i < 200000; ++i) xs.push_back((rng.uniform() - 0.5) * 40.0);  // where a softmax's terms lie
  for (double x : {0.0, -0.0, 1e-300, -1e-300, 0.5 * std::log(2.0), -0.5 * std::log(2.0), std::log(2.0), 709.78})
    xs.push_back(x);
  std::vector<double> ours(xs.size());
#pragma omp simd
  for (size_t i = 0; i < xs.size(); ++i) ours[i] = cpu::vexp_double(xs[i]);
  int64_t same = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const double libm = std::exp(xs[i]);
    const int64_t apart = std::bit_cast<int64_t>(ours[i]) - std::bit_cast<int64_t>(libm);
    ASSERT_LE(std::abs(apart), 1) << "exp(" << xs[i] << ") = " << ours[i] << ", libm " << libm;
    same += apart == 0;
  }
  EXPECT_GT(same, static_cast<int64_t>(xs.size()) * 9 / 10);
  EXPECT_EQ(cpu::vexp_double(0.0), 1.0);
}

TEST(VectorMath, DoubleExpOverflowsUnderflowsAndPropagatesNanAsLibmDoes) {
  const double inf = std::numeric_limits<double>::infinity();
  for (double x : {709.79, 710.0, 1e6, inf}) EXPECT_EQ(cpu::vexp_double(x), inf) << x;
  for (double x : {-745.2, -746.0, -1e6, -inf}) EXPECT_EQ(cpu::vexp_double(x), 0.0) << x;
  // Subnormal results: within an ulp of the smallest numbers' spacing.
  for (double x = -744.9; x < -708.5; x += 0.37)
    EXPECT_NEAR(cpu::vexp_double(x), std::exp(x), 2 * std::numeric_limits<double>::denorm_min() + std::exp(x) * 1e-15) << x;
  EXPECT_TRUE(std::isnan(cpu::vexp_double(std::numeric_limits<double>::quiet_NaN())));
}

// The clamp vexp had before its blend (vector_math.h says why it changed).
float clamp_by_conditionals(float x, float lo, float hi) {
  x = x > hi ? hi : x;
  return x < lo ? lo : x;
}

TEST(VectorMath, TheBlendedClampEqualsTheConditionalOneBitForBit) {
  const float lo = -87.33654f, hi = 88.37626f;
  // Every 97th bit pattern (both signs, zeros, denormals, infinities, NaNs among them) and the
  // bounds' neighbours.
  std::vector<float> xs = {lo, hi, std::nextafter(lo, 0.0f), std::nextafter(lo, -1e9f), std::nextafter(hi, 0.0f),
                           std::nextafter(hi, 1e9f), 0.0f, -0.0f, std::numeric_limits<float>::infinity(),
                           -std::numeric_limits<float>::infinity()};
  for (uint64_t u = 0; u < (uint64_t{1} << 32); u += 97) xs.push_back(std::bit_cast<float>(static_cast<uint32_t>(u)));
  int64_t mismatches = 0;
  for (const float x : xs) {
    const float a = cpu::clamp_by_blend(x, lo, hi), b = clamp_by_conditionals(x, lo, hi);
    mismatches += std::bit_cast<uint32_t>(a) != std::bit_cast<uint32_t>(b);
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_TRUE(std::isnan(cpu::vexp(std::numeric_limits<float>::quiet_NaN())));
  EXPECT_TRUE(std::isnan(cpu::vsigmoid(std::numeric_limits<float>::quiet_NaN())));
}

// The vectorised sigmoid pass (cpu::bias_activation) gives vsigmoid's value for every element
// within an ulp, bias added first, across the clamps and at odd widths (the vector loop's
// remainder). Not bit for bit: g++ contracts the polynomial's multiply-adds into fmas per
// context (-ffp-contract=fast), and the vector loop and a scalar call contract a few differently.
TEST(VectorMath, TheSigmoidPassEqualsVsigmoidElementByElement) {
  const int64_t rows = 7, cols = 53;
  std::vector<float> y(static_cast<size_t>(rows * cols)), bias(static_cast<size_t>(cols)), expected(y.size());
  for (int64_t c = 0; c < cols; ++c) bias[static_cast<size_t>(c)] = 0.37f * static_cast<float>(c % 5) - 0.5f;
  for (size_t i = 0; i < y.size(); ++i) {
    y[i] = (static_cast<float>(i) - 185.0f) * 0.61f;  // -113 .. 112: both clamps reached
    expected[i] = cpu::vsigmoid(y[i] + bias[i % static_cast<size_t>(cols)]);
  }
  cpu::bias_activation(MatrixView{y.data(), rows, cols}, bias.data(), Activation::Sigmoid);
  int64_t differing = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    const auto a = static_cast<int64_t>(std::bit_cast<uint32_t>(y[i])), b = static_cast<int64_t>(std::bit_cast<uint32_t>(expected[i]));
    ASSERT_LE(std::abs(a - b), 1) << "element " << i << ": " << y[i] << " against " << expected[i];
    differing += a != b;
  }
  EXPECT_LT(differing, static_cast<int64_t>(y.size()) / 10);
}

// The same for the activations whose conditional arm computes (select_by_blend, vector_math.h):
// each pass against the conditional written out, forward within an ulp (vexp's contraction, as
// above), backward bit for bit (the same operations either way).
TEST(VectorMath, BlendedActivationPassesEqualTheirConditionals) {
  struct Case {
    Activation act;
    float (*forward)(float);
    float (*derivative)(float);
  };
  const Case cases[] = {
      {Activation::LeakyRelu, [](float z) { return z > 0.0f ? z : kLeakySlope * z; },
       [](float v) { return v > 0.0f ? 1.0f : kLeakySlope; }},
      {Activation::Elu, [](float z) { return z > 0.0f ? z : kEluAlpha * (cpu::vexp(z) - 1.0f); },
       [](float v) { return v > 0.0f ? 1.0f : v + kEluAlpha; }},
      {Activation::Selu, [](float z) { return kSeluScale * (z > 0.0f ? z : kSeluAlpha * (cpu::vexp(z) - 1.0f)); },
       [](float v) { return v > 0.0f ? kSeluScale : v + kSeluScale * kSeluAlpha; }},
  };
  const int64_t rows = 3, cols = 37;
  for (const Case& c : cases) {
    std::vector<float> y(static_cast<size_t>(rows * cols)), expected(y.size()), dy(y.size()), dz(y.size());
    for (size_t i = 0; i < y.size(); ++i) {
      y[i] = (static_cast<float>(i) - 55.0f) * 0.173f;  // both signs, down to e^-9.5
      expected[i] = c.forward(y[i]);
      dy[i] = 0.5f + 0.01f * static_cast<float>(i % 7);
    }
    cpu::bias_activation(MatrixView{y.data(), rows, cols}, nullptr, c.act);
    for (size_t i = 0; i < y.size(); ++i) {
      const auto a = static_cast<int64_t>(std::bit_cast<uint32_t>(y[i]));
      const auto b = static_cast<int64_t>(std::bit_cast<uint32_t>(expected[i]));
      ASSERT_LE(std::abs(a - b), 1) << static_cast<int>(c.act) << " element " << i;
    }
    cpu::activation_backward(ConstMatrixView(y.data(), rows, cols), ConstMatrixView(dy.data(), rows, cols),
                             MatrixView{dz.data(), rows, cols}, c.act);
    for (size_t i = 0; i < y.size(); ++i) ASSERT_EQ(dz[i], dy[i] * c.derivative(y[i])) << static_cast<int>(c.act) << " " << i;
  }
}

}  // namespace
}  // namespace aekit
