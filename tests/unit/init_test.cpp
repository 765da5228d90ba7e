// Initialisations: the bounds and spreads PyTorch's init functions give.
#include <aekit/core/error.h>
#include <aekit/layers/init.h>
#include <gtest/gtest.h>

#include <cmath>

namespace aekit {
namespace {

struct Stats {
  double mean = 0, stddev = 0, max_abs = 0;
};

Stats stats_of(const Tensor& t) {
  Stats s;
  for (float v : t.span()) s.mean += v;
  s.mean /= static_cast<double>(t.size());
  for (float v : t.span()) {
    s.stddev += (v - s.mean) * (v - s.mean);
    s.max_abs = std::max(s.max_abs, static_cast<double>(std::abs(v)));
  }
  s.stddev = std::sqrt(s.stddev / static_cast<double>(t.size()));
  return s;
}

// in = 400, out = 200: 80,000 weights, so the sample spread is within ~1% of the target.
void check_init(Init init, double expected_std, double bound, bool bias_zero, float sigma = 0) {
  Tensor w({200, 400}), b({200});
  Rng rng(1);
  initialize_weights(init, sigma, w, b, rng);
  const Stats s = stats_of(w);
  EXPECT_NEAR(s.mean, 0.0, expected_std * 0.02) << init_name(init);
  EXPECT_NEAR(s.stddev, expected_std, expected_std * 0.02) << init_name(init);
  if (bound > 0) {
    EXPECT_LE(s.max_abs, bound) << init_name(init);
    EXPECT_GT(s.max_abs, bound * 0.99) << init_name(init);
  }
  const Stats bs = stats_of(b);
  if (bias_zero) EXPECT_EQ(bs.max_abs, 0.0) << init_name(init);
  else EXPECT_GT(bs.max_abs, 0.0) << init_name(init);
}

TEST(Init, PyTorchLinearDefault) {
  const double bound = 1 / std::sqrt(400.0);
  check_init(Init::PyTorch, bound / std::sqrt(3.0), bound, false);
}
TEST(Init, XavierUniform) {
  const double bound = std::sqrt(6.0 / 600);
  check_init(Init::XavierUniform, bound / std::sqrt(3.0), bound, true);
}
// Liang et al.'s code: Glorot uniform weights, biases from N(0, 0.001^2) cut at 2 deviations
// (a truncated normal's spread is 0.88 of its sigma).
TEST(Init, XavierUniformSmallBias) {
  const double bound = std::sqrt(6.0 / 600);
  check_init(Init::XavierUniformSmallBias, bound / std::sqrt(3.0), bound, false);
  Tensor w({2, 3}), b({20000});
  Rng rng(4);
  initialize_weights(Init::XavierUniformSmallBias, 0, w, b, rng);
  const Stats s = stats_of(b);
  EXPECT_LE(s.max_abs, 0.002);
  EXPECT_GT(s.max_abs, 0.0019);
  EXPECT_NEAR(s.stddev, 0.00088, 0.00003);
  EXPECT_NEAR(s.mean, 0.0, 0.00003);
  EXPECT_EQ(parse_init("xavier_uniform_small_bias"), Init::XavierUniformSmallBias);
}
TEST(Init, XavierNormal) { check_init(Init::XavierNormal, std::sqrt(2.0 / 600), 0, true); }
TEST(Init, HeUniform) {
  const double bound = std::sqrt(6.0 / 400);
  check_init(Init::HeUniform, bound / std::sqrt(3.0), bound, true);
}
TEST(Init, HeNormal) { check_init(Init::HeNormal, std::sqrt(2.0 / 400), 0, true); }
TEST(Init, NormalWithSigma) { check_init(Init::Normal, 0.1, 0, true, 0.1f); }

// Convolution weights: the fans include the receptive field, from the weight's first two
// dimensions as PyTorch's _calculate_fan_in_and_fan_out takes them, so a ConvTranspose2d weight
// (in=8, out=20, 5x5) has fan_in 20 * 25 = 500 and fan_out 8 * 25 = 200.
TEST(Init, ConvolutionFansIncludeTheReceptiveField) {
  Tensor w({8, 20, 5, 5}), b({20});
  Rng rng(2);
  initialize_weights(Init::XavierUniform, 0, w, b, rng);
  const double bound = std::sqrt(6.0 / (500 + 200));
  EXPECT_NEAR(stats_of(w).stddev, bound / std::sqrt(3.0), bound / std::sqrt(3.0) * 0.03);
  EXPECT_LE(stats_of(w).max_abs, bound);
  initialize_weights(Init::PyTorch, 0, w, b, rng);
  EXPECT_LE(stats_of(b).max_abs, 1 / std::sqrt(500.0));
  EXPECT_GT(stats_of(b).max_abs, 0.5 / std::sqrt(500.0));
}

TEST(Init, NamesAndErrors) {
  EXPECT_EQ(parse_init("glorot_uniform"), Init::XavierUniform);
  EXPECT_THROW(parse_init("orthogonal"), InputError);
  Tensor w({2, 2}), b({2});
  Rng rng(0);
  EXPECT_THROW(initialize_weights(Init::Normal, 0.0f, w, b, rng), InputError);
}

}  // namespace
}  // namespace aekit
