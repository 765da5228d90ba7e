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

// The index of `column` among `count` columns of `path`: a number (negative from the end) or a
// header name.
int64_t column_index(const std::string& path, const CsvOptions& csv, const std::string& column, int64_t count) {
  int64_t index = 0;
  auto [end, ec] = std::from_chars(column.data(), column.data() + column.size(), index);
  if (ec == std::errc() && end == column.data() + column.size()) {
    if (index < 0) index += count;
    if (index < 0 || index >= count)
      fail("--label-column ", column, ": ", path, " has ", count, " columns (0 to ", count - 1, ")");
    return index;
  }
  if (!is_csv_path(path)) fail("--label-column ", column, ": only CSV files have column names; give an index");
  const std::vector<std::string> names = read_csv_header(path, csv);
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == column) return static_cast<int64_t>(i);
  fail("--label-column ", column, ": ", path, names.empty() ? " has no header line" : " has no column of that name");
}

// Copies x without column `drop`.
Tensor without_column(const Tensor& x, int64_t drop) {
  Tensor out({x.rows(), x.cols() - 1});
  for (int64_t r = 0; r < x.rows(); ++r) {
    const float* in = x.row(r);
    float* o = out.row(r);
    std::memcpy(o, in, static_cast<size_t>(drop) * sizeof(float));
    std::memcpy(o + drop, in + drop + 1, static_cast<size_t>(x.cols() - drop - 1) * sizeof(float));
  }
  return out;
}

}  // namespace

Dataset load_with_label_column(const TrainedModel& model, const std::string& spec, const std::string& model_path,
                               const CsvOptions& csv, const std::string& label_column) {
  if (label_column.empty()) return load_for_model(model, spec, model_path, csv);
  Dataset data = load_dataset(spec, csv);
  if (data.x.cols() < 2) fail("--label-column ", label_column, ": ", data.source, " has only one column");
  const int64_t index = column_index(spec, csv, label_column, data.x.cols());
  data.labels = Tensor({data.x.rows()});
  for (int64_t r = 0; r < data.x.rows(); ++r) data.labels.data()[r] = data.x.row(r)[index];
  data.x = without_column(data.x, index);
  data.image_height = data.image_width = 0;
  prepare_for_model(model, data, model_path);
  return data;
}

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
