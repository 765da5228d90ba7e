// Tensor storage, the seeded RNG and the GEMM against a naive product.
#include <aekit/backend/cpu/elementwise.h>
#include <aekit/backend/cpu/gemm.h>
#include <aekit/core/rng.h>
#include <aekit/core/tensor.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace aekit {
namespace {

TEST(Tensor, ZeroFilledAlignedAndRowMajor) {
  Tensor t({3, 4});
  EXPECT_EQ(t.rows(), 3);
  EXPECT_EQ(t.cols(), 4);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data()) % 64, 0u);
  for (float v : t.span()) EXPECT_EQ(v, 0.0f);
  t[1 * 4 + 2] = 5.0f;
  EXPECT_EQ(t.row(1)[2], 5.0f);
  Tensor copy = t;
  copy[0] = 1.0f;
  EXPECT_EQ(t[0], 0.0f);
  EXPECT_EQ(shape_string(t.shape()), "[3, 4]");
}

TEST(Tensor, ResizeKeepsAllocationWhenItFits) {
  Tensor t({100, 10});
  const float* before = t.data();
  t.resize({10, 10});
  EXPECT_EQ(t.data(), before);
  EXPECT_EQ(t.size(), 100);
}

TEST(Rng, SameSeedSameStreamAndSaneMoments) {
  Rng a(3), b(3), c(4);
  EXPECT_EQ(a.next_u64(), b.next_u64());
  EXPECT_NE(a.next_u64(), c.next_u64());
  Rng r(1);
  double sum = 0, sq = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    float v = r.normal();
    sum += v;
    sq += static_cast<double>(v) * v;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.02);
  EXPECT_NEAR(sq / n, 1.0, 0.02);
  for (int i = 0; i < 1000; ++i) {
    float u = r.uniform();
    ASSERT_TRUE(u >= 0.0f && u < 1.0f);
    ASSERT_LT(r.below(7), 7u);
  }
}

class Gemm : public ::testing::TestWithParam<std::tuple<bool, bool>> {};

TEST_P(Gemm, MatchesNaiveProduct) {
  const auto [ta, tb] = GetParam();
  const int64_t m = 37, n = 29, k = 53;
  Rng rng(11);
  std::vector<float> a(static_cast<size_t>(m * k)), b(static_cast<size_t>(k * n)), c(static_cast<size_t>(m * n), 1.0f);
  for (float& v : a) v = rng.uniform(-1, 1);
  for (float& v : b) v = rng.uniform(-1, 1);
  auto A = [&](int64_t i, int64_t p) { return ta ? a[static_cast<size_t>(p * m + i)] : a[static_cast<size_t>(i * k + p)]; };
  auto B = [&](int64_t p, int64_t j) { return tb ? b[static_cast<size_t>(j * k + p)] : b[static_cast<size_t>(p * n + j)]; };
  cpu::gemm(ta, tb, m, n, k, 2.0f, a.data(), ta ? m : k, b.data(), tb ? k : n, 0.5f, c.data(), n);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double expected = 0.5;
      for (int64_t p = 0; p < k; ++p) expected += 2.0 * A(i, p) * B(p, j);
      ASSERT_NEAR(c[static_cast<size_t>(i * n + j)], expected, 1e-4) << i << "," << j;
    }
}

INSTANTIATE_TEST_SUITE_P(AllTranspositions, Gemm, ::testing::Combine(::testing::Bool(), ::testing::Bool()));

TEST(GemmInfo, NamesLibraryAndIsa) {
  const std::string d = cpu::gemm_description();
  EXPECT_NE(d.find("oneDNN"), std::string::npos) << d;
  EXPECT_NE(d.find("ISA"), std::string::npos) << d;
}

TEST(Elementwise, ColumnSums) {
  Tensor m({300, 70});
  for (int64_t i = 0; i < m.size(); ++i) m[i] = static_cast<float>(i % 7);
  std::vector<float> sums(70);
  cpu::column_sums(m.view(), sums.data());
  for (int64_t c = 0; c < 70; ++c) {
    double expected = 0;
    for (int64_t r = 0; r < 300; ++r) expected += static_cast<float>((r * 70 + c) % 7);
    EXPECT_FLOAT_EQ(sums[static_cast<size_t>(c)], static_cast<float>(expected));
  }
}

}  // namespace
}  // namespace aekit
