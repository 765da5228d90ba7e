#include "training_summary.h"

#include <cstdio>

namespace aekit::cli {

namespace {

// The history row of 1-based `epoch`, or null.
const nlohmann::json* epoch_row(const nlohmann::json& training, int epoch) {
  const auto it = training.find("history");
  if (it == training.end() || !it->is_array()) return nullptr;
  for (const nlohmann::json& row : *it)
    if (row.value("epoch", 0) == epoch) return &row;
  return nullptr;
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

std::string setting(const nlohmann::json& training, const char* name) {
  const auto settings = training.find("settings");
  if (settings == training.end() || !settings->is_object()) return "";
  const auto it = settings->find(name);
  return it != settings->end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

std::string stopping_summary(const nlohmann::json& training) {
  if (!training.is_object() || !training.contains("history") || !training["history"].is_array()) return "";
  const int epochs_run = static_cast<int>(training["history"].size());
  const int best = training.value("best_epoch", epochs_run);
  const bool stopped_early = training.value("stopped_early", false);
  if (!stopped_early && best == epochs_run) return "";
  // The loss the run monitored: validation when it had a validation split, else training.
  const nlohmann::json* best_row = epoch_row(training, best);
  const bool validated = best_row && best_row->contains("val_loss");
  std::string line;
  if (stopped_early) {
    line = "stopped early at epoch " + std::to_string(epochs_run);
    if (const std::string epochs = setting(training, "epochs"); !epochs.empty()) line += " of " + epochs;
    if (const std::string patience = setting(training, "patience"); !patience.empty())
      line += std::string(" (no ") + (validated ? "validation" : "training") + " loss improvement in " + patience +
              " epochs)";
    line += "; ";
  }
  line += "kept the weights of epoch " + std::to_string(best);
  if (best_row)
    line += validated ? " (validation loss " + number(best_row->value("val_loss", 0.0)) + ")"
                      : " (training loss " + number(best_row->value("train_loss", 0.0)) + ")";
  if (!stopped_early) line += ", the best, not the last";
  return line;
}

nlohmann::json training_summary_json(const nlohmann::json& training, const std::string& model_path) {
  nlohmann::json summary{{"model", model_path}};
  const nlohmann::json history = training.value("history", nlohmann::json::array());
  double seconds = 0;
  for (const nlohmann::json& row : history) seconds += row.value("seconds", 0.0);
  summary["epochs_run"] = history.size();
  summary["seconds"] = seconds;
  summary["stopped_early"] = training.value("stopped_early", false);
  const int best = training.value("best_epoch", static_cast<int>(history.size()));
  summary["best_epoch"] = best;
  if (!history.empty()) summary["final_train_loss"] = history.back().value("train_loss", 0.0);
  if (const nlohmann::json* row = epoch_row(training, best)) {
    summary["best_train_loss"] = row->value("train_loss", 0.0);
    if (row->contains("val_loss")) summary["best_val_loss"] = row->value("val_loss", 0.0);
  }
  if (training.contains("test")) summary["test"] = training["test"];
  summary["warnings"] = training.value("warnings", nlohmann::json::array());
  if (training.contains("skipped_nonfinite_batches")) summary["skipped_nonfinite_batches"] = training["skipped_nonfinite_batches"];
  return summary;
}

}  // namespace aekit::cli
