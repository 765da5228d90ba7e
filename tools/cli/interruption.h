#pragma once
// Ctrl-C and SIGTERM during training: the first one asks the run to stop after the current batch
// and write a checkpoint (TrainJobHooks::stop, train/checkpoint.h); a second one ends the process
// at once. The checkpoint is written atomically, so even then the previous checkpoint is intact.
#include <aekit/options/train_options.h>
#include <aekit/train/trainer.h>

#include <atomic>
#include <functional>

namespace aekit::cli {

// The flag the signal thread sets: 0 until a signal comes during training, then its number.
const std::atomic<int>* stop_request();
// From here on (training is about to start) the first Ctrl-C or SIGTERM asks the run to stop
// after the current batch (hooks.stop); before, and for a second one, quit_on_signals' rule holds.
void stop_on_signals();

// Every verb, from the start of main(): SIGINT and SIGTERM are blocked in all threads (from before
// the libraries' constructors run, so threads they start inherit it) and taken by
// one thread with sigwait() (no signal ever interrupts computing code). A signal says "aekit:
// interrupted" ("terminated" for SIGTERM), removes the temporary file of a save in progress (the
// file being replaced stays as it was) and exits with 128 + the signal (130 for Ctrl-C), as a
// shell reports a process that signal ended.
void quit_on_signals();

// Runs `train`; if it was interrupted, rethrows TrainingInterrupted with the line that says where
// the checkpoint is and how to resume. The CLI's main turns it into exit code 128 + the signal
// (130 for Ctrl-C). After a run that finished, the checkpoint is of no further use: it is removed.
void with_checkpoint_messages(const TrainOptions& options, const std::function<void()>& train);

}  // namespace aekit::cli
