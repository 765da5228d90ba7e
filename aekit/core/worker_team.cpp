#include <aekit/core/worker_team.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include <omp.h>
#include <pthread.h>
#include <xmmintrin.h>

namespace aekit::detail {

namespace {

// Returns once `word` no longer holds `old`: spins for up to kSpinMicroseconds, then sleeps.
void await_change(const std::atomic<uint32_t>& word, uint32_t old) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(kSpinMicroseconds);
  for (uint32_t i = 1;; ++i) {
    if (word.load(std::memory_order_acquire) != old) return;
    _mm_pause();
    if (i % 64 == 0 && std::chrono::steady_clock::now() > deadline) break;
  }
  while (word.load(std::memory_order_acquire) == old) word.wait(old, std::memory_order_acquire);
}

struct Job {
  void (*body)(void*, int, int) = nullptr;
  void* context = nullptr;
  int threads = 1;
  unsigned mxcsr = 0;  // the caller's (--flush-denormals sets FTZ/DAZ per thread)
};

// One worker's mailbox, on a cache line of its own: the caller writes the job, then bumps the
// generation; the worker runs part `index` of it and counts itself off in Team::pending_.
struct alignas(64) Slot {
  Job job;
  std::atomic<uint32_t> generation{0};
  bool stop = false;
};

class Team {
 public:
  static Team& instance() {
    static Team team;
    return team;
  }

  ~Team() {
    for (size_t w = 0; w < workers_.size(); ++w) {
      slots_[w]->stop = true;
      slots_[w]->generation.fetch_add(1, std::memory_order_release);
      slots_[w]->generation.notify_one();
    }
    for (std::thread& t : workers_) t.join();
  }

  // false when another thread holds the team (the caller then runs serially).
  bool try_run(int n, void (*body)(void*, int, int), void* context) {
    if (busy_.test_and_set(std::memory_order_acquire)) return false;
    while (workers_.size() + 1 < static_cast<size_t>(n)) start_worker();
    const Job job{body, context, n, _mm_getcsr()};
    pending_.store(static_cast<uint32_t>(n - 1), std::memory_order_relaxed);
    for (int w = 0; w + 1 < n; ++w) {
      Slot& slot = *slots_[static_cast<size_t>(w)];
      slot.job = job;
      slot.generation.fetch_add(1, std::memory_order_release);
      slot.generation.notify_one();  // no system call unless the worker sleeps
    }
    t_in_team_job = true;
    body(context, 0, n);
    t_in_team_job = false;
    for (uint32_t left; (left = pending_.load(std::memory_order_acquire)) != 0;) await_change(pending_, left);
    busy_.clear(std::memory_order_release);
    return true;
  }

 private:
  void start_worker() {
    const size_t index = workers_.size();
    slots_.push_back(std::make_unique<Slot>());
    Slot* slot = slots_.back().get();
    workers_.emplace_back([this, slot, index] { work(*slot, static_cast<int>(index) + 1); });
    pthread_setname_np(workers_.back().native_handle(), "aekit-worker");
  }

  void work(Slot& slot, int part) {
    uint32_t seen = 0;
    for (;;) {
      await_change(slot.generation, seen);
      seen = slot.generation.load(std::memory_order_acquire);
      if (slot.stop) return;
      const Job job = slot.job;
      if (_mm_getcsr() != job.mxcsr) _mm_setcsr(job.mxcsr);
      t_in_team_job = true;
      job.body(job.context, part, job.threads);
      t_in_team_job = false;
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
    }
  }

  std::atomic_flag busy_;
  alignas(64) std::atomic<uint32_t> pending_{0};
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<std::thread> workers_;
};

}  // namespace

void run_team(int n, void (*body)(void*, int, int), void* context) noexcept {
  if (n > 1 && !t_in_team_job && !omp_in_parallel() && Team::instance().try_run(n, body, context)) return;
  body(context, 0, 1);
}

}  // namespace aekit::detail
