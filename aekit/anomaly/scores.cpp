#include <aekit/anomaly/scores.h>

#include <aekit/core/error.h>
#include <aekit/core/json_checked.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

namespace aekit {

namespace {

// Rows reconstructed at a time: bounds the memory for large datasets.
constexpr int64_t kChunkRows = 4096;

// Calls visit(row, x_row, reconstruction_row) for every row of x, in order.
void for_each_reconstruction(Autoencoder& network, const PreprocessedRows& x,
                             const std::function<void(int64_t, const float*, const float*)>& visit) {
  x.for_each_block(kChunkRows, [&](int64_t begin, ConstMatrixView rows) {
    const Tensor recon = network.reconstruct(rows);
    for (int64_t r = 0; r < rows.rows; ++r) visit(begin + r, rows.row(r), recon.row(r));
  });
}

}  // namespace

const char* score_metric_name(ScoreMetric metric) {
  switch (metric) {
    case ScoreMetric::Mse: return "mse";
    case ScoreMetric::Sse: return "sse";
    case ScoreMetric::L1: return "l1";
    case ScoreMetric::ZScore: return "zscore";
  }
  return "?";
}

ScoreMetric parse_score_metric(const std::string& name) {
  for (ScoreMetric m : kScoreMetrics)
    if (name == score_metric_name(m)) return m;
  fail("unknown score metric '", name, "' (use mse, sse, l1 or zscore)");
}

ErrorSpread ErrorSpread::fit(Autoencoder& network, const PreprocessedRows& x) {
  if (x.rows() == 0) fail("cannot fit the error spread on no rows");
  const auto cols = static_cast<size_t>(x.cols());
  std::vector<double> sum(cols), sum_sq(cols);
  for_each_reconstruction(network, x, [&](int64_t, const float* in, const float* out) {
    for (size_t j = 0; j < cols; ++j) {
      const double e = static_cast<double>(out[j]) - in[j];
      sum[j] += e;
      sum_sq[j] += e * e;
    }
  });
  ErrorSpread s;
  s.mean.resize(cols);
  s.spread.resize(cols);
  const auto n = static_cast<double>(x.rows());
  double spread_total = 0;
  for (size_t j = 0; j < cols; ++j) {
    const double mean = sum[j] / n;
    s.mean[j] = static_cast<float>(mean);
    s.spread[j] = static_cast<float>(std::sqrt(std::max(0.0, sum_sq[j] / n - mean * mean)));
    spread_total += s.spread[j];
  }
  const auto floor = static_cast<float>(std::max(1e-12, 0.01 * spread_total / static_cast<double>(cols)));
  for (float& v : s.spread) v = std::max(v, floor);
  return s;
}

nlohmann::json ErrorSpread::to_json() const { return {{"mean", mean}, {"spread", spread}}; }

ErrorSpread ErrorSpread::from_json(const nlohmann::json& j, int64_t features, const std::string& source) {
  ErrorSpread s;
  auto list = [&](const char* key) {
    std::optional<std::vector<float>> v = j.is_object() && j.contains(key) ? json_float_list(j.at(key)) : std::nullopt;
    if (!v) fail(source, ": anomaly error spread lacks 'mean'/'spread' number lists");
    return std::move(*v);
  };
  s.mean = list("mean");
  s.spread = list("spread");
  if (static_cast<int64_t>(s.mean.size()) != features || static_cast<int64_t>(s.spread.size()) != features)
    fail(source, ": anomaly error spread has ", s.mean.size(), "/", s.spread.size(), " values for ", features,
         " features");
  for (size_t i = 0; i < s.spread.size(); ++i)
    if (!std::isfinite(s.mean[i]) || !(s.spread[i] > 0.0f) || !std::isfinite(s.spread[i]))
      fail(source, ": anomaly error spread of feature ", i, " is not a finite positive number");
  return s;
}

std::vector<double> anomaly_scores(Autoencoder& network, const Tensor& x, ScoreMetric metric,
                                   const ErrorSpread* spread, const std::string& source) {
  return std::move(anomaly_scores(network, x, std::vector<ScoreMetric>{metric}, spread, source).front());
}

std::vector<std::vector<double>> anomaly_scores(Autoencoder& network, const PreprocessedRows& x,
                                                const std::vector<ScoreMetric>& metrics, const ErrorSpread* spread,
                                                const std::string& source) {
  if (x.cols() != network.input_size())
    fail(source, " has ", x.cols(), " features but the model expects ", network.input_size());
  const bool zscore = std::find(metrics.begin(), metrics.end(), ScoreMetric::ZScore) != metrics.end();
  if (zscore && (spread == nullptr || static_cast<int64_t>(spread->mean.size()) != x.cols()))
    fail("the zscore metric needs the training error spread, which this model does not hold (retrain it)");
  std::vector<std::vector<double>> scores(metrics.size(), std::vector<double>(static_cast<size_t>(x.rows())));
  const auto cols = static_cast<size_t>(x.cols());
  for_each_reconstruction(network, x, [&](int64_t row, const float* in, const float* out) {
    double sq = 0, abs = 0, z2 = 0;
    for (size_t j = 0; j < cols; ++j) {
      const double e = static_cast<double>(out[j]) - in[j];
      sq += e * e;
      abs += std::fabs(e);
      if (zscore) {
        const double z = (e - spread->mean[j]) / spread->spread[j];
        z2 += z * z;
      }
    }
    const auto n = static_cast<double>(cols);
    for (size_t m = 0; m < metrics.size(); ++m) {
      double score = 0;
      switch (metrics[m]) {
        case ScoreMetric::Mse: score = sq / n; break;
        case ScoreMetric::Sse: score = sq; break;
        case ScoreMetric::L1: score = abs / n; break;
        case ScoreMetric::ZScore: score = z2 / n; break;
      }
      if (!std::isfinite(score))
        fail(source, ": row ", row, ": anomaly score is ", score, " (the model's output is not finite there)");
      scores[m][static_cast<size_t>(row)] = score;
    }
  });
  return scores;
}

std::vector<int64_t> worst_rows(std::span<const double> scores, int64_t count) {
  std::vector<int64_t> rows(scores.size());
  std::iota(rows.begin(), rows.end(), 0);
  const auto n = static_cast<size_t>(std::clamp<int64_t>(count, 0, static_cast<int64_t>(rows.size())));
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n), rows.end(), [&](int64_t a, int64_t b) {
    const double sa = scores[static_cast<size_t>(a)], sb = scores[static_cast<size_t>(b)];
    return sa != sb ? sa > sb : a < b;
  });
  rows.resize(n);
  return rows;
}

}  // namespace aekit
