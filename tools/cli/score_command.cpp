// aekit score: one anomaly score per sample (the reconstruction error), in the data's row order.
#include "anomaly_cli.h"
#include "cli_util.h"
#include "commands.h"

#include <aekit/anomaly/score_histogram.h>
#include <aekit/anomaly/threshold.h>
#include <aekit/core/error.h>
#include <aekit/core/threads.h>
#include <aekit/data/atomic_file.h>
#include <aekit/data/npy.h>

#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

namespace aekit::cli {

namespace {

struct ScoreTable {
  std::vector<double> scores;
  const Tensor* labels = nullptr;  // the data's own labels, when it has them
  std::optional<double> threshold;  // set when predictions are asked for
};

// CSV: a header, then row index, score, the data's label and the prediction (1 = anomaly).
void write_table(std::ostream& out, const ScoreTable& t) {
  out << "row,score" << (t.labels ? ",label" : "") << (t.threshold ? ",predicted" : "") << '\n';
  out << std::setprecision(9);
  for (size_t r = 0; r < t.scores.size(); ++r) {
    out << r << ',' << t.scores[r];
    if (t.labels) out << ',' << t.labels->data()[r];
    if (t.threshold) out << ',' << (t.scores[r] > *t.threshold ? 1 : 0);
    out << '\n';
  }
}

void write_scores(const std::string& path, const ScoreTable& t) {
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".npy") {  // the scores alone, as a vector in row order
    Tensor v({static_cast<int64_t>(t.scores.size())});
    for (size_t r = 0; r < t.scores.size(); ++r) v.data()[r] = static_cast<float>(t.scores[r]);
    write_npy(path, v);
    return;
  }
  if (ext != ".csv") fail("--out ", path, ": unknown format '", ext, "' (use .csv or .npy)");
  write_file_atomically(path, [&](std::ostream& out) { write_table(out, t); });
}

nlohmann::json summary(const ScoreTable& t, ScoreMetric metric) {
  nlohmann::json j{{"metric", score_metric_name(metric)},
                   {"samples", t.scores.size()},
                   {"min", quantile(t.scores, 0.0)},
                   {"median", quantile(t.scores, 0.5)},
                   {"max", quantile(t.scores, 1.0)}};
  if (t.threshold) {
    int64_t above = 0;
    for (double s : t.scores) above += s > *t.threshold;
    j["threshold"] = *t.threshold;
    j["predicted_anomalies"] = above;
  }
  return j;
}

// Ground truth for the colours: the --truth file, else the data's label column when it holds
// only 0 and 1 (class labels such as MNIST's digits are not anomaly labels); else none.
std::vector<int> histogram_truth(const Dataset& data, const std::string& truth_file, const CsvOptions& csv) {
  if (!truth_file.empty()) return anomaly_labels(data, truth_file, csv);
  for (float v : data.labels.span())
    if (v != 0.0f && v != 1.0f) return {};
  return data.labels.empty() ? std::vector<int>{} : anomaly_labels(data, "", csv);
}

void draw_histogram(const std::string& png, const ScoreTable& t, const Dataset& data, const std::string& truth_file,
                    const CsvOptions& csv, std::optional<double> threshold, ScoreMetric metric) {
  const std::vector<int> truth = histogram_truth(data, truth_file, csv);
  HistogramStyle style;
  style.title = std::string(score_metric_name(metric)) + " scores of " + data.source;
  style.x_label = std::string(score_metric_name(metric)) + " score";
  write_score_histogram_png(png, t.scores, truth, threshold, style);
  std::fprintf(stderr, "aekit: histogram of %zu scores%s written to %s\n", t.scores.size(),
               truth.empty() ? "" : " (normal and anomalous)", png.c_str());
}

}  // namespace

void add_score_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("score", "anomaly score (reconstruction error) of every sample");
  struct Flags {
    std::string model, data, metric, out, threshold, png, truth;
    bool json = false, labels = false;
    int threads = 0;
  };
  auto f = std::make_shared<Flags>();
  cmd->add_option("model", f->model, "model file")->required();
  cmd->add_option("--data", f->data, "dataset: mnist:test, file.npy, file.csv, ...")->required();
  cmd->add_option("--metric", f->metric, "mse, sse, l1 or zscore [the model's, normally mse]");
  cmd->add_option("--out", f->out, "write the scores: .csv (row,score[,label][,predicted]) or .npy (scores only)");
  cmd->add_flag("--json", f->json, "print one JSON object: summary and every score");
  cmd->add_flag("--labels", f->labels, "add the predicted label, 1 = anomaly (score above the threshold)");
  cmd->add_option("--threshold", f->threshold, "threshold for --labels [the one stored in the model]");
  cmd->add_option("--png", f->png, "draw the histogram of the scores with the threshold as PNG");
  cmd->add_option("--truth", f->truth,
                  "ground truth for --png, 1 = anomaly (one-column CSV or .npy; or a 0/1 --label-column): "
                  "normal and anomalous scores in two colours");
  cmd->add_option("--threads", f->threads, "threads (0 = all cores)");
  auto csv = add_csv_flags(cmd);
  cmd->callback([f, csv] {
    if (!f->out.empty()) check_output_path(f->out, "--out", {f->data, f->model});
    if (!f->png.empty()) check_output_path(f->png, "--png", {f->data, f->model, f->out});
    if (!f->truth.empty() && f->png.empty()) fail("--truth colours the --png histogram: give --png FILE too");
    set_num_threads(f->threads);
    TrainedModel model = load_trained_model(f->model);
    const ScoreMetric metric = chosen_metric(model, f->metric);
    ScoreTable table;
    if (f->labels || !f->threshold.empty()) {
      table.threshold = chosen_threshold(model, metric, f->threshold);
      if (!table.threshold)
        fail(f->model, " stores no threshold for the ", score_metric_name(metric),
             " metric: give --threshold, or retrain with --contamination or --threshold");
    }
    Dataset data = load_for_model(model, f->data, f->model, csv->csv());
    if (data.x.rows() == 0) fail(data.source, ": no rows to score");
    const ErrorSpread* spread = model.anomaly ? &model.anomaly->spread : nullptr;
    table.scores = anomaly_scores(*model.network, data.x, metric, spread, data.source);
    if (!data.labels.empty()) table.labels = &data.labels;

    nlohmann::json j = summary(table, metric);
    if (!f->png.empty())
      draw_histogram(f->png, table, data, f->truth, csv->csv(), chosen_threshold(model, metric, f->threshold), metric);
    if (!f->out.empty()) write_scores(f->out, table);
    if (f->json) {
      j["model"] = f->model;
      j["data"] = data.source;
      j["scores"] = table.scores;
      if (table.labels) j["labels"] = std::vector<float>(table.labels->span().begin(), table.labels->span().end());
      if (table.threshold) {
        std::vector<int> predicted;
        for (double s : table.scores) predicted.push_back(s > *table.threshold);
        j["predicted"] = predicted;
      }
      std::printf("%s\n", j.dump().c_str());
    } else if (f->out.empty()) {
      write_table(std::cout, table);
    } else {
      std::printf("%zu %s scores of %s written to %s (median %.6g, max %.6g)\n", table.scores.size(),
                  score_metric_name(metric), data.source.c_str(), f->out.c_str(), j["median"].get<double>(),
                  j["max"].get<double>());
      if (table.threshold)
        std::printf("threshold %.6g: %lld predicted anomalies\n", *table.threshold,
                    static_cast<long long>(j["predicted_anomalies"].get<int64_t>()));
    }
  });
}

}  // namespace aekit::cli
