#include "interruption.h"

#include <aekit/train/checkpoint.h>

#include <signal.h>

#include <cstdio>
#include <filesystem>

namespace aekit::cli {

namespace {

std::atomic<int> g_stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "set from a signal handler");

void request_stop(int signal) { g_stop_signal.store(signal); }

}  // namespace

const std::atomic<int>* stop_request() { return &g_stop_signal; }

void stop_on_signals() {
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND | SA_RESTART;  // the second signal gets the default action
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

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
