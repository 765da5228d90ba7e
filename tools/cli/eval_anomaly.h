#pragma once
// aekit eval's anomaly detection part: with --labels FILE or --label-column C, eval reports how
// well the model's anomaly scores separate the labelled anomalies (1) from normal samples (0):
// AUROC, average precision, and precision, recall and F1 at the threshold stored in the model.
#include "cli_util.h"
#include "knn_probe.h"

#include <aekit/data/csv.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

namespace aekit::cli {

struct AnomalyEvalFlags {
  std::string labels, metric, threshold;
  // --labels FILE, or labels from the shared --label-column (when no kNN probe wants them).
  bool given(const CsvFlags& csv, const ProbeFlags& probe) const {
    return !labels.empty() || (!csv.label_column.empty() && probe.kind.empty());
  }
};
std::shared_ptr<AnomalyEvalFlags> add_anomaly_eval_flags(CLI::App* eval);

// Loads the model and data itself (a label column changes the features) and prints the report.
// Returns false, having printed nothing, when the labels come from --label-column and are not
// 0/1 (classes, not anomaly labels): eval then gives its plain report.
bool run_anomaly_eval(const AnomalyEvalFlags& flags, const std::string& model_path, const std::string& data_spec,
                      const CsvOptions& csv, bool json);

}  // namespace aekit::cli
