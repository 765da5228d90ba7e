// --input-dropout (recsys/input_dropout.h): the batch's input keeps each rating with probability
// 1 - p, scaled by 1 / (1 - p), its target keeps every rating; at p = 0 training is the plain path.
#include <aekit/core/rng.h>
#include <aekit/models/dense_arch.h>
#include <aekit/recsys/input_dropout.h>
#include <aekit/recsys/sparse_rows.h>
#include <gtest/gtest.h>

#include <cmath>

namespace aekit {
namespace {

CsrMatrix dropout_ratings(int64_t rows, int64_t cols, uint64_t seed) {
  Rng rng(seed);
  std::vector<CsrEntry> entries;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      if (rng.uniform() < 0.4) entries.push_back({r, c, 1.0f + std::floor(rng.uniform() * 5.0f)});
  return CsrMatrix::from_entries(rows, cols, std::move(entries));
}

TEST(InputDropout, SurvivorsScaledTargetsWholeAndTheDroppedShareIsP) {
  const CsrMatrix m = dropout_ratings(200, 50, 4);
  const std::vector<int64_t> rows{5, 0, 199, 17};
  Rng rng(9);
  const float p = 0.3f;
  int64_t kept = 0, total = 0;
  for (int draw = 0; draw < 200; ++draw) {
    const DroppedBatch batch = drop_input_ratings(m, rows, p, rng);
    ASSERT_EQ(batch.input.rows(), 4);
    ASSERT_EQ(batch.target.rows(), 4);
    for (size_t b = 0; b < rows.size(); ++b) {
      const auto row = static_cast<int64_t>(b);
      // The target is the row itself.
      ASSERT_EQ(batch.target.row_nnz(row), m.row_nnz(rows[b]));
      for (int32_t c : m.row_cols(rows[b])) ASSERT_EQ(batch.target.at(row, c, -1), m.at(rows[b], c));
      // Each survivor is a rating of the row, scaled by 1 / (1 - p).
      const auto cols = batch.input.row_cols(row);
      const auto vals = batch.input.row_values(row);
      for (size_t k = 0; k < cols.size(); ++k) ASSERT_FLOAT_EQ(vals[k], m.at(rows[b], cols[k], -1) / (1 - p));
      kept += batch.input.row_nnz(row);
      total += batch.target.row_nnz(row);
    }
  }
  // About 16,000 draws: the kept share is 0.7 within 5 standard deviations (0.018).
  EXPECT_NEAR(static_cast<double>(kept) / static_cast<double>(total), 0.7, 0.018) << kept << " of " << total;
}

TEST(InputDropout, AtZeroTrainingIsThePlainPath) {
  const CsrMatrix m = dropout_ratings(30, 12, 2);
  DenseArch arch;
  arch.encoder = {12, 6};
  arch.activation = "sigmoid";
  arch.output_activation = "identity";
  Autoencoder plain(arch.to_spec(), 5), zero(arch.to_spec(), 5), dropped(arch.to_spec(), 5);
  SparseRows a(plain, m), b(zero, m, {MaskedNormalisation::Rated, false, 0.0f, 7}),
      c(dropped, m, {MaskedNormalisation::Rated, false, 0.5f, 7});
  const std::vector<int64_t> batch{0, 4, 9, 29};
  const double la = a.train_batch(batch), lb = b.train_batch(batch), lc = c.train_batch(batch);
  EXPECT_EQ(la, lb);
  const auto pa = plain.params(), pb = zero.params();
  for (size_t i = 0; i < pa.size(); ++i)
    for (int64_t k = 0; k < pa[i].grad->size(); ++k) ASSERT_EQ((*pa[i].grad)[k], (*pb[i].grad)[k]);
  // With dropout the input differs, the targets do not: another loss over the same ratings.
  EXPECT_NE(la, lc);
  EXPECT_TRUE(std::isfinite(lc));
}

TEST(InputDropout, OutOfRangeIsAnInputError) {
  const CsrMatrix m = dropout_ratings(5, 4, 1);
  DenseArch arch;
  arch.encoder = {4, 2};
  Autoencoder net(arch.to_spec(), 1);
  for (float p : {-0.1f, 1.0f, std::nanf("")})
    EXPECT_THROW(SparseRows(net, m, {MaskedNormalisation::Rated, false, p, 0}), InputError) << p;
}

}  // namespace
}  // namespace aekit
