// libgomp's default is to spin for about 300,000 iterations (a few milliseconds) at every barrier
// before sleeping. On a 2-core machine shared with another busy process that is ruinous: a thread
// that reaches the barrier first burns its core while its partner, descheduled, cannot finish;
// a 2-thread epoch spent 89.6% of its samples spinning and ran 3x slower than 1 thread. Passive
// waiting (no spin) pays a futex wake-up for each of the ~20 parallel regions of a batch, but
// measured with another process on one of the 2 cores (MNIST autoencoder, batch 256, 2 threads,
// s/epoch): libgomp's default 1.3-2.1, GOMP_SPINCOUNT=10000 2.0-2.3, passive 0.51 (1 thread:
// 0.47-0.54). A short spin was the worst of the three, so aekit waits passively.
#include "openmp_waiting.h"

#include <cstdlib>
#include <unistd.h>

namespace aekit::cli {

namespace {
constexpr const char* kMarker = "AEKIT_WAIT_POLICY_SET";  // set when aekit chose the policy
}  // namespace

void bound_openmp_spinning(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") || std::getenv("GOMP_SPINCOUNT")) return;
  if (setenv("OMP_WAIT_POLICY", kDefaultWaitPolicy, 1) != 0 || setenv(kMarker, "1", 1) != 0) return;
  execv("/proc/self/exe", argv);
  // exec failed (no /proc): carry on with libgomp's default rather than not at all.
  unsetenv("OMP_WAIT_POLICY");
  unsetenv(kMarker);
}

std::string openmp_waiting_description() {
  const char* policy = std::getenv("OMP_WAIT_POLICY");
  const char* spin = std::getenv("GOMP_SPINCOUNT");
  if (policy && std::getenv(kMarker)) return std::string("OMP_WAIT_POLICY=") + policy + " (aekit's default)";
  std::string text;
  if (policy) text += std::string("OMP_WAIT_POLICY=") + policy;
  if (spin) text += std::string(text.empty() ? "" : ", ") + "GOMP_SPINCOUNT=" + spin;
  return text.empty() ? "libgomp's default spinning" : text + " (from the environment)";
}

}  // namespace aekit::cli
