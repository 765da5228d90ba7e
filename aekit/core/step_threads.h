#pragma once
// How many of the team's threads (worker_team.h) a training step uses, chosen by timing steps:
// the most it may use, or one. For steps whose results do not depend on the thread count (the
// recommender's sparse step: every value is computed by one thread in a fixed order), so the
// count can change from step to step without changing a bit.
//
// Why time instead of deciding once: on the shared 2-core VM the same I-AutoRec b64 step took
// 0.44 ms on two threads and 0.58 ms on one, and minutes later 1.5 ms on two and still 0.58 ms on
// one. Two processes ran at full speed side by side all along; what changed was the round trip of
// a cache line between the two vCPUs (72 ns, then 360 ns: the host had moved them apart), and two
// threads of one step pass the weights' lines between them every step. A busy machine does the
// same to a second thread. So the step runs at the count that has been faster lately: every
// `window` steps it tries the other count for 1 + kProbeSteps steps and keeps whichever was
// faster per step (the window's last 32 steps against the probe's last kProbeSteps). A probe
// that loses doubles the window (up to kLongestWindow), so a count that stays worse costs
// little, and a switch sets it back to kFirstWindow.
#include <cstdint>

namespace aekit {

class StepThreads {
 public:
  static constexpr int kProbeSteps = 16;  // counted, after one step that is not
  // A probe of long steps ends sooner: once at least kShortestProbe counted steps took
  // kProbeSeconds. A Mult-VAE step is ~30 ms on two threads and ~50 on one; sixteen of them at the
  // slower count made a probe cost 0.3 s, most of an epoch.
  static constexpr int kShortestProbe = 2;
  static constexpr double kProbeSeconds = 0.01;
  static constexpr int kFirstWindow = 32;
  static constexpr int kLongestWindow = 1024;

  // The count for the next step, at most `most` (the run's thread count).
  int next(int most);
  // The seconds the step run at next()'s count took.
  void took(double seconds);

 private:
  // The window's last kTailSteps steps are what a probe is compared with.
  static constexpr int kTailSteps = 32;

  int most_ = 0;
  int current_ = 0;  // the count outside a probe
  int window_ = kFirstWindow;
  int steps_ = 0;  // steps into the window, or into the probe
  bool probing_ = false;
  double tail_seconds_ = 0.0, probe_seconds_ = 0.0;
  int tail_steps_ = 0;
};

}  // namespace aekit
