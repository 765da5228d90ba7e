#pragma once
// What a finished training run says about itself, from the training record stored in the model
// (train_job.cpp): the early-stopping line printed by `train` and `info`, and the closing JSON
// object of `train --json`.
#include <nlohmann/json.hpp>
#include <string>

namespace aekit::cli {

// "stopped early at epoch 9 of 50 (no validation improvement in 5 epochs); kept the weights of
// epoch 4 (validation loss 0.0123)", the same without the first half when the best epoch was kept
// without stopping early, or "" when the last epoch's weights are the model's.
std::string stopping_summary(const nlohmann::json& training);

// One object: epochs run, best epoch and its losses, early stopping, time, and the test error.
nlohmann::json training_summary_json(const nlohmann::json& training, const std::string& model_path);

}  // namespace aekit::cli
