// Products inside a step on the worker team (backend/cpu/team_products.h) are blocks of their
// output, one-thread oneDNN calls shared between the team's threads. The trainer picks the step's
// thread count by timing (StepThreads), so a product must give the same bits on one of the team's
// threads or several, at the run's thread count: checked for both products a dense layer runs
// (cpu::gemm in every transposition, cpu::linear_forward with its fused bias and activation), at
// Mult-VAE's shapes and others around them; and at a run's one thread the product is oneDNN's
// one-thread product, unsplit.
#include <aekit/backend/cpu/gemm.h>
#include <aekit/backend/cpu/matmul.h>
#include <aekit/backend/cpu/small_product.h>
#include <aekit/core/parallel_for.h>
#include <aekit/core/rng.h>
#include <aekit/core/threads.h>

#include <gtest/gtest.h>

#include "product_values.h"

#include <vector>

namespace aekit {
namespace {

using test::random_values;
using test::same_bits;

struct Shape3 {
  int64_t m, n, k;
};
constexpr Shape3 kShapes[] = {{64, 9066, 600}, {64, 600, 9066}, {9066, 600, 64}, {64, 400, 600}, {64, 600, 400},
                              {400, 600, 64},  {64, 600, 200},  {600, 200, 64},  {31, 777, 129}, {5, 130, 1000},
                              {256, 1000, 784}};

// C = op(A) op(B) through cpu::gemm inside a step on `threads` of the team's threads.
std::vector<float> team_gemm(bool trans_a, bool trans_b, const Shape3& s, const std::vector<float>& a,
                             const std::vector<float>& b, int threads) {
  const LoopsOnTeam on_team(threads);
  std::vector<float> c(static_cast<size_t>(s.m * s.n), -1.0f);
  cpu::gemm(trans_a, trans_b, s.m, s.n, s.k, 1.0f, a.data(), trans_a ? s.m : s.k, b.data(), trans_b ? s.k : s.n, 0.0f,
            c.data(), s.n);
  return c;
}

// The run's thread count for the test's scope (the blocks follow it).
class RunThreads {
 public:
  explicit RunThreads(int n) : saved_(num_threads()) { set_num_threads(n); }
  ~RunThreads() { set_num_threads(saved_); }

 private:
  int saved_;
};

TEST(TeamProducts, GemmGivesTheSameBitsOnOneOfTheTeamsThreadsOrSeveral) {
  const RunThreads run_threads(4);
  Rng rng(3);
  for (const Shape3& s : kShapes) {
    const std::vector<float> a = random_values(s.m * s.k, rng), b = random_values(s.k * s.n, rng);
    for (const bool trans_a : {false, true})
      for (const bool trans_b : {false, true}) {
        const std::vector<float> one = team_gemm(trans_a, trans_b, s, a, b, 1);
        for (const int threads : {2, 3, 4})
          EXPECT_TRUE(same_bits(one, team_gemm(trans_a, trans_b, s, a, b, threads)))
              << trans_a << trans_b << " m=" << s.m << " n=" << s.n << " k=" << s.k << " threads " << threads;
      }
  }
}

std::vector<float> team_linear(const Shape3& s, const std::vector<float>& x, const std::vector<float>& w,
                               const std::vector<float>& bias, Activation act, int threads) {
  const LoopsOnTeam on_team(threads);
  std::vector<float> y(static_cast<size_t>(s.m * s.n), -1.0f);
  cpu::linear_forward({x.data(), s.m, s.k}, w.data(), bias.data(), {y.data(), s.m, s.n}, act);
  return y;
}

TEST(TeamProducts, LinearForwardGivesTheSameBitsOnOneOfTheTeamsThreadsOrSeveral) {
  const RunThreads run_threads(4);
  Rng rng(4);
  for (const Shape3& s : kShapes) {
    const std::vector<float> x = random_values(s.m * s.k, rng), w = random_values(s.n * s.k, rng),
                             bias = random_values(s.n, rng);
    for (const Activation act : {Activation::Identity, Activation::Tanh, Activation::Sigmoid, Activation::Relu}) {
      const std::vector<float> one = team_linear(s, x, w, bias, act, 1);
      for (const int threads : {2, 3, 4})
        EXPECT_TRUE(same_bits(one, team_linear(s, x, w, bias, act, threads)))
            << static_cast<int>(act) << " m=" << s.m << " n=" << s.n << " k=" << s.k << " threads " << threads;
    }
  }
}

// At a run's one thread the product is the one-thread product outside the team.
TEST(TeamProducts, AtOneThreadTheProductIsUnsplit) {
  const RunThreads run_threads(1);
  Rng rng(5);
  const Shape3 s{64, 600, 400};
  const std::vector<float> a = random_values(s.m * s.k, rng), b = random_values(s.k * s.n, rng);
  std::vector<float> plain(static_cast<size_t>(s.m * s.n));
  {
    const cpu::OneThreadScope one(true);
    cpu::gemm(false, false, s.m, s.n, s.k, 1.0f, a.data(), s.k, b.data(), s.n, 0.0f, plain.data(), s.n);
  }
  EXPECT_TRUE(same_bits(plain, team_gemm(false, false, s, a, b, 1)));
}

}  // namespace
}  // namespace aekit
