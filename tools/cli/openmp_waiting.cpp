// libgomp's default is to spin for about 300,000 iterations (a few milliseconds) at every barrier
// before sleeping. On a 2-core machine shared with another busy process that is ruinous: a thread
// that reaches the barrier first burns its core while its partner, descheduled, cannot finish;
// a 2-thread epoch spent 89.6% of its samples spinning and ran 3x slower than 1 thread. Passive
// waiting (no spin) fixes that but pays a futex wake-up for every one of the ~20 parallel regions
// of a training batch. A short spin keeps the back-to-back regions of one batch cheap and gives
// the core away quickly when the partner is late.
#include "openmp_waiting.h"

#include <cstdlib>
#include <unistd.h>

namespace aekit::cli {

namespace {
constexpr const char* kMarker = "AEKIT_SPINCOUNT_SET";  // set when aekit chose the spin count
}  // namespace

void bound_openmp_spinning(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") || std::getenv("GOMP_SPINCOUNT")) return;
  if (setenv("GOMP_SPINCOUNT", kDefaultSpinCount, 1) != 0 || setenv(kMarker, "1", 1) != 0) return;
  execv("/proc/self/exe", argv);
  // exec failed (no /proc): carry on with libgomp's default spinning rather than not at all.
  unsetenv("GOMP_SPINCOUNT");
  unsetenv(kMarker);
}

std::string openmp_waiting_description() {
  const char* policy = std::getenv("OMP_WAIT_POLICY");
  const char* spin = std::getenv("GOMP_SPINCOUNT");
  if (spin && std::getenv(kMarker)) return std::string("GOMP_SPINCOUNT=") + spin + " (aekit's default)";
  std::string text;
  if (policy) text += std::string("OMP_WAIT_POLICY=") + policy;
  if (spin) text += std::string(text.empty() ? "" : ", ") + "GOMP_SPINCOUNT=" + spin;
  return text.empty() ? "libgomp's default spinning" : text + " (from the environment)";
}

}  // namespace aekit::cli
