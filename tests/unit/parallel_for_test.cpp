// parallel_for_if (core/parallel_for.h): every index runs exactly once on either path, and the
// serial path opens no OpenMP region at all (the point of it: a region of one thread still costs
// a barrier's system call, 16 of them a step of the seeds' recommender).
#include <aekit/core/parallel_for.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include <omp.h>

namespace aekit {
namespace {

TEST(ParallelForIf, RunsEveryIndexOnceOnEitherPath) {
  for (const bool parallel : {false, true})
    for (const int64_t n : {int64_t{0}, int64_t{1}, int64_t{7}, int64_t{1000}}) {
      std::vector<std::atomic<int>> runs(static_cast<size_t>(n));
      parallel_for_if(parallel, n, [&](int64_t i) { runs[static_cast<size_t>(i)]++; });
      for (int64_t i = 0; i < n; ++i) ASSERT_EQ(runs[static_cast<size_t>(i)].load(), 1) << parallel << " " << n << " " << i;
    }
}

TEST(ParallelForIf, TheSerialPathRunsInOrderOutsideAnyRegion) {
  std::vector<int64_t> order;
  int in_region = 0;
  parallel_for_if(false, 5, [&](int64_t i) {
    order.push_back(i);
    in_region += omp_get_level();  // 0 outside every region, even one of a single thread
  });
  EXPECT_EQ(order, (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(in_region, 0);
  std::atomic<int> levels{0};
  parallel_for_if(true, 4, [&](int64_t) { levels += omp_get_level(); });
  EXPECT_EQ(levels.load(), 4);  // the parallel path does open one
}

// Under a LoopsOnTeam the same loops run on the worker team: every index once, no OpenMP region,
// part 0 on the caller and the rest on other threads; split_width_if's parts tile the width at
// cache lines as in a region.
TEST(ParallelForIf, UnderLoopsOnTeamTheLoopsRunOnTheWorkerTeam) {
  const int before = omp_get_max_threads();
  omp_set_num_threads(3);
  {
    const LoopsOnTeam on_team(3);
    std::vector<std::atomic<int>> runs(1000);
    std::atomic<int> levels{0};
    std::mutex m;
    std::set<std::thread::id> threads;
    parallel_for_if(true, 1000, [&](int64_t i) {
      runs[static_cast<size_t>(i)]++;
      levels += omp_get_level();
      const std::lock_guard lock(m);
      threads.insert(std::this_thread::get_id());
    });
    for (size_t i = 0; i < runs.size(); ++i) ASSERT_EQ(runs[i].load(), 1) << i;
    EXPECT_EQ(levels.load(), 0);
    EXPECT_EQ(threads.size(), 3u);
    std::vector<std::pair<int64_t, int64_t>> parts;
    split_width_if(true, 100, [&](int64_t j0, int64_t j1) {
      const std::lock_guard lock(m);
      parts.emplace_back(j0, j1);
    });
    std::sort(parts.begin(), parts.end());
    EXPECT_EQ(parts, (std::vector<std::pair<int64_t, int64_t>>{{0, 32}, {32, 64}, {64, 100}}));
    // A loop started inside a part, on the caller or on a worker, runs serially there: no OpenMP
    // region of a worker's own, no second use of the team.
    std::atomic<int> nested_levels{0}, nested_runs{0}, foreign{0};
    team_run(3, [&](int, int) {
      const auto self = std::this_thread::get_id();
      parallel_for_if(true, 10, [&](int64_t) {
        nested_levels += omp_get_level();
        ++nested_runs;
        if (std::this_thread::get_id() != self) ++foreign;
      });
    });
    EXPECT_EQ(nested_levels.load(), 0);
    EXPECT_EQ(nested_runs.load(), 30);
    EXPECT_EQ(foreign.load(), 0);
  }
  // And back in OpenMP regions once it is gone.
  std::atomic<int> levels{0};
  parallel_for_if(true, 4, [&](int64_t) { levels += omp_get_level(); });
  EXPECT_EQ(levels.load(), 4);
  omp_set_num_threads(before);
}

}  // namespace
}  // namespace aekit
