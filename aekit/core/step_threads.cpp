#include <aekit/core/step_threads.h>

#include <algorithm>

namespace aekit {

int StepThreads::next(int most) {
  if (most != most_) {  // a new run, or a new thread count: start again from the most
    *this = StepThreads{};
    most_ = most;
    current_ = most;
  }
  if (most_ <= 1) return 1;
  const int other = current_ == 1 ? most_ : 1;
  return probing_ ? other : current_;
}

void StepThreads::took(double seconds) {
  if (most_ <= 1) return;
  ++steps_;
  if (!probing_) {
    if (steps_ > window_ - kTailSteps) {
      tail_seconds_ += seconds;
      ++tail_steps_;
    }
    if (steps_ >= window_) {
      probing_ = true;
      steps_ = 0;
      probe_seconds_ = 0.0;
    }
    return;
  }
  // The probe's first step is not counted: it wakes the team's workers, asleep since the last
  // step that used them (50-70 us on the VM, more than a whole step of the seeds' network).
  if (steps_ > 1) probe_seconds_ += seconds;
  const int counted = steps_ - 1;
  if (counted < kProbeSteps && (counted < kShortestProbe || probe_seconds_ < kProbeSeconds)) return;
  // A tenth faster to switch: the batches differ in size, and a probe is a few of them.
  const bool faster = probe_seconds_ / counted < 0.9 * tail_seconds_ / std::max(tail_steps_, 1);
  if (faster) current_ = current_ == 1 ? most_ : 1;
  window_ = faster ? kFirstWindow : std::min(2 * window_, kLongestWindow);
  probing_ = false;
  steps_ = 0;
  tail_seconds_ = 0.0;
  tail_steps_ = 0;
}

}  // namespace aekit
