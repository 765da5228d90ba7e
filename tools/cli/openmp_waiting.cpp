// libgomp's default is to spin for about 300,000 iterations (a few milliseconds) at every barrier
// before sleeping. On a 2-core machine shared with another busy process that is ruinous: a thread
// that reaches the barrier first burns its core while its partner, descheduled, cannot finish;
// a 2-thread epoch spent 89.6% of its samples spinning and ran 3x slower than 1 thread. Passive
// waiting (no spin) pays a futex wake-up for each of the ~20 parallel regions of a batch, but
// measured with another process on one of the 2 cores (MNIST autoencoder, batch 256, 2 threads,
// s/epoch): libgomp's default 1.3-2.1, GOMP_SPINCOUNT=10000 2.0-2.3, passive 0.51 (1 thread:
// 0.47-0.54). A short spin was the worst of the three, so aekit waits passively.
//
// libgomp reads the policy from the environment once, in its ELF constructor, before main() runs,
// so the program sets OMP_WAIT_POLICY and execs itself. That happens in a function of the
// executable's .preinit_array, which the dynamic loader calls before any library's constructor, so
// linking this file is all a program needs (the benchmarks in bench/ do). The environment cannot
// simply be set there instead of the exec: libc's own initialisation, which runs later, puts back
// the environment the process started with. The exec costs the loading of the program and its
// libraries a second time: `perf stat -e task-clock aekit --version` 70.7 ms, 43.8 ms with
// OMP_WAIT_POLICY already set (no exec needed).
#include "openmp_waiting.h"

#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace aekit::cli {

namespace {

constexpr const char* kMarker = "AEKIT_WAIT_POLICY_SET";  // set when aekit chose the policy

bool has_variable(char** envp, const char* name) {
  const size_t length = std::strlen(name);
  for (char** e = envp; e && *e; ++e)
    if (std::strncmp(*e, name, length) == 0 && (*e)[length] == '=') return true;
  return false;
}

// Runs before libc is fully set up (getenv and setenv do not work yet): reads envp directly and
// hands execve a new array. Returns only when no exec is needed or it failed (then the libraries'
// defaults stay).
void exec_with_passive_waiting(int, char** argv, char** envp) {
  static char policy[] = "OMP_WAIT_POLICY=passive";
  static char marker[] = "AEKIT_WAIT_POLICY_SET=1";
  // OpenBLAS (LAPACK for PCA and EASE) starts its worker threads when it is loaded, and each
  // spins in sched_yield() for 2^28 cycles (about 0.1 s) after every call before it sleeps: at
  // start-up that burnt a core and made the default thread count see a busy machine. 2^4 cycles,
  // OpenBLAS's smallest timeout, makes its workers wait passively too.
  static char blas_timeout[] = "OPENBLAS_THREAD_TIMEOUT=4";
  char* added[3];
  size_t adding = 0;
  if (!has_variable(envp, "OMP_WAIT_POLICY") && !has_variable(envp, "GOMP_SPINCOUNT")) {
    added[adding++] = policy;
    added[adding++] = marker;
  }
  if (!has_variable(envp, "OPENBLAS_THREAD_TIMEOUT") && !has_variable(envp, "GOTO_THREAD_TIMEOUT"))
    added[adding++] = blas_timeout;
  if (adding == 0) return;
  size_t count = 0;
  while (envp && envp[count]) ++count;
  char** env = static_cast<char**>(std::malloc((count + adding + 1) * sizeof(char*)));
  if (!env) return;
  for (size_t i = 0; i < count; ++i) env[i] = envp[i];
  for (size_t i = 0; i < adding; ++i) env[count + i] = added[i];
  env[count + adding] = nullptr;
  execve("/proc/self/exe", argv, env);
  std::free(env);
}

[[gnu::section(".preinit_array"), gnu::used]] void (*g_exec_with_passive_waiting)(int, char**, char**) =
    exec_with_passive_waiting;

}  // namespace

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
