// bf16 products (--precision bf16): the rounding to bf16, a dense layer's forward and backward
// against fp32 within bf16's precision, and refusal on CPUs without AVX512_BF16.
#include <aekit/backend/cpu/bf16.h>
#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/layers/dense.h>

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

namespace aekit {
namespace {

uint16_t bf16_of(float v) {
  cpu::bf16 out;
  cpu::to_bf16(&v, &out, 1);
  return out;
}

TEST(Bf16, RoundsToNearestEven) {
  EXPECT_EQ(bf16_of(1.0f), 0x3F80);
  EXPECT_EQ(bf16_of(-2.0f), 0xC000);
  EXPECT_EQ(bf16_of(0.0f), 0x0000);
  // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: ties go to the even significand (1).
  EXPECT_EQ(bf16_of(1.0f + 0x1p-8f), 0x3F80);
  // 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even): up.
  EXPECT_EQ(bf16_of(1.0f + 3 * 0x1p-8f), 0x3F82);
  // Just above a tie rounds up.
  EXPECT_EQ(bf16_of(std::nextafter(1.0f + 0x1p-8f, 2.0f)), 0x3F81);
  // A large array (the parallel path) gives the same as one at a time.
  std::vector<float> x(300'000);
  Rng rng(3);
  for (float& v : x) v = static_cast<float>(rng.uniform() * 8.0 - 4.0);
  std::vector<cpu::bf16> all(x.size());
  cpu::to_bf16(x.data(), all.data(), static_cast<int64_t>(x.size()));
  for (size_t i = 0; i < x.size(); i += 997) ASSERT_EQ(all[i], bf16_of(x[i])) << i;
}

// Relative error of `got` against `want` in the max norm.
double max_relative_error(const Tensor& got, const Tensor& want) {
  double err = 0, scale = 0;
  for (int64_t i = 0; i < want.size(); ++i) {
    err = std::max(err, static_cast<double>(std::fabs(got[i] - want[i])));
    scale = std::max(scale, static_cast<double>(std::fabs(want[i])));
  }
  return err / scale;
}

TEST(Bf16, DenseMatchesFp32WithinBf16Precision) {
  if (!cpu::bf16_supported()) GTEST_SKIP() << "no AVX512_BF16 on this CPU (refusal is tested in the train job test)";
  Rng rng(11);
  Dense fp32(300, 70, Activation::Sigmoid), bf16(300, 70, Activation::Sigmoid);
  for (Tensor* t : {&fp32.weight(), &fp32.bias()})
    for (float& v : t->span()) v = static_cast<float>(rng.uniform() * 0.2 - 0.1);
  bf16.weight() = fp32.weight();
  bf16.bias() = fp32.bias();
  bf16.set_precision(Precision::Bf16);
  Tensor x({50, 300}), dy({50, 70});
  for (float& v : x.span()) v = static_cast<float>(rng.uniform());
  for (float& v : dy.span()) v = static_cast<float>(rng.uniform() - 0.5);
  Tensor y32, y16, dx32, dx16;
  fp32.forward(x.view(), y32, Mode::Train);
  bf16.forward(x.view(), y16, Mode::Train);
  fp32.backward(dy.view(), &dx32);
  bf16.backward(dy.view(), &dx16);
  // bf16 keeps 8 significant bits (relative rounding 2^-9 ~ 0.2%); sums of 50-300 products with
  // fp32 accumulation stay within a few times that. Far from it means a wrong layout or operand.
  EXPECT_LT(max_relative_error(y16, y32), 0.01);
  EXPECT_LT(max_relative_error(dx16, dx32), 0.02);
  EXPECT_LT(max_relative_error(*bf16.params()[0].grad, *fp32.params()[0].grad), 0.02);
  // The bias gradient is fp32 work, on an output y that bf16 moved slightly.
  EXPECT_LT(max_relative_error(*bf16.params()[1].grad, *fp32.params()[1].grad), 0.01);
  EXPECT_GT(max_relative_error(y16, y32), 0.0) << "bf16 path not taken";
}

}  // namespace
}  // namespace aekit
