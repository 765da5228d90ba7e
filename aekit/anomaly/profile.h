#pragma once
// What a trained model knows about its own anomaly scores, fitted on its training data after
// training and stored in the model file (metadata "anomaly"):
//   metric       the score metric `score` and `eval` use unless told otherwise
//   rule         how the thresholds were chosen (see threshold.h)
//   thresholds   per metric, the rule applied to the training scores of that metric; an explicit
//                value applies to `metric` only
//   spread       per-feature training error mean and spread, for the zscore metric
//   training     per metric, the median and MAD of the training scores, for people
#include <aekit/anomaly/scores.h>
#include <aekit/anomaly/threshold.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace aekit {

struct AnomalyProfile {
  ScoreMetric metric = ScoreMetric::Mse;
  std::string rule;
  std::map<ScoreMetric, double> thresholds;
  ErrorSpread spread;
  nlohmann::json training = nlohmann::json::object();

  // Scores x (the preprocessed training data) with every metric and applies the rule.
  static AnomalyProfile fit(Autoencoder& network, const PreprocessedRows& x, ScoreMetric metric,
                            const ThresholdRule& rule);
  static AnomalyProfile fit(Autoencoder& network, const Tensor& x, ScoreMetric metric, const ThresholdRule& rule) {
    return fit(network, PreprocessedRows(x), metric, rule);
  }

  // The stored threshold for `metric`, or nothing.
  std::optional<double> threshold(ScoreMetric metric) const;

  nlohmann::json to_json() const;
  static AnomalyProfile from_json(const nlohmann::json& j, int64_t features, const std::string& source);
};

}  // namespace aekit
