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

// On the worker team a batch's weight updates count as work, against the team's smaller quantum
// (StepThreads then picks one thread or all of them step by step): I-AutoRec b64 with 500 hidden
// units (~25 MFLOP a batch, 21.5 of them the update) and the seeds' network on MovieLens-100K's
// 1,682 items at batch 1 (~2.2 MFLOP) train on two threads of two cores; a network of a few
// thousand weights on one. Never more threads than free cores.
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
  EXPECT_EQ(team_threads(500, 2, 1), 1);
  EXPECT_EQ(team_threads(500, 16, 0), 16);
  const int64_t seed_weights = 1682 * 20 + 20 + 20 * 10 + 10 + 10 * 20 + 20 + 20 * 1682 + 1682;
  EXPECT_EQ(choose_threads(update_flops(seed_weights), 2, 0, kTeamWorkQuantum).threads, 2);
  EXPECT_EQ(choose_threads(update_flops(20000), 2, 0, kTeamWorkQuantum).threads, 1);
}

}  // namespace
}  // namespace aekit
