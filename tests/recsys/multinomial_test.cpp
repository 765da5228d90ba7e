// Mult-DAE's pieces: the multinomial log-likelihood (hand-computed and by finite differences),
// unit-norm rows, and SparseNetwork's full-output path equal to the dense computation.
#include "random_ratings.h"
#include <aekit/core/rng.h>
#include <aekit/models/dense_arch.h>
#include <aekit/recsys/multinomial_loss.h>
#include <aekit/recsys/row_normalisation.h>
#include <aekit/recsys/sparse_network.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <omp.h>

namespace aekit {
namespace {

CsrMatrix interactions_for_test(int64_t rows, int64_t cols, uint64_t seed) {
  return test::random_ratings(rows, cols, seed, 0.3, test::RatingKind::Implicit);
}

TEST(MultinomialNll, HandComputed) {
  // One row, logits (0, ln 2, ln 3): softmax (1/6, 2/6, 3/6); interactions at items 1 and 2.
  const std::vector<float> z{0.0f, std::log(2.0f), std::log(3.0f)};
  const CsrMatrix x = CsrMatrix::from_entries(1, 3, {{0, 1, 1.0f}, {0, 2, 1.0f}});
  const std::vector<int64_t> rows{0};
  std::vector<float> g(3);
  const double loss = multinomial_nll({z.data(), 1, 3}, x, rows, {g.data(), 1, 3});
  EXPECT_NEAR(loss, -std::log(2.0 / 6) - std::log(3.0 / 6), 1e-6);
  // softmax * 2 - x
  EXPECT_NEAR(g[0], 2.0 / 6, 1e-6);
  EXPECT_NEAR(g[1], 4.0 / 6 - 1, 1e-6);
  EXPECT_NEAR(g[2], 6.0 / 6 - 1, 1e-6);
}

TEST(MultinomialNll, GradientMatchesFiniteDifferences) {
  const CsrMatrix x = interactions_for_test(6, 9, 3);
  const std::vector<int64_t> rows{5, 0, 2};
  Rng rng(1);
  std::vector<double> z(3 * 9);
  for (double& v : z) v = rng.normal() * 2.0;
  auto loss_at = [&](const std::vector<double>& values, std::vector<float>* grad) {
    std::vector<float> f(values.begin(), values.end());
    if (!grad) return multinomial_nll({f.data(), 3, 9}, x, rows);
    grad->assign(f.size(), 0.0f);
    return multinomial_nll({f.data(), 3, 9}, x, rows, {grad->data(), 3, 9});
  };
  std::vector<float> analytic;
  loss_at(z, &analytic);
  const double h = 1e-3;
  for (size_t k = 0; k < z.size(); ++k) {
    std::vector<double> plus = z, minus = z;
    plus[k] += h;
    minus[k] -= h;
    const double numeric = (loss_at(plus, nullptr) - loss_at(minus, nullptr)) / (2 * h);
    EXPECT_NEAR(analytic[k], numeric, 2e-3) << "logit " << k;
  }
}

// A batch large enough for its rows to be shared between threads gives the loss and gradient of
// one thread, bit for bit (the loss is summed over the rows in order either way).
TEST(MultinomialNll, RowsOnSeveralThreadsGiveOneThreadsBits) {
  constexpr int64_t kRows = 9, kCols = 5000;  // 45,000 logits: past the parallel threshold
  const CsrMatrix x = interactions_for_test(kRows, kCols, 5);
  std::vector<int64_t> rows(kRows);
  for (int64_t r = 0; r < kRows; ++r) rows[static_cast<size_t>(r)] = kRows - 1 - r;
  Rng rng(2);
  std::vector<float> z(kRows * kCols);
  for (float& v : z) v = static_cast<float>(rng.normal() * 3.0);
  const int before = omp_get_max_threads();
  std::vector<float> g1(z.size()), g3(z.size());
  omp_set_num_threads(1);
  const double one = multinomial_nll({z.data(), kRows, kCols}, x, rows, {g1.data(), kRows, kCols});
  omp_set_num_threads(3);
  const double three = multinomial_nll({z.data(), kRows, kCols}, x, rows, {g3.data(), kRows, kCols});
  omp_set_num_threads(before);
  EXPECT_EQ(one, three);
  for (size_t i = 0; i < z.size(); ++i) ASSERT_EQ(g1[i], g3[i]) << "logit " << i;
  // And the loss without a gradient is the same value.
  EXPECT_EQ(multinomial_nll({z.data(), kRows, kCols}, x, rows), one);
}

TEST(RowNormalisation, UnitNormRowsEmptyRowsStayEmpty) {
  const CsrMatrix m = CsrMatrix::from_entries(3, 4, {{0, 0, 3.0f}, {0, 3, 4.0f}, {2, 1, 1.0f}});
  const CsrMatrix n = l2_normalised_rows(m);
  EXPECT_FLOAT_EQ(n.at(0, 0), 0.6f);
  EXPECT_FLOAT_EQ(n.at(0, 3), 0.8f);
  EXPECT_EQ(n.row_nnz(1), 0);
  EXPECT_FLOAT_EQ(n.at(2, 1), 1.0f);
}

// forward_full and backward_full against Autoencoder's dense forward and backward of the same
// rows with the same upstream gradient.
TEST(SparseNetwork, FullOutputsEqualDense) {
  const int64_t items = 17;
  const CsrMatrix x = l2_normalised_rows(interactions_for_test(10, items, 7));
  DenseArch arch;
  arch.encoder = {items, 8, 4};
  arch.activation = "tanh";
  arch.output_activation = "identity";
  Autoencoder net(arch.to_spec(), 2);
  const std::vector<int64_t> rows{1, 4, 9};
  SparseNetwork sparse(net);
  const ConstMatrixView logits = sparse.forward_full(x, rows, Mode::Train);
  Tensor grad({3, items});
  multinomial_nll(logits, x, rows, grad.view());
  std::vector<float> sparse_logits(logits.data, logits.data + logits.size());
  sparse.backward_full(grad.view());
  std::vector<std::vector<float>> sparse_grads;
  for (const Param& p : net.params()) sparse_grads.emplace_back(p.grad->span().begin(), p.grad->span().end());

  Tensor dense({3, items});
  for (size_t b = 0; b < rows.size(); ++b) {
    const auto cols = x.row_cols(rows[b]);
    const auto vals = x.row_values(rows[b]);
    for (size_t k = 0; k < cols.size(); ++k) dense.row(static_cast<int64_t>(b))[cols[k]] = vals[k];
  }
  const Tensor& out = net.forward(dense.view(), Mode::Train);
  for (int64_t k = 0; k < out.size(); ++k) ASSERT_NEAR(out[k], sparse_logits[static_cast<size_t>(k)], 1e-5) << k;
  net.backward(grad.view());
  const auto params = net.params();
  for (size_t p = 0; p < params.size(); ++p) {
    double max_abs = 0;
    for (float v : params[p].grad->span()) max_abs = std::max(max_abs, static_cast<double>(std::fabs(v)));
    ASSERT_GT(max_abs, 0.0) << "parameter " << p;
    for (int64_t k = 0; k < params[p].grad->size(); ++k)
      ASSERT_NEAR(sparse_grads[p][static_cast<size_t>(k)], (*params[p].grad)[k], 1e-4 * max_abs) << p << " " << k;
  }
}

}  // namespace
}  // namespace aekit
