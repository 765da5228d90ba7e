// StepThreads (core/step_threads.h): steps run at the most threads until a probe of one thread is
// a tenth faster; a probe that loses doubles the wait for the next, up to the longest window, and
// a switch starts again from the first; a new thread count starts over.
#include <aekit/core/step_threads.h>
#include <gtest/gtest.h>

#include <functional>
#include <vector>

namespace aekit {
namespace {

// The counts of `steps` steps, each taking seconds(count).
std::vector<int> run(StepThreads& tuner, int most, int steps, const std::function<double(int)>& seconds) {
  std::vector<int> counts;
  for (int i = 0; i < steps; ++i) {
    const int n = tuner.next(most);
    counts.push_back(n);
    tuner.took(seconds(n));
  }
  return counts;
}

int ones(const std::vector<int>& counts, size_t from, size_t to) {
  int n = 0;
  for (size_t i = from; i < to && i < counts.size(); ++i) n += counts[i] == 1;
  return n;
}

constexpr int kProbe = StepThreads::kProbeSteps, kFirst = StepThreads::kFirstWindow;

TEST(StepThreads, OneThreadNeverProbes) {
  StepThreads tuner;
  for (const int n : run(tuner, 1, 500, [](int) { return 1.0; })) EXPECT_EQ(n, 1);
}

TEST(StepThreads, WhenTheMostIsFasterProbesOfOneGetRarer) {
  StepThreads tuner;
  const auto counts = run(tuner, 2, 4000, [](int n) { return n == 2 ? 1.0 : 1.5; });
  // A window of 32, a probe, then windows of 64, 128, ... each followed by a probe of 8.
  for (int i = 0; i < kFirst; ++i) EXPECT_EQ(counts[static_cast<size_t>(i)], 2) << i;
  EXPECT_EQ(ones(counts, kFirst, kFirst + kProbe), kProbe);
  const size_t second = kFirst + kProbe + 2 * kFirst;
  EXPECT_EQ(ones(counts, kFirst + kProbe, second), 0);
  EXPECT_EQ(ones(counts, second, second + kProbe), kProbe);
  // The window stops doubling at the longest: 8 ones in every 1,032 steps from then on.
  int probes = 0;
  for (size_t i = 1; i < counts.size(); ++i) probes += counts[i] == 1 && counts[i - 1] == 2;
  EXPECT_EQ(probes, 7);  // after windows of 32, 64, 128, 256, 512, 1024 and 1024 steps: 3,096 steps
}

TEST(StepThreads, SwitchesToOneThreadWhenItIsATenthFasterAndBackWhenTheMostIs) {
  StepThreads tuner;
  bool most_slow = true;
  std::vector<int> counts;
  for (int i = 0; i < 400; ++i) {
    if (i == 200) most_slow = false;
    const int n = tuner.next(2);
    counts.push_back(n);
    tuner.took(n == 1 ? 1.0 : (most_slow ? 1.2 : 0.5));
  }
  // Switched after the first probe: one thread from step 32 on, probing 2 in short windows.
  EXPECT_EQ(ones(counts, kFirst, kFirst + kProbe), kProbe);
  EXPECT_GT(ones(counts, kFirst, 200), 150);
  // The probes of two lost (windows of 32, 64, 128 steps at one thread, from step 40), until the
  // one after step 200, at steps 280-287, won: two threads again from step 288, with probes of one.
  EXPECT_EQ(ones(counts, 280, 288), 0);
  EXPECT_EQ(ones(counts, 288, 320), 0);
  EXPECT_EQ(ones(counts, 300, 400), 2 * kProbe);
  // Not a tenth faster: no switch.
  StepThreads close;
  const auto kept = run(close, 2, 200, [](int n) { return n == 1 ? 0.95 : 1.0; });
  EXPECT_EQ(ones(kept, kFirst + kProbe, kFirst + kProbe + 2 * kFirst), 0);
}

TEST(StepThreads, ANewThreadCountStartsOver) {
  StepThreads tuner;
  run(tuner, 2, 100, [](int n) { return n == 1 ? 1.0 : 2.0; });  // now on one thread
  const auto counts = run(tuner, 3, kFirst, [](int) { return 1.0; });
  for (const int n : counts) EXPECT_EQ(n, 3);
}

}  // namespace
}  // namespace aekit
