// PartBalance (core/part_balance.h): the ranges tile the loop at the quantum, even until a loop
// of that many parts has been timed; the shares move until a slower part gets less, a part never
// drops below its least share, and a new count starts again from even shares.
// balanced_parts_if (core/parallel_for.h): every index once on the worker team, and the split
// follows the parts' times.
#include <aekit/core/parallel_for.h>
#include <aekit/core/part_balance.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <chrono>
#include <thread>
#include <vector>

#include <omp.h>

namespace aekit {
namespace {

// The boundaries of n parts over [0, total).
std::vector<int64_t> boundaries(const PartBalance& balance, int n, int64_t total, int64_t quantum) {
  std::vector<int64_t> at;
  for (int t = 0; t < n; ++t) {
    const auto [begin, end] = balance.range(t, n, total, quantum);
    if (t == 0) at.push_back(begin);
    EXPECT_LE(begin, end);
    at.push_back(end);
  }
  return at;
}

// One loop of n parts whose part t costs cost[t] seconds a unit of its share.
void time_loop(PartBalance& balance, int n, const std::vector<double>& cost) {
  for (int t = 0; t < n; ++t) balance.record(t, n, balance.share(t) * cost[static_cast<size_t>(t)]);
  balance.rebalance(n);
}

TEST(PartBalance, EvenAtFirstTilesTheLoopAtTheQuantum) {
  const PartBalance balance;
  EXPECT_EQ(boundaries(balance, 2, 1000, 16), (std::vector<int64_t>{0, 496, 1000}));
  EXPECT_EQ(boundaries(balance, 3, 10, 1), (std::vector<int64_t>{0, 3, 7, 10}));
  EXPECT_EQ(boundaries(balance, 4, 0, 16), (std::vector<int64_t>{0, 0, 0, 0, 0}));
  EXPECT_EQ(boundaries(balance, 1, 77, 16), (std::vector<int64_t>{0, 77}));
}

TEST(PartBalance, EvenRangesAreTheUntimedOnes) {
  const PartBalance balance;
  for (const int n : {1, 2, 3, 7})
    for (int t = 0; t < n; ++t) EXPECT_EQ(PartBalance::even_range(t, n, 1000, 16), balance.range(t, n, 1000, 16));
}

TEST(PartBalance, TheSlowerPartGetsLessUntilTheyFinishTogether) {
  PartBalance balance;
  balance.rebalance(2);  // the first loop of two parts: even shares, now kept for two
  for (int i = 0; i < 60; ++i) time_loop(balance, 2, {1.0, 2.0});  // part 1 takes twice as long
  EXPECT_NEAR(balance.share(0), 2.0 / 3.0, 1e-3);
  EXPECT_NEAR(balance.share(1), 1.0 / 3.0, 1e-3);
  const auto at = boundaries(balance, 2, 100000, 16);
  EXPECT_EQ(at.front(), 0);
  EXPECT_EQ(at.back(), 100000);
  EXPECT_EQ(at[1] % 16, 0);
  EXPECT_NEAR(static_cast<double>(at[1]), 66667.0, 16.0);
}

TEST(PartBalance, AStepAtATimeAndNeverBelowTheLeastShare) {
  PartBalance balance;
  balance.rebalance(2);
  time_loop(balance, 2, {1.0, 3.0});
  // Equal times would need 3/4 and 1/4; a quarter of the way there from 1/2.
  EXPECT_NEAR(balance.share(0), 0.5 + PartBalance::kGain * 0.25, 1e-12);
  for (int i = 0; i < 200; ++i) time_loop(balance, 2, {1.0, 1e6});  // part 1 all but stopped
  // Held at its least share (then the shares are scaled back to a sum of 1: a little under it).
  EXPECT_GT(balance.share(1), 0.9 * PartBalance::kLeastShare / 2);
  EXPECT_LE(balance.share(1), PartBalance::kLeastShare / 2);
  EXPECT_GT(boundaries(balance, 2, 1000, 1)[1], 0);
  // Untimed loops (a zero, a NaN) and loops of one part change nothing.
  const double before = balance.share(0);
  balance.record(0, 2, 0.0);
  balance.record(1, 2, 1.0);
  balance.rebalance(2);
  balance.record(0, 2, std::nan(""));
  balance.rebalance(2);
  balance.rebalance(1);
  EXPECT_EQ(balance.share(0), before);
}

TEST(PartBalance, ANewCountStartsFromEvenShares) {
  PartBalance balance;
  balance.rebalance(2);
  for (int i = 0; i < 20; ++i) time_loop(balance, 2, {1.0, 2.0});
  EXPECT_GT(balance.share(0), 0.6);
  // A loop of three parts is split evenly (its count has no shares yet), then starts its own.
  EXPECT_EQ(boundaries(balance, 3, 300, 1), (std::vector<int64_t>{0, 100, 200, 300}));
  balance.rebalance(3);
  for (int t = 0; t < 3; ++t) EXPECT_DOUBLE_EQ(balance.share(t), 1.0 / 3.0);
  // More parts than it keeps shares for: always even.
  const int many = PartBalance::kMaxParts + 1;
  balance.rebalance(many);
  EXPECT_EQ(boundaries(balance, many, many, 1)[5], 5);
}

// On the worker team: every index once, and a part that is slowed gets less of the loop.
TEST(PartBalance, BalancedPartsOnTheTeamCoverTheLoopAndFollowTheTimes) {
  const LoopsOnTeam on_team(2);
  PartBalance balance;
  constexpr int64_t kTotal = 4000;
  std::vector<double> late_shares;  // part 0's share after each of the last 20 loops
  for (int loop = 0; loop < 40; ++loop) {
    std::vector<std::atomic<int>> runs(kTotal);
    balanced_parts_if(true, balance, kTotal, 16, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) runs[static_cast<size_t>(i)]++;
      // Part 1 (the range that starts past 0) sleeps three times as long a unit of its range.
      const double units = static_cast<double>(end - begin) / kTotal;
      std::this_thread::sleep_for(std::chrono::duration<double, std::milli>((begin == 0 ? 1.0 : 3.0) * units));
    });
    for (int64_t i = 0; i < kTotal; ++i) ASSERT_EQ(runs[static_cast<size_t>(i)].load(), 1) << "loop " << loop << ", index " << i;
    if (loop >= 20) late_shares.push_back(balance.share(0));
  }
  // Equal times need 3/4 for part 0. Sleeps overshoot, and on a busy machine a part may wake late
  // once or twice: the median of the last 20 loops, and only the direction and rough size.
  std::sort(late_shares.begin(), late_shares.end());
  EXPECT_GT(late_shares[late_shares.size() / 2], 0.6);
}

// Outside a LoopsOnTeam (OpenMP regions: the dense path) the split stays even and untimed.
TEST(PartBalance, InOpenMpRegionsTheSplitStaysEven) {
  const int before = omp_get_max_threads();
  omp_set_num_threads(2);
  PartBalance balance;
  for (int loop = 0; loop < 10; ++loop) {
    std::vector<std::atomic<int>> runs(1000);
    balanced_parts_if(true, balance, 1000, 16, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) runs[static_cast<size_t>(i)]++;
      if (begin == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // part 0 slow
    });
    for (size_t i = 0; i < runs.size(); ++i) ASSERT_EQ(runs[i].load(), 1) << i;
  }
  omp_set_num_threads(before);
  EXPECT_EQ(balance.range(0, 2, 1000, 16), PartBalance::even_range(0, 2, 1000, 16));
}

}  // namespace
}  // namespace aekit
