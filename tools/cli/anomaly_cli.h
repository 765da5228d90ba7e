#pragma once
// What the anomaly verbs (score, threshold, eval --labels) share: data with a label column,
// ground-truth labels, score files, and the metric and threshold a command uses.
#include <aekit/anomaly/scores.h>
#include <aekit/data/dataset.h>
#include <aekit/models/trained_model.h>

#include <optional>
#include <string>
#include <vector>

namespace aekit::cli {

// Ground truth, 1 = anomaly and 0 = normal, one per row of `data`: from `labels_file` (a one-column
// CSV or a .npy vector) when given, else data.labels. InputError naming the file and row for any
// other value or a count that differs from the data's rows.
std::vector<int> anomaly_labels(const Dataset& data, const std::string& labels_file, const CsvOptions& csv);

// Scores from `aekit score`'s CSV (its "score" column), a one-column CSV or a .npy vector.
std::vector<double> read_scores(const std::string& path, const CsvOptions& csv);

// The metric named by a --metric flag, or the model's own (mse for models without a profile).
ScoreMetric chosen_metric(const TrainedModel& model, const std::string& flag);
// The --threshold flag's value when given, else the model's stored threshold for `metric`.
std::optional<double> chosen_threshold(const TrainedModel& model, ScoreMetric metric, const std::string& flag);

}  // namespace aekit::cli
