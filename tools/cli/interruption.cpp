#include "interruption.h"

#include <aekit/data/atomic_file.h>
#include <aekit/train/checkpoint.h>

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace aekit::cli {

namespace {

std::atomic<int> g_stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "set from a signal handler");

void request_stop(int signal) { g_stop_signal.store(signal); }

void quit(int signal) {
  remove_file_being_written();
  static constexpr char kInterrupt[] = "\naekit: interrupted\n";
  static constexpr char kTerminate[] = "\naekit: terminated\n";
  const bool interrupt = signal == SIGINT;
  // write(2) and _exit(2) only: a handler may run in the middle of malloc or stdio.
  [[maybe_unused]] const ssize_t ignored =
      ::write(STDERR_FILENO, interrupt ? kInterrupt : kTerminate, interrupt ? sizeof kInterrupt - 1 : sizeof kTerminate - 1);
  ::_exit(128 + signal);
}

void install(void (*handler)(int), int flags) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = flags;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

}  // namespace

const std::atomic<int>* stop_request() { return &g_stop_signal; }

void stop_on_signals() {
  install(request_stop, SA_RESETHAND | SA_RESTART);  // the second signal gets the default action
}

void quit_on_signals() { install(quit, 0); }

void with_checkpoint_messages(const TrainOptions& options, const std::function<void()>& train) {
  const std::string path = checkpoint_path(options);
  try {
    train();
  } catch (const TrainingInterrupted& e) {
    throw TrainingInterrupted(std::string(e.what()) + "; checkpoint written to " + path +
                                  "; to continue, run the same command with --resume " + path,
                              e.signal());
  }
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}

}  // namespace aekit::cli
