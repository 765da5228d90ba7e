#include "interruption.h"

#include <aekit/data/atomic_file.h>
#include <aekit/train/checkpoint.h>

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string_view>
#include <thread>

namespace aekit::cli {

namespace {

// Signals are never delivered to a computing thread. With a handler run on the training thread,
// CI twice saw "corrupted size vs. prev_size" in dnnl_sgemm's free in the batch after a Ctrl-C
// (reproduced here under load, about one run in ten; a core dump showed nothing else in flight):
// the likely cause is the signal frame pushed onto that thread in the middle of oneDNN's sgemm.
// So SIGINT and SIGTERM stay blocked in every thread, and one thread takes them with sigwait(),
// which pushes no frame anywhere: the first, during training, asks the run to stop after its
// batch; any other ends the process.
std::atomic<int> g_stop_signal{0};
std::atomic<bool> g_training{false};  // stop_on_signals() was called: the first signal stops

void quit(int signal) {
  remove_file_being_written();
  // write(2), not stdio: the training thread may hold stderr's lock, and is not waited for.
  const std::string_view line = signal == SIGINT ? "\naekit: interrupted\n" : "\naekit: terminated\n";
  [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  ::_exit(128 + signal);
}

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

void take_signals() {
  const sigset_t set = stop_signals();
  for (;;) {
    int signal = 0;
    if (sigwait(&set, &signal) != 0) continue;
    int none = 0;
    if (g_training.load() && g_stop_signal.compare_exchange_strong(none, signal)) continue;
    quit(signal);
  }
}

// Blocked before any shared library's constructor runs (an executable's .preinit_array runs
// first), so threads that libraries start while they load (OpenBLAS starts one) inherit the mask.
void block_stop_signals(int, char**, char**) {
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}
[[gnu::section(".preinit_array"), gnu::used]] void (*g_block_stop_signals)(int, char**, char**) = block_stop_signals;

// Should a thread still have them unblocked (a library loaded in some way that escapes the above),
// one delivered there is passed on to the signal thread.
pthread_t g_signal_thread;
void pass_on(int signal) { pthread_kill(g_signal_thread, signal); }

}  // namespace

const std::atomic<int>* stop_request() { return &g_stop_signal; }

void quit_on_signals() {
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // before the thread starts: it and all later threads inherit it
  std::thread taker(take_signals);
  g_signal_thread = taker.native_handle();
  taker.detach();
  struct sigaction action {};
  action.sa_handler = pass_on;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void stop_on_signals() { g_training.store(true); }

void with_checkpoint_messages(const TrainOptions& options, const std::function<void()>& train) {
  const std::string path = checkpoint_path(options);
  try {
    train();
  } catch (const TrainingInterrupted& e) {
    // A recommender's --refit phase writes no checkpoint (recommender_job.h): say so unless an
    // earlier one of the same run is there to resume from (it resumes before the refit).
    if (!std::filesystem::exists(path))
      throw TrainingInterrupted(std::string(e.what()) + "; no checkpoint was written: run the command again", e.signal());
    throw TrainingInterrupted(std::string(e.what()) + "; checkpoint written to " + path +
                                  "; to continue, run the same command with --resume " + path,
                              e.signal());
  }
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}

}  // namespace aekit::cli
