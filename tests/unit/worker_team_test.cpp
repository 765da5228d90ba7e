// The worker team (core/worker_team.h): every part of a loop runs once, part 0 on the caller and
// the others on threads of their own; nested calls, calls from an OpenMP region and a second
// caller at the same time run serially instead of waiting on each other; workers that fell asleep
// wake for the next loop; and they compute in the caller's floating-point mode (--flush-denormals).
#include <aekit/core/worker_team.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include <omp.h>
#include <xmmintrin.h>

namespace aekit {
namespace {

TEST(WorkerTeam, EveryPartRunsOnceAndOnlyPartZeroOnTheCaller) {
  for (const int n : {1, 2, 3, 5}) {
    std::vector<std::atomic<int>> runs(static_cast<size_t>(n));
    std::vector<std::thread::id> where(static_cast<size_t>(n));
    std::atomic<int> wrong_count{0};
    team_run(n, [&](int t, int threads) {
      if (threads != n) ++wrong_count;
      runs[static_cast<size_t>(t)]++;
      where[static_cast<size_t>(t)] = std::this_thread::get_id();
    });
    EXPECT_EQ(wrong_count.load(), 0) << n;
    for (int t = 0; t < n; ++t) EXPECT_EQ(runs[static_cast<size_t>(t)].load(), 1) << n << " " << t;
    EXPECT_EQ(where[0], std::this_thread::get_id());
    EXPECT_EQ(std::set<std::thread::id>(where.begin(), where.end()).size(), static_cast<size_t>(n));
  }
}

TEST(WorkerTeam, ManyShortLoopsInARowEachFinishBeforeTheCallReturns) {
  // Two threads: on a 2-core machine a third would wait for a core at every loop.
  std::vector<int64_t> part(2, 0);
  for (int64_t i = 1; i <= 5000; ++i) {
    team_run(2, [&](int t, int) { part[static_cast<size_t>(t)] += i; });
    // The call returned only after every part of this loop was done.
    ASSERT_EQ(part[1], i * (i + 1) / 2) << i;
  }
  EXPECT_EQ(part[0], part[1]);
}

TEST(WorkerTeam, WorkersThatFellAsleepWakeForTheNextLoop) {
  for (int round = 0; round < 3; ++round) {
    // Longer than the spin: the workers sleep in the kernel.
    std::this_thread::sleep_for(std::chrono::microseconds(kSpinMicroseconds) * 4);
    std::atomic<int> parts{0};
    team_run(2, [&](int, int) { ++parts; });
    EXPECT_EQ(parts.load(), 2) << round;
  }
}

TEST(WorkerTeam, NestedLoopsAndLoopsInsideAnOpenMpRegionRunOnTheirCallersThread) {
  std::atomic<int> inner_threads{0}, inner_parts{0};
  team_run(2, [&](int, int) {
    team_run(3, [&](int t, int threads) {
      inner_threads += threads;
      inner_parts += t + 1;
    });
  });
  EXPECT_EQ(inner_threads.load(), 2);  // each of the 2 outer parts ran body(0, 1)
  EXPECT_EQ(inner_parts.load(), 2);
  std::atomic<int> serial{0}, teamed{0};
  int region_threads = 0;
#pragma omp parallel num_threads(2)
  {
#pragma omp single
    region_threads = omp_get_num_threads();
    team_run(2, [&](int t, int threads) { ++(t == 0 && threads == 1 ? serial : teamed); });
  }
  EXPECT_EQ(teamed.load(), 0);
  EXPECT_EQ(serial.load(), region_threads);
}

TEST(WorkerTeam, TwoCallersAtOnceBothGetEveryPartDone) {
  constexpr int kLoops = 3000;
  std::atomic<int64_t> total{0};
  const auto caller = [&] {
    for (int i = 0; i < kLoops; ++i) team_run(2, [&](int, int threads) { total += 2 / threads; });
  };
  std::thread a(caller), b(caller);
  a.join();
  b.join();
  // Each loop adds 2 in all: two parts of 1 on the team, or one of 2 when it ran serially.
  EXPECT_EQ(total.load(), 2 * 2 * kLoops);
}

TEST(WorkerTeam, WorkersComputeInTheCallersFloatingPointMode) {
  constexpr unsigned kFlush = 0x8040;  // FTZ | DAZ
  const unsigned before = _mm_getcsr();
  for (const bool flush : {true, false}) {
    _mm_setcsr(flush ? (before | kFlush) : (before & ~kFlush));
    std::atomic<int> mismatched{0};
    team_run(3, [&](int, int) {
      if (((_mm_getcsr() & kFlush) != 0) != flush) ++mismatched;
    });
    EXPECT_EQ(mismatched.load(), 0) << flush;
  }
  _mm_setcsr(before);
}

}  // namespace
}  // namespace aekit
