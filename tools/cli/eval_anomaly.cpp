#include "eval_anomaly.h"

#include "anomaly_cli.h"

#include <aekit/anomaly/metrics.h>
#include <aekit/core/error.h>

#include <cstdio>
#include <nlohmann/json.hpp>

namespace aekit::cli {

namespace {

bool binary(const Tensor& labels) {
  for (int64_t i = 0; i < labels.size(); ++i)
    if (labels.data()[i] != 0.0f && labels.data()[i] != 1.0f) return false;
  return true;
}

}  // namespace

std::shared_ptr<AnomalyEvalFlags> add_anomaly_eval_flags(CLI::App* eval) {
  auto f = std::make_shared<AnomalyEvalFlags>();
  eval->add_option("--labels", f->labels, "anomaly labels, one per row (1 = anomaly, 0 = normal): .csv or .npy");
  eval->add_option("--metric", f->metric, "with labels: anomaly score mse, sse, l1 or zscore [the model's]");
  eval->add_option("--threshold", f->threshold, "with labels: threshold for precision/recall/F1 [the model's]");
  return f;
}

bool run_anomaly_eval(const AnomalyEvalFlags& flags, const std::string& model_path, const std::string& data_spec,
                      const CsvOptions& csv, bool json) {
  TrainedModel model = load_trained_model(model_path);
  const ScoreMetric metric = chosen_metric(model, flags.metric);
  const std::optional<double> threshold = chosen_threshold(model, metric, flags.threshold);
  Dataset data = load_for_model(model, data_spec, model_path, csv);
  if (data.x.rows() == 0) fail(data.source, ": no rows to evaluate");
  // A label column of classes (not 0/1) is for the kNN probe or just kept out of the features:
  // the plain reconstruction report handles it.
  if (flags.labels.empty() && !binary(data.labels)) return false;
  const std::vector<int> labels = anomaly_labels(data, flags.labels, csv);
  const ErrorSpread* spread = model.anomaly ? &model.anomaly->spread : nullptr;
  const std::vector<double> scores = anomaly_scores(*model.network, data.x, metric, spread, data.source);

  const double roc = auroc(scores, labels);
  const double ap = average_precision(scores, labels);
  int64_t anomalies = 0;
  for (int l : labels) anomalies += l;
  std::optional<Detection> d;
  if (threshold) d = detect(scores, labels, *threshold);

  if (json) {
    nlohmann::json out{{"model", model_path},          {"data", data.source}, {"samples", data.x.rows()},
                       {"anomalies", anomalies},       {"metric", score_metric_name(metric)},
                       {"auroc", roc},                 {"average_precision", ap}};
    // Without a threshold (a model older than stored thresholds) the three are null, not invented.
    out["threshold"] = threshold ? nlohmann::json(*threshold) : nlohmann::json();
    out["precision"] = d ? nlohmann::json(d->precision()) : nlohmann::json();
    out["recall"] = d ? nlohmann::json(d->recall()) : nlohmann::json();
    out["f1"] = d ? nlohmann::json(d->f1()) : nlohmann::json();
    if (d) out["predicted_anomalies"] = d->true_positives + d->false_positives;
    std::printf("%s\n", out.dump().c_str());
    return true;
  }
  std::printf("data                 %s (%lld rows, %lld anomalies)\n", data.source.c_str(),
              static_cast<long long>(data.x.rows()), static_cast<long long>(anomalies));
  std::printf("score                %s\n", score_metric_name(metric));
  std::printf("auroc                %.4f\n", roc);
  std::printf("average precision    %.4f\n", ap);
  if (!d) {
    std::printf("no threshold stored for %s: give --threshold for precision, recall and F1\n", score_metric_name(metric));
    return true;
  }
  std::printf("threshold            %.6g (%lld predicted anomalies)\n", *threshold,
              static_cast<long long>(d->true_positives + d->false_positives));
  std::printf("precision            %.4f\n", d->precision());
  std::printf("recall               %.4f\n", d->recall());
  std::printf("f1                   %.4f\n", d->f1());
  return true;
}

}  // namespace aekit::cli
