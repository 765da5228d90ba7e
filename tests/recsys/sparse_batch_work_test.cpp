// The default thread count of the recommenders counts the products a sparse batch really makes.
#include <aekit/core/thread_choice.h>
#include <aekit/recsys/sparse_batch_work.h>

#include <gtest/gtest.h>

namespace aekit {
namespace {

// I-AutoRec on movielens-small: item rows of 671 users, 500 hidden units, 90,003 training ratings
// over 9,066 items, batch 64.
constexpr double kSmallMacs = 2.0 * 671 * 500, kSmallDensity = 90003.0 / (9066.0 * 671);

TEST(SparseBatchWork, ScalesTheSparseLayersByTheDensity) {
  EXPECT_DOUBLE_EQ(sparse_batch_flops(1000, 10, 1.0, false), 6.0 * 1000 * 10);
  EXPECT_DOUBLE_EQ(sparse_batch_flops(1000, 10, 1.0, true), 6.0 * 1000 * 10);
  EXPECT_DOUBLE_EQ(sparse_batch_flops(1000, 10, 0.01, false), 6.0 * 1000 * 10 * 0.01);
  // Every output computed: the last layer is dense, the first sparse.
  EXPECT_DOUBLE_EQ(sparse_batch_flops(1000, 10, 0.01, true), 6.0 * 1000 * 10 * 0.505);
}

TEST(SparseBatchWork, SmallRatingSetsTrainOnOneThreadLargeOnesOnTwo) {
  EXPECT_EQ(choose_threads(sparse_batch_flops(kSmallMacs, 64, kSmallDensity, false), 2, 0).threads, 1);
  // Counted as dense layers the same batch asked for more than one thread.
  EXPECT_GT(choose_threads(6.0 * kSmallMacs * 64, 2, 0).threads, 1);
  // MovieLens-20M-shaped (bench/synthetic_ratings.py): 26,744 item rows of 138,493 users, 20M ratings.
  const double large_density = 20e6 / (26744.0 * 138493);
  EXPECT_EQ(choose_threads(sparse_batch_flops(2.0 * 138493 * 500, 64, large_density, false), 2, 0).threads, 2);
}

}  // namespace
}  // namespace aekit
