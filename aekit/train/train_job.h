#pragma once
// One complete training run as `aekit train` and `aekit demo` do it: load the data, fit the
// preprocessing, build the network, train, evaluate on the test set and describe the result.
// Saving is left to the caller so that nothing is written before training succeeds.
#include <aekit/core/thread_choice.h>
#include <aekit/data/dataset.h>
#include <aekit/models/trained_model.h>
#include <aekit/options/train_options.h>
#include <aekit/train/trainer.h>

#include <atomic>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace aekit {

struct TrainJobResult {
  TrainedModel model;
  TrainResult history;
  int64_t train_rows = 0;
  int64_t features = 0;
  double test_mse_per_element = std::nan("");  // in the model's (preprocessed) space
  double test_loss = std::nan("");
  // Lines for the user about settings that train but work against themselves (output_range.h).
  std::vector<std::string> warnings;
  ThreadChoice threads;  // the thread count training ran with, and why
};

struct TrainJobHooks {
  // Called once the data is loaded, the network built and the thread count set, before the
  // first epoch.
  std::function<void(const Dataset& data, Autoencoder& network, const ThreadChoice& threads)> on_start;
  TrainObserver* observer = nullptr;
  // Called with each warning as it is found, before the first epoch or after the last (also kept
  // in the result; train/output_range.h, train/wasted_run.h).
  std::function<void(const std::string& warning)> on_warning;
  // Called with a line of progress outside the epochs: the defaults that followed the data
  // (train/data_defaults.h), each pretrained layer.
  std::function<void(const std::string& line)> on_note;
  // Set to a signal's number (by the CLI's handler) to stop after the current batch with a
  // checkpoint (TrainingInterrupted; see train/checkpoint.h).
  const std::atomic<int>* stop = nullptr;
};

TrainJobResult run_train_job(TrainOptions options, const TrainJobHooks& hooks = {});

// Mean squared error per element between the model's reconstruction of x and x.
double reconstruction_mse(Autoencoder& network, ConstMatrixView x);

}  // namespace aekit
