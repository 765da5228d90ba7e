#include <aekit/anomaly/profile.h>

#include <aekit/core/error.h>

#include <cmath>

namespace aekit {

AnomalyProfile AnomalyProfile::fit(Autoencoder& network, const PreprocessedRows& x, ScoreMetric metric,
                                   const ThresholdRule& rule) {
  AnomalyProfile p;
  p.metric = metric;
  p.rule = rule.describe();
  p.spread = ErrorSpread::fit(network, x);
  // An explicit value is in the units of one metric; it says nothing about the others.
  std::vector<ScoreMetric> metrics;
  for (ScoreMetric m : kScoreMetrics)
    if (rule.kind() != ThresholdRule::Kind::Value || m == metric) metrics.push_back(m);
  const auto scores = anomaly_scores(network, x, metrics, &p.spread, "the training data");
  for (size_t i = 0; i < metrics.size(); ++i) {
    p.thresholds[metrics[i]] = rule.apply(scores[i]);
    p.training[score_metric_name(metrics[i])] = {{"median", quantile(scores[i], 0.5)},
                                                 {"mad", median_absolute_deviation(scores[i])},
                                                 {"max", quantile(scores[i], 1.0)}};
  }
  return p;
}

std::optional<double> AnomalyProfile::threshold(ScoreMetric m) const {
  auto it = thresholds.find(m);
  if (it == thresholds.end()) return std::nullopt;
  return it->second;
}

nlohmann::json AnomalyProfile::to_json() const {
  nlohmann::json thresholds_json = nlohmann::json::object();
  for (const auto& [m, value] : thresholds) thresholds_json[score_metric_name(m)] = value;
  return {{"metric", score_metric_name(metric)},
          {"rule", rule},
          {"thresholds", thresholds_json},
          {"error_spread", spread.to_json()},
          {"training_scores", training}};
}

AnomalyProfile AnomalyProfile::from_json(const nlohmann::json& j, int64_t features, const std::string& source) {
  AnomalyProfile p;
  try {
    p.metric = parse_score_metric(j.at("metric").get<std::string>());
    p.rule = j.at("rule").get<std::string>();
    for (const auto& [name, value] : j.at("thresholds").items()) {
      const double t = value.get<double>();
      if (!std::isfinite(t)) fail("the threshold for ", name, " is not finite");
      p.thresholds[parse_score_metric(name)] = t;
    }
    if (j.contains("training_scores")) p.training = j.at("training_scores");
  } catch (const nlohmann::json::exception&) {
    fail(source, ": model metadata 'anomaly' is malformed (metric, rule, thresholds, error_spread)");
  } catch (const InputError& e) {
    fail(source, ": model metadata 'anomaly': ", e.what());
  }
  if (!j.contains("error_spread")) fail(source, ": model metadata 'anomaly' has no error_spread");
  p.spread = ErrorSpread::from_json(j.at("error_spread"), features, source);
  return p;
}

}  // namespace aekit
