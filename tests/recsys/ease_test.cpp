// EASE (aekit/recsys/ease.h) against its closed form: the solution of
//   min ||X - XB||^2 + lambda ||B||^2  subject to diag(B) = 0
// is the unique B with a zero diagonal whose (X^T X + lambda I) B - X^T X vanishes off the
// diagonal (the optimality conditions; the diagonal holds the constraint's multipliers). Checked
// on a small matrix with an item nobody rated, in double precision here. EDLAE (dropout p) is the
// same with lambda I replaced by Lambda = lambda I + p / (1 - p) diag(X^T X).
#include <aekit/core/error.h>
#include <aekit/recsys/ease.h>
#include <aekit/recsys/ease_fit.h>
#include <gtest/gtest.h>

#include <cmath>
#include <utility>
#include <vector>

namespace aekit {
namespace {

// 14 users x 9 items of 0/1 interactions with structure (two groups), item 4 never rated.
CsrMatrix small_interactions() {
  std::vector<CsrEntry> entries;
  for (int64_t u = 0; u < 14; ++u)
    for (int64_t i = 0; i < 9; ++i)
      if (i != 4 && ((u + i) % 3 == 0 || (u % 2 == i % 2 && (u * 5 + i) % 4 != 0)))
        entries.push_back({u, i, 1.0f});
  return CsrMatrix::from_entries(14, 9, std::move(entries));
}

std::vector<double> dense(const CsrMatrix& x) {
  std::vector<double> d(static_cast<size_t>(x.rows() * x.cols()), 0.0);
  for (const CsrEntry& e : x.entries()) d[static_cast<size_t>(e.row * x.cols() + e.col)] = e.value;
  return d;
}

// The optimality conditions above for each (lambda, dropout) case on x.
void expect_optimal(const CsrMatrix& x, const std::vector<std::pair<double, double>>& cases) {
  const int64_t n = x.cols();
  const std::vector<double> xd = dense(x);
  std::vector<double> g(static_cast<size_t>(n * n), 0.0);  // X^T X
  for (int64_t u = 0; u < x.rows(); ++u)
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j) g[static_cast<size_t>(i * n + j)] += xd[static_cast<size_t>(u * n + i)] * xd[static_cast<size_t>(u * n + j)];
  for (const auto& [lambda, dropout] : cases) {
    const Tensor b = ease_solve(x, lambda, dropout);
    ASSERT_EQ(b.rows(), n);
    ASSERT_EQ(b.cols(), n);
    double largest = 0;
    for (int64_t i = 0; i < n; ++i) {
      EXPECT_EQ(b.row(i)[i], 0.0f) << "diagonal " << i;
      EXPECT_EQ(b.row(4)[i], 0.0f) << "the unrated item predicts nothing";
      EXPECT_EQ(b.row(i)[4], 0.0f) << "the unrated item is predicted by nothing";
      for (int64_t j = 0; j < n; ++j) largest = std::max(largest, std::fabs(static_cast<double>(b.row(i)[j])));
    }
    EXPECT_GT(largest, 0.01) << "a solution that is not all zeros";
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j) {
        if (i == j) continue;
        const double lambda_i = lambda + dropout / (1 - dropout) * g[static_cast<size_t>(i * n + i)];
        double lhs = lambda_i * b.row(i)[j];
        for (int64_t k = 0; k < n; ++k) lhs += g[static_cast<size_t>(i * n + k)] * b.row(k)[j];
        EXPECT_NEAR(lhs, g[static_cast<size_t>(i * n + j)], 1e-4 * (1 + g[static_cast<size_t>(i * n + j)]))
            << "lambda " << lambda << " dropout " << dropout << " at (" << i << ", " << j << ")";
      }
  }
}

TEST(Ease, SatisfiesTheClosedFormsOptimalityConditions) {
  expect_optimal(small_interactions(), {{0.5, 0.0}, {3.0, 0.0}, {40.0, 0.0}, {0.5, 0.3}, {3.0, 0.6}});
}

// --low-rating-weight: interactions of weight 0.4 beside those of weight 1; X^T X is then no
// longer a co-occurrence count, and the same conditions hold.
TEST(Ease, WeightedInteractionsSatisfyTheOptimalityConditions) {
  std::vector<CsrEntry> entries = small_interactions().entries();
  int weighted = 0;
  for (CsrEntry& e : entries)
    if ((e.row + 2 * e.col) % 3 == 0) {
      e.value = 0.4f;
      ++weighted;
    }
  ASSERT_GT(weighted, 5);
  expect_optimal(CsrMatrix::from_entries(14, 9, std::move(entries)), {{0.5, 0.0}, {3.0, 0.0}, {3.0, 0.6}});
}

TEST(Ease, ScoresAndNetworkComputeXTimesB) {
  const CsrMatrix x = small_interactions();
  const Tensor b = ease_solve(x, 2.0);
  const std::vector<int64_t> rows = {0, 3, 13};
  const Tensor scores = ease_scores(b, x, rows);
  auto net = ease_network(EaseMap(b), 0);
  const std::vector<double> xd = dense(x);
  Tensor in({3, x.cols()});
  for (size_t r = 0; r < rows.size(); ++r)
    for (int64_t i = 0; i < x.cols(); ++i) in.row(static_cast<int64_t>(r))[i] = static_cast<float>(xd[static_cast<size_t>(rows[r] * x.cols() + i)]);
  const Tensor recon = net->reconstruct(in.view());
  for (size_t r = 0; r < rows.size(); ++r)
    for (int64_t j = 0; j < x.cols(); ++j) {
      double want = 0;
      for (int64_t i = 0; i < x.cols(); ++i) want += xd[static_cast<size_t>(rows[r] * x.cols() + i)] * b.row(i)[j];
      EXPECT_NEAR(scores.row(static_cast<int64_t>(r))[j], want, 1e-5);
      EXPECT_NEAR(recon.row(static_cast<int64_t>(r))[j], want, 1e-5);
    }
}

TEST(Ease, LambdaIsChosenOnValidationThenSolvedOnEverything) {
  const CsrMatrix x = small_interactions();
  const std::vector<double> grid = {0.1, 5.0, 1000.0};
  Rng rng(3);
  const EaseFit fit = fit_ease(x, grid, 0.25f, rng);
  ASSERT_EQ(fit.validation.size(), grid.size());
  double best = -1;
  for (const EaseTrial& t : fit.validation) {
    EXPECT_GE(t.ndcg, 0.0);
    EXPECT_LE(t.ndcg, 1.0);
    EXPECT_EQ(t.dropout, 0.0) << "EASE";
    best = std::max(best, t.ndcg);
  }
  for (const EaseTrial& t : fit.validation) {
    if (t.lambda == fit.lambda) {
      EXPECT_EQ(t.ndcg, best);
    }
  }
  const Tensor all = ease_solve(x, fit.lambda);
  ASSERT_FALSE(fit.map.factored()) << "more users than items: the dense solve";
  for (int64_t k = 0; k < all.size(); ++k) ASSERT_EQ(all.data()[k], fit.map.dense().data()[k]);
  // One lambda: solved directly, nothing tried.
  const std::vector<double> one = {7.0};
  EXPECT_TRUE(fit_ease(x, one, 0.25f, rng).validation.empty());
}

TEST(Edlae, DropoutAndLambdaAreChosenTogetherOnValidation) {
  const CsrMatrix x = small_interactions();
  const std::vector<double> lambdas = {0.1, 5.0};
  const std::vector<double> dropouts = {0.1, 0.5, 0.9};
  Rng rng(3);
  const EaseFit fit = fit_ease(x, lambdas, dropouts, 0.25f, rng);
  ASSERT_EQ(fit.validation.size(), lambdas.size() * dropouts.size());
  double best = -1;
  for (const EaseTrial& t : fit.validation) best = std::max(best, t.ndcg);
  int winners = 0;
  for (const EaseTrial& t : fit.validation)
    if (t.lambda == fit.lambda && t.dropout == fit.dropout) {
      EXPECT_EQ(t.ndcg, best);
      ++winners;
    }
  EXPECT_EQ(winners, 1) << "the chosen pair is one of those tried";
  const Tensor all = ease_solve(x, fit.lambda, fit.dropout);
  ASSERT_FALSE(fit.map.factored()) << "more users than items: the dense solve";
  for (int64_t k = 0; k < all.size(); ++k) ASSERT_EQ(all.data()[k], fit.map.dense().data()[k]);
  // Dropout changes the solution: not EASE's.
  const Tensor ease = ease_solve(x, fit.lambda);
  double differs = 0;
  for (int64_t k = 0; k < all.size(); ++k)
    differs = std::max(differs, static_cast<double>(std::fabs(all.data()[k] - ease.data()[k])));
  EXPECT_GT(differs, 1e-3);
}

TEST(Ease, BadLambdasAreInputErrors) {
  const CsrMatrix x = small_interactions();
  EXPECT_THROW(ease_solve(x, 0.0), InputError);
  EXPECT_THROW(ease_solve(x, -1.0), InputError);
  EXPECT_THROW(ease_solve(x, 1.0, 1.0), InputError);
  EXPECT_THROW(ease_solve(x, 1.0, -0.1), InputError);
  EXPECT_EQ(parse_ease_lambdas("auto").size(), 6u);
  EXPECT_EQ(parse_ease_lambdas("50,200.5"), (std::vector<double>{50, 200.5}));
  for (const char* bad : {"0", "-3", "x", "100,", "1e999", "nan"}) EXPECT_THROW(parse_ease_lambdas(bad), InputError) << bad;
}

}  // namespace
}  // namespace aekit
