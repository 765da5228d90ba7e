#pragma once
// aekit's own team of worker threads for the short parallel loops of a recommender step, which
// waits for its next loop by spinning briefly before it sleeps.
//
// Why not OpenMP there: aekit runs libgomp with OMP_WAIT_POLICY=passive (tools/cli/
// openmp_waiting.cpp: spinning at barriers ruins a run on a machine with another busy process),
// so a thread sleeps in the kernel at the end of every region and the next region pays its
// wake-up. On the 2-core VM that wake-up costs 50-70 us (AdamW over I-AutoRec's 672,171 weights:
// 365 us a step on one thread, 184 us on two with libgomp spinning, 257 us on two waiting
// passively), and an I-AutoRec b64 step runs about six regions in 580 us: with passive waiting two
// threads were slower than one. A worker here spins for up to kSpinMicroseconds for the next loop
// (the serial gaps inside a step are a few microseconds) and only then sleeps, so it never spins
// longer than that for a partner descheduled on a busy machine; the trainer's StepThreads
// (step_threads.h) then finds one thread faster and leaves the workers asleep.
//
// Loops given to the team must be leaves: they must not start OpenMP regions or team loops of
// their own (a nested call runs serially, as a nested OpenMP region would). A loop must not throw:
// as from an OpenMP region, an exception ends the program (run_team is noexcept).
#include <cstdint>
#include <type_traits>

namespace aekit {

inline constexpr int kSpinMicroseconds = 50;

namespace detail {
// True on a thread while it runs a part of a team loop (the caller's part 0 included): loops
// started there run serially (parallel_for.h), never in an OpenMP region of a worker's own.
inline thread_local bool t_in_team_job = false;

// body(context, t, n) for t in [0, n): t = 0 on the calling thread, the others on the team's
// workers; returns when every part has finished.
void run_team(int n, void (*body)(void*, int, int), void* context) noexcept;
}  // namespace detail

// body(t, n) for every t in [0, n), n = threads: part 0 on the calling thread, the rest on the
// team's workers (started on first use, kept for the process's life). With threads <= 1, inside
// another team loop or inside an OpenMP region, body(0, 1) on the calling thread instead.
template <typename Body>
void team_run(int threads, Body&& body) {
  auto call = [](void* context, int t, int n) { (*static_cast<std::remove_reference_t<Body>*>(context))(t, n); };
  detail::run_team(threads, call, const_cast<void*>(static_cast<const void*>(&body)));
}

}  // namespace aekit
