#pragma once
// Anomaly scores: how badly the autoencoder reconstructs each sample. One score per row of x
// (already preprocessed as the model expects), in row order, computed in inference mode, so the
// same model and data always give the same scores.
//   mse     mean over features of (reconstruction - x)^2
//   sse     the sum instead of the mean
//   l1      mean over features of |reconstruction - x|
//   zscore  mean over features of ((error - mean_j) / spread_j)^2, where mean_j and spread_j are
//           feature j's error mean and standard deviation on the training data (ErrorSpread): a
//           feature the model always reconstructs well counts more when it suddenly does not.
#include <aekit/core/tensor.h>
#include <aekit/data/preprocessed_rows.h>
#include <aekit/models/autoencoder.h>

#include <nlohmann/json_fwd.hpp>

#include <span>
#include <string>
#include <vector>

namespace aekit {

enum class ScoreMetric { Mse, Sse, L1, ZScore };
inline constexpr ScoreMetric kScoreMetrics[] = {ScoreMetric::Mse, ScoreMetric::Sse, ScoreMetric::L1, ScoreMetric::ZScore};

const char* score_metric_name(ScoreMetric metric);
// InputError listing the names.
ScoreMetric parse_score_metric(const std::string& name);

// Per-feature mean and standard deviation of the reconstruction error on the training data.
// Spreads are floored at 1% of their mean over features (and at 1e-12), so a feature that is
// constant in training (an always-black MNIST corner) cannot turn a tiny error into a huge score.
struct ErrorSpread {
  std::vector<float> mean, spread;

  static ErrorSpread fit(Autoencoder& network, const PreprocessedRows& x);
  static ErrorSpread fit(Autoencoder& network, const Tensor& x) { return fit(network, PreprocessedRows(x)); }
  nlohmann::json to_json() const;
  static ErrorSpread from_json(const nlohmann::json& j, int64_t features, const std::string& source);
};

// `spread` is needed for ZScore only. Throws InputError naming `source` and the row when a
// score is not finite.
std::vector<double> anomaly_scores(Autoencoder& network, const Tensor& x, ScoreMetric metric,
                                   const ErrorSpread* spread, const std::string& source);
// Several metrics from one reconstruction pass: result[i] holds the scores of metrics[i].
std::vector<std::vector<double>> anomaly_scores(Autoencoder& network, const PreprocessedRows& x,
                                                const std::vector<ScoreMetric>& metrics, const ErrorSpread* spread,
                                                const std::string& source);
inline std::vector<std::vector<double>> anomaly_scores(Autoencoder& network, const Tensor& x,
                                                       const std::vector<ScoreMetric>& metrics,
                                                       const ErrorSpread* spread, const std::string& source) {
  return anomaly_scores(network, PreprocessedRows(x), metrics, spread, source);
}

// The rows of the `count` highest scores, highest first (a tie goes to the earlier row): the
// samples the model reconstructs worst. Fewer when there are fewer scores.
std::vector<int64_t> worst_rows(std::span<const double> scores, int64_t count);

}  // namespace aekit
