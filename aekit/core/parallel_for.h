#pragma once
// A loop split between threads only when it is worth a parallel region. An OpenMP region whose
// `if` clause is false (or that has one thread) still builds a team of one and ends in a barrier,
// and libgomp's barrier wakes its futex with a system call: ~0.5 us a region on the 2-core VM
// (BENCHMARKS.md, "Recommender steps, twelfth session"). The seeds' recommender (one user a
// step) entered 16 such regions a step, ~10% of its step. Here the serial case
// is a plain loop on the calling thread, with no region at all; every iteration computes the same
// values either way, so results never depend on which path ran.
#include <aekit/core/part_balance.h>
#include <aekit/core/threads.h>
#include <aekit/core/worker_team.h>

#include <omp.h>

#include <chrono>
#include <cstdint>

namespace aekit {

namespace detail {
inline thread_local int t_team_threads = 0;  // 0: OpenMP regions
}  // namespace detail

// While one is alive on the calling thread, the loops below run on `threads` threads of aekit's
// worker team (worker_team.h) instead of in OpenMP regions (threads 0: in OpenMP regions). The
// trainer takes one for each step of a recommender's rating rows (BatchSource::steps_on_team):
// their loops last tens to hundreds of microseconds and a step runs several, so each region's
// passive wake-up (50-70 us on the 2-core VM) cost more than a second thread saved. Only the
// split of the iterations between threads differs, so the results do not.
class LoopsOnTeam {
 public:
  explicit LoopsOnTeam(int threads) : previous_(detail::t_team_threads) {
    detail::t_team_threads = threads < 0 ? 0 : threads;
  }
  ~LoopsOnTeam() { detail::t_team_threads = previous_; }
  LoopsOnTeam(const LoopsOnTeam&) = delete;
  LoopsOnTeam& operator=(const LoopsOnTeam&) = delete;

 private:
  int previous_;
};

// body(t, threads) once for each thread t of an OpenMP region, or of the worker team under a
// LoopsOnTeam, when `parallel`; body(0, 1) on the calling thread otherwise, and inside a part of
// a team loop (worker_team.h).
template <typename Body>
inline void parallel_parts_if(bool parallel, Body body) {
  if (!parallel || detail::t_in_team_job) return body(0, 1);
  if (detail::t_team_threads > 0) return team_run(detail::t_team_threads, body);
  if (omp_get_max_threads() == 1) return body(0, 1);
#pragma omp parallel
  body(omp_get_thread_num(), omp_get_num_threads());
}

// body(begin, end) for each thread's range of [0, total), as parallel_parts_if runs its parts. On
// the worker team the boundaries are those `balance` keeps (part_balance.h, multiples of
// `quantum`): each part is timed and the boundaries move after the loop. In OpenMP regions (the
// dense path) the split stays even: there the balanced split was no faster (MNIST b32 at 2
// threads, BENCHMARKS.md, sixteenth session). Only for bodies whose results do not depend on the split.
template <typename Body>
inline void balanced_parts_if(bool parallel, PartBalance& balance, int64_t total, int64_t quantum, Body body) {
  if (detail::t_team_threads == 0) {
    return parallel_parts_if(parallel, [&](int t, int threads) {
      const auto [begin, end] = PartBalance::even_range(t, threads, total, quantum);
      body(begin, end);
    });
  }
  int parts = 1;
  parallel_parts_if(parallel, [&](int t, int threads) {
    if (t == 0) parts = threads;  // part 0 runs on the calling thread
    const auto [begin, end] = balance.range(t, threads, total, quantum);
    const auto start = std::chrono::steady_clock::now();
    body(begin, end);
    balance.record(t, threads, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  });
  balance.rebalance(parts);
}

// body(i) for i in [0, n): shared between the threads (static schedule) when `parallel`, in order
// on the calling thread otherwise.
template <typename Body>
inline void parallel_for_if(bool parallel, int64_t n, Body body) {
  if (!parallel || detail::t_in_team_job) {
    for (int64_t i = 0; i < n; ++i) body(i);
    return;
  }
  if (detail::t_team_threads > 0) {
    return parallel_parts_if(true, [&](int t, int threads) {
      for (int64_t i = n * t / threads, end = n * (t + 1) / threads; i < end; ++i) body(i);
    });
  }
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) body(i);
}

// body(j0, j1) over columns [0, width): each thread takes its own cache-line-aligned share of the
// columns (threads.h) when `parallel`, the calling thread all of them otherwise. For loops whose
// rows add into the same output row, so the threads split the width instead of the rows.
template <typename Body>
inline void split_width_if(bool parallel, int64_t width, Body body) {
  parallel_parts_if(parallel, [&](int t, int threads) {
    const auto [j0, j1] = cache_line_share(width, t, threads);
    body(j0, j1);
  });
}

}  // namespace aekit
