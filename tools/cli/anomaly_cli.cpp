#include "anomaly_cli.h"

#include "cli_util.h"

#include <aekit/core/error.h>
#include <aekit/data/csv.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>

namespace aekit::cli {

namespace {

bool is_csv_path(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  return ext == ".csv" || ext == ".tsv" || ext == ".txt";
}

}  // namespace

std::vector<int> anomaly_labels(const Dataset& data, const std::string& labels_file, const CsvOptions& csv) {
  Tensor values;
  std::string where;
  if (!labels_file.empty()) {
    values = load_matrix(labels_file, csv);
    where = labels_file;
    if (values.cols() != 1) fail(labels_file, ": labels must be one column, found ", values.cols());
  } else {
    values = data.labels;
    where = data.source + "'s labels";
    if (values.empty()) fail(data.source, " has no labels: give --labels FILE or --label-column C");
  }
  if (values.rows() != data.x.rows())
    fail(where, ": ", values.rows(), " labels for ", data.x.rows(), " rows of ", data.source);
  std::vector<int> labels(static_cast<size_t>(values.rows()));
  for (int64_t r = 0; r < values.rows(); ++r) {
    const float v = values.data()[r];
    if (v != 0.0f && v != 1.0f) fail(where, ": row ", r, ": label ", v, " is not 0 (normal) or 1 (anomaly)");
    labels[static_cast<size_t>(r)] = static_cast<int>(v);
  }
  return labels;
}

std::vector<double> read_scores(const std::string& path, const CsvOptions& csv) {
  const Tensor table = load_matrix(path, csv);
  int64_t column = 0;
  if (table.cols() != 1) {
    const std::vector<std::string> names = is_csv_path(path) ? read_csv_header(path, csv) : std::vector<std::string>{};
    auto it = std::find(names.begin(), names.end(), "score");
    if (it == names.end())
      fail(path, ": ", table.cols(), " columns and none named 'score' (use aekit score's CSV or one column of scores)");
    column = it - names.begin();
  }
  std::vector<double> scores(static_cast<size_t>(table.rows()));
  for (int64_t r = 0; r < table.rows(); ++r) scores[static_cast<size_t>(r)] = table.row(r)[column];
  if (scores.empty()) fail(path, ": no scores");
  return scores;
}

ScoreMetric chosen_metric(const TrainedModel& model, const std::string& flag) {
  if (!flag.empty()) return parse_score_metric(flag);
  return model.anomaly ? model.anomaly->metric : ScoreMetric::Mse;
}

std::optional<double> chosen_threshold(const TrainedModel& model, ScoreMetric metric, const std::string& flag) {
  if (!flag.empty()) {
    double value = 0;
    auto [end, ec] = std::from_chars(flag.data(), flag.data() + flag.size(), value);
    if (ec != std::errc() || end != flag.data() + flag.size() || !std::isfinite(value))
      fail("--threshold: '", flag, "' is not a finite number");
    return value;
  }
  if (!model.anomaly) return std::nullopt;
  return model.anomaly->threshold(metric);
}

}  // namespace aekit::cli
