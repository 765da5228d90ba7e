// cpu::gemm and cpu::linear_forward run small products on one thread (backend/cpu/small_product.h),
// so a small product's bits do not depend on how many threads the caller's OpenMP pool has. On
// AVX-512 oneDNN never splits these shapes along the sum, so one thread also gives the bits of its
// own two-thread product; on AVX2 it splits thin outputs with a long sum (m = 2, n = 64, k = 784),
// so there only the one-thread rule keeps them equal. This checks aekit's products, on this CPU, on
// a grid that covers the dense layers aekit builds.
#include <aekit/backend/cpu/gemm.h>
#include <aekit/backend/cpu/matmul.h>
#include <aekit/backend/cpu/small_product.h>
#include <aekit/core/rng.h>
#include <aekit/core/threads.h>

#include <gtest/gtest.h>

#include "product_values.h"

#include <vector>

namespace aekit {
namespace {

constexpr int64_t kProductSizes[] = {2, 3, 16, 30, 64, 128, 256, 784, 1000};
constexpr int64_t kDepths[] = {1, 32, 128, 256, 784, 4096};

using test::random_values;
using test::same_bits;

// C = op(A) B through cpu::gemm with the caller's pool at `threads` threads.
std::vector<float> sgemm(char trans_a, int64_t m, int64_t n, int64_t k, const std::vector<float>& a,
                         const std::vector<float>& b, int threads) {
  set_num_threads(threads);
  std::vector<float> c(static_cast<size_t>(m * n));
  cpu::gemm(trans_a == 'T', false, m, n, k, 1.0f, a.data(), trans_a == 'T' ? m : k, b.data(), n, 0.0f, c.data(), n);
  return c;
}

TEST(SmallProduct, GemmGivesTheSameBitsAtOneAndTwoThreads) {
  Rng rng(7);
  int checked = 0;
  for (int64_t m : kProductSizes)
    for (int64_t n : kProductSizes)
      for (int64_t k : kDepths) {
        if (!cpu::runs_on_one_thread(m, n, k) || m * n * k < 4096) continue;
        const std::vector<float> a = random_values(m * k, rng), b = random_values(k * n, rng);
        for (char trans_a : {'N', 'T'}) {
          EXPECT_TRUE(same_bits(sgemm(trans_a, m, n, k, a, b, 1), sgemm(trans_a, m, n, k, a, b, 2)))
              << trans_a << "N m=" << m << " n=" << n << " k=" << k;
          ++checked;
        }
      }
  set_num_threads(1);
  EXPECT_GT(checked, 200);
}

// y = sigmoid(x W^T + bias) through cpu::linear_forward with the caller's pool at `threads` threads.
std::vector<float> matmul(int64_t m, int64_t n, int64_t k, const std::vector<float>& x, const std::vector<float>& w,
                          const std::vector<float>& bias, int threads) {
  set_num_threads(threads);
  std::vector<float> y(static_cast<size_t>(m * n));
  cpu::linear_forward(ConstMatrixView{x.data(), m, k}, w.data(), bias.data(), MatrixView{y.data(), m, n},
                      Activation::Sigmoid);
  return y;
}

TEST(SmallProduct, LinearForwardGivesTheSameBitsAtOneAndTwoThreads) {
  Rng rng(8);
  int checked = 0;
  for (int64_t rows : {2, 32, 256, 1024})
    for (int64_t out : kProductSizes)
      for (int64_t in : kProductSizes) {
        if (!cpu::runs_on_one_thread(rows, out, in) || rows * out * in < 4096) continue;
        const std::vector<float> x = random_values(rows * in, rng), w = random_values(out * in, rng),
                                 bias = random_values(out, rng);
        EXPECT_TRUE(same_bits(matmul(rows, out, in, x, w, bias, 1), matmul(rows, out, in, x, w, bias, 2)))
            << "rows=" << rows << " out=" << out << " in=" << in;
        ++checked;
      }
  set_num_threads(1);
  EXPECT_GT(checked, 50);
}

}  // namespace
}  // namespace aekit
