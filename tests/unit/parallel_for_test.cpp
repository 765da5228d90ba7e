// parallel_for_if (core/parallel_for.h): every index runs exactly once on either path, and the
// serial path opens no OpenMP region at all (the point of it: a region of one thread still costs
// a barrier's system call, 16 of them a step of the seeds' recommender).
#include <aekit/core/parallel_for.h>
#include <gtest/gtest.h>

#include <atomic>
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

}  // namespace
}  // namespace aekit
