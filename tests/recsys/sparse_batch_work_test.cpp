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

// On the worker team a batch's weight updates count as work, against the team's smaller quantum:
// I-AutoRec b64 with 500 hidden units (~25 MFLOP a batch, 21.5 of them the update) trains on two
// threads, as it does with 200 (~10 MFLOP, where a second thread won 30%); with 100 (~5 MFLOP,
// where it lost) on one. Never more threads than free cores.
TEST(SparseBatchWork, OnTheTeamTheUpdateCountsAndSmallNetworksStayOnOneThread) {
  const auto team_threads = [](int64_t hidden, int cores, int busy) {
    const double macs = 2.0 * 671 * static_cast<double>(hidden);
    const int64_t weights = 2 * 671 * hidden + hidden + 671;
    return choose_threads(sparse_batch_flops(macs, 64, kSmallDensity, false) + update_flops(weights), cores, busy,
                          kTeamWorkQuantum)
        .threads;
  };
  EXPECT_DOUBLE_EQ(update_flops(1000), 32000.0);
  EXPECT_EQ(team_threads(500, 2, 0), 2);
  EXPECT_EQ(team_threads(200, 2, 0), 2);
  EXPECT_EQ(team_threads(100, 2, 0), 1);
  EXPECT_EQ(team_threads(500, 2, 1), 1);
  EXPECT_EQ(team_threads(500, 16, 0), 6);  // ~25 MFLOP: 6 quanta of 4
}

}  // namespace
}  // namespace aekit
