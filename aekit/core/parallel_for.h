#pragma once
// A loop split between threads only when it is worth a parallel region. An OpenMP region whose
// `if` clause is false (or that has one thread) still builds a team of one and ends in a barrier,
// and libgomp's barrier wakes its futex with a system call: ~0.5 us a region on the 2-core VM
// (BENCHMARKS.md, "Recommender steps, twelfth session"). The seeds' recommender (one user a
// step) entered 16 such regions a step, ~10% of its step. Here the serial case
// is a plain loop on the calling thread, with no region at all; every iteration computes the same
// values either way, so results never depend on which path ran.
#include <aekit/core/threads.h>

#include <omp.h>

#include <cstdint>

namespace aekit {

// body(i) for i in [0, n): shared between the threads (static schedule) when `parallel`, in order
// on the calling thread otherwise.
template <typename Body>
inline void parallel_for_if(bool parallel, int64_t n, Body body) {
  if (!parallel) {
    for (int64_t i = 0; i < n; ++i) body(i);
    return;
  }
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) body(i);
}

// body(j0, j1) over columns [0, width): each thread takes its own cache-line-aligned share of the
// columns (threads.h) when `parallel`, the calling thread all of them otherwise. For loops whose
// rows add into the same output row, so the threads split the width instead of the rows.
template <typename Body>
inline void split_width_if(bool parallel, int64_t width, Body body) {
  if (!parallel || omp_get_max_threads() == 1) {
    body(int64_t{0}, width);
    return;
  }
#pragma omp parallel
  {
    const auto [j0, j1] = cache_line_share(width, omp_get_thread_num(), omp_get_num_threads());
    body(j0, j1);
  }
}

}  // namespace aekit
