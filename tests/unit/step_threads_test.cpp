// StepThreads (core/step_threads.h): steps run at the most threads until a probe of one thread is
// a tenth faster; a probe that loses doubles the wait for the next, up to the longest window, and
// a switch starts again from the first; a new thread count starts over.
#include <aekit/core/step_threads.h>
#include <gtest/gtest.h>

#include <functional>
#include <vector>

namespace aekit {
namespace {

// The counts of `steps` steps, each taking seconds(count) x `unit` (0.1 ms: short steps, whose
// probes run all of kProbeSteps).
std::vector<int> run(StepThreads& tuner, int most, int steps, const std::function<double(int)>& seconds,
                     double unit = 1e-4) {
  std::vector<int> counts;
  for (int i = 0; i < steps; ++i) {
    const int n = tuner.next(most);
    counts.push_back(n);
    tuner.took(seconds(n) * unit);
  }
  return counts;
}

int ones(const std::vector<int>& counts, size_t from, size_t to) {
  int n = 0;
  for (size_t i = from; i < to && i < counts.size(); ++i) n += counts[i] == 1;
  return n;
}

// A probe: one step that wakes the workers and is not counted, then kProbeSteps that are.
constexpr int kProbe = StepThreads::kProbeSteps + 1, kFirst = StepThreads::kFirstWindow;

TEST(StepThreads, OneThreadNeverProbes) {
  StepThreads tuner;
  for (const int n : run(tuner, 1, 500, [](int) { return 1.0; })) EXPECT_EQ(n, 1);
}

TEST(StepThreads, WhenTheMostIsFasterProbesOfOneGetRarer) {
  StepThreads tuner;
  const auto counts = run(tuner, 2, 4000, [](int n) { return n == 2 ? 1.0 : 1.5; });
  // A window of 32, a probe, then windows of 64, 128, ... each followed by a probe.
  for (int i = 0; i < kFirst; ++i) EXPECT_EQ(counts[static_cast<size_t>(i)], 2) << i;
  EXPECT_EQ(ones(counts, kFirst, kFirst + kProbe), kProbe);
  const size_t second = kFirst + kProbe + 2 * kFirst;
  EXPECT_EQ(ones(counts, kFirst + kProbe, second), 0);
  EXPECT_EQ(ones(counts, second, second + kProbe), kProbe);
  // The window stops doubling at the longest: 8 ones in every 1,032 steps from then on.
  int probes = 0;
  for (size_t i = 1; i < counts.size(); ++i) probes += counts[i] == 1 && counts[i - 1] == 2;
  EXPECT_EQ(probes, 7);  // after windows of 32, 64, 128, 256, 512, 1024 and 1024 steps, with probes: 3,159
}

TEST(StepThreads, SwitchesToOneThreadWhenItIsATenthFasterAndBackWhenTheMostIs) {
  StepThreads tuner;
  bool most_slow = true;
  std::vector<int> counts;
  for (int i = 0; i < 400; ++i) {
    if (i == 200) most_slow = false;
    const int n = tuner.next(2);
    counts.push_back(n);
    tuner.took(1e-4 * (n == 1 ? 1.0 : (most_slow ? 1.2 : 0.5)));
  }
  // Switched after the first probe: one thread from step 32 on, a window of 32 at one thread.
  EXPECT_EQ(ones(counts, kFirst, kFirst + kProbe), kProbe);
  EXPECT_EQ(ones(counts, kFirst + kProbe, 2 * kFirst + kProbe), kFirst);
  // The probes of two lost while two were slower (windows of 32, 64 and 128 steps at one thread
  // after them); the one after step 200, at steps 307-323, won: two threads from step 307 on, until
  // a probe of one at steps 356-372.
  EXPECT_EQ(ones(counts, kFirst, 300), 300 - kFirst - 2 * kProbe);  // two probes of two
  EXPECT_EQ(ones(counts, 307, 356), 0);
  EXPECT_EQ(ones(counts, 356, 356 + kProbe), kProbe);
  // Not a tenth faster: no switch.
  StepThreads close;
  const auto kept = run(close, 2, 200, [](int n) { return n == 1 ? 0.95 : 1.0; });
  EXPECT_EQ(ones(kept, kFirst + kProbe, kFirst + kProbe + 2 * kFirst), 0);
}

// Steps of 30 ms at the most threads and 50 at one (Mult-VAE's): a probe is the uncounted step
// and kShortestProbe counted ones, and it loses.
TEST(StepThreads, ProbesOfLongStepsAreShort) {
  StepThreads tuner;
  const auto counts = run(tuner, 2, 200, [](int n) { return n == 2 ? 0.03 : 0.05; }, 1.0);
  constexpr int kShort = StepThreads::kShortestProbe + 1;
  EXPECT_EQ(ones(counts, 0, kFirst), 0);
  EXPECT_EQ(ones(counts, kFirst, kFirst + kShort), kShort);
  EXPECT_EQ(ones(counts, kFirst + kShort, kFirst + kShort + 2 * kFirst), 0);
  EXPECT_EQ(ones(counts, 0, 200), 2 * kShort);  // windows of 32 and 64, each followed by a probe
  // And one that wins switches, as a full probe would.
  StepThreads slow_most;
  const auto switched = run(slow_most, 2, 100, [](int n) { return n == 2 ? 0.05 : 0.03; }, 1.0);
  EXPECT_EQ(ones(switched, kFirst + kShort, kFirst + kShort + kFirst), kFirst);
}

TEST(StepThreads, ANewThreadCountStartsOver) {
  StepThreads tuner;
  run(tuner, 2, 100, [](int n) { return n == 1 ? 1.0 : 2.0; });  // now on one thread
  const auto counts = run(tuner, 3, kFirst, [](int) { return 1.0; });
  for (const int n : counts) EXPECT_EQ(n, 3);
}

}  // namespace
}  // namespace aekit
