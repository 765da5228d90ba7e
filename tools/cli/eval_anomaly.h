#pragma once
// aekit eval's anomaly detection part: with --labels FILE or --label-column C, eval reports how
// well the model's anomaly scores separate the labelled anomalies (1) from normal samples (0):
// AUROC, average precision, and precision, recall and F1 at the threshold stored in the model.
#include <aekit/data/csv.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

namespace aekit::cli {

struct AnomalyEvalFlags {
  std::string labels, label_column, metric, threshold;
  bool given() const { return !labels.empty() || !label_column.empty(); }
};
std::shared_ptr<AnomalyEvalFlags> add_anomaly_eval_flags(CLI::App* eval);

// Loads the model and data itself (a label column changes the features) and prints the report.
void run_anomaly_eval(const AnomalyEvalFlags& flags, const std::string& model_path, const std::string& data_spec,
                      const CsvOptions& csv, bool json);

}  // namespace aekit::cli
