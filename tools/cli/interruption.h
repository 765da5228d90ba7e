#pragma once
// Ctrl-C and SIGTERM during training: the first one asks the run to stop after the current batch
// and write a checkpoint (TrainJobHooks::stop, train/checkpoint.h); a second one ends the process
// at once, as the default handlers would. The checkpoint is written atomically, so even then the
// previous checkpoint is intact.
#include <aekit/options/train_options.h>
#include <aekit/train/trainer.h>

#include <atomic>
#include <functional>

namespace aekit::cli {

// The flag the handlers set: 0 until a signal comes, then its number.
const std::atomic<int>* stop_request();
// Installs the handlers, for the rest of the process (once training is about to start: before,
// quit_on_signals' handlers end the process).
void stop_on_signals();

// Every verb's handlers from the start (main): Ctrl-C or SIGTERM says "aekit: interrupted", removes
// the temporary file of a save in progress (the file being replaced stays as it was) and exits
// with 128 + the signal (130 for Ctrl-C), as a shell reports a process that signal ended.
void quit_on_signals();

// Runs `train`; if it was interrupted, rethrows TrainingInterrupted with the line that says where
// the checkpoint is and how to resume. The CLI's main turns it into exit code 128 + the signal
// (130 for Ctrl-C). After a run that finished, the checkpoint is of no further use: it is removed.
void with_checkpoint_messages(const TrainOptions& options, const std::function<void()>& train);

}  // namespace aekit::cli
