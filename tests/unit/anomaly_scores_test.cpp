// Anomaly scores and the profile a model stores: values by definition, row order across chunks,
// determinism, a spread for a trained model, the zscore spread floor, errors naming the row, and
// the model-file round trip.
#include <aekit/models/dense_arch.h>
#include <aekit/anomaly/profile.h>
#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/losses/loss.h>
#include <aekit/models/trained_model.h>
#include <aekit/train/trainer.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace aekit {
namespace {

// Rows on a 2-D subspace of R^6 in (0, 1).
Tensor subspace_rows(int64_t rows, uint64_t seed) {
  Rng rng(seed);
  Tensor x({rows, 6});
  for (int64_t r = 0; r < rows; ++r) {
    const float a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
    for (int64_t c = 0; c < 6; ++c) x.row(r)[c] = 0.5f + 0.2f * (c % 2 ? a : b) * (1.0f + 0.1f * static_cast<float>(c));
  }
  return x;
}

ModelSpec small_spec() {
  DenseArch arch;
  arch.encoder = {6, 5, 2};
  arch.activation = "tanh";
  return arch.to_spec();
}

TEST(AnomalyScores, MetricsByDefinition) {
  Autoencoder net(small_spec(), 3);
  const Tensor x = subspace_rows(7, 1);
  const Tensor recon = net.reconstruct(x.view());
  const auto mse = anomaly_scores(net, x, ScoreMetric::Mse, nullptr, "x");
  const auto sse = anomaly_scores(net, x, ScoreMetric::Sse, nullptr, "x");
  const auto l1 = anomaly_scores(net, x, ScoreMetric::L1, nullptr, "x");
  ErrorSpread spread;
  spread.mean = {0.1f, 0, 0, 0, 0, -0.2f};
  spread.spread = {1, 2, 1, 1, 0.5f, 1};
  const auto z = anomaly_scores(net, x, ScoreMetric::ZScore, &spread, "x");
  for (int64_t r = 0; r < 7; ++r) {
    double sq = 0, abs = 0, zz = 0;
    for (int64_t c = 0; c < 6; ++c) {
      const double e = static_cast<double>(recon.row(r)[c]) - x.row(r)[c];
      sq += e * e;
      abs += std::fabs(e);
      const double zc = (e - spread.mean[c]) / spread.spread[c];
      zz += zc * zc;
    }
    EXPECT_NEAR(mse[r], sq / 6, 1e-12);
    EXPECT_NEAR(sse[r], sq, 1e-12);
    EXPECT_NEAR(l1[r], abs / 6, 1e-12);
    EXPECT_NEAR(z[r], zz / 6, 1e-9);
  }
  EXPECT_THROW(anomaly_scores(net, x, ScoreMetric::ZScore, nullptr, "x"), InputError);
  EXPECT_EQ(parse_score_metric("zscore"), ScoreMetric::ZScore);
  EXPECT_THROW(parse_score_metric("rmse"), InputError);
}

TEST(AnomalyScores, RowOrderAcrossChunksAndDeterministic) {
  Autoencoder net(small_spec(), 3);
  const Tensor x = subspace_rows(9000, 2);  // more than two chunks of 4096
  const auto all = anomaly_scores(net, x, ScoreMetric::Mse, nullptr, "x");
  EXPECT_EQ(all, anomaly_scores(net, x, ScoreMetric::Mse, nullptr, "x"));
  for (int64_t r : {0, 4095, 4096, 8191, 8999}) {
    Tensor one({1, 6});
    std::copy(x.row(r), x.row(r) + 6, one.data());
    EXPECT_NEAR(anomaly_scores(net, one, ScoreMetric::Mse, nullptr, "x")[0], all[r], 1e-9) << "row " << r;
  }
}

TEST(AnomalyScores, TrainedModelScoresAreSpreadAndRankOffSubspaceRowsHigher) {
  Autoencoder net(small_spec(), 0);
  const Tensor x = subspace_rows(400, 5);
  TrainConfig config;
  config.epochs = 60;
  config.batch_size = 32;
  config.optimizer = OptimizerConfig::defaults_for("adam");
  config.optimizer.lr = 0.01f;
  train(net, x, *make_loss("mse"), config);
  const auto scores = anomaly_scores(net, x, ScoreMetric::Mse, nullptr, "x");
  // Never constant: a trained model on varied data gives varied scores.
  EXPECT_GT(median_absolute_deviation(scores), 1e-3 * quantile(scores, 0.5)) << "scores collapsed";
  // A row off the subspace reconstructs worse than 95% of the training rows.
  Tensor odd({1, 6});
  for (int64_t c = 0; c < 6; ++c) odd.data()[c] = c < 3 ? 0.9f : 0.1f;
  EXPECT_GT(anomaly_scores(net, odd, ScoreMetric::Mse, nullptr, "odd")[0], quantile(scores, 0.95));
}

TEST(AnomalyScores, NonFiniteScoreNamesTheRow) {
  Autoencoder net(small_spec(), 3);
  net.params().front().value->data()[0] = std::numeric_limits<float>::quiet_NaN();
  const Tensor x = subspace_rows(3, 1);
  try {
    anomaly_scores(net, x, ScoreMetric::Mse, nullptr, "data.csv");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("data.csv: row 0"), std::string::npos) << e.what();
  }
}

TEST(AnomalyProfile, SpreadFloorKeepsConstantFeaturesFinite) {
  // Feature 5 is always 0 and the model reconstructs it almost exactly: its raw spread is tiny.
  Autoencoder net(small_spec(), 3);
  Tensor x = subspace_rows(50, 4);
  for (int64_t r = 0; r < 50; ++r) x.row(r)[5] = 0;
  const ErrorSpread s = ErrorSpread::fit(net, x);
  double mean_spread = 0;
  for (float v : s.spread) mean_spread += v / 6.0;
  for (float v : s.spread) EXPECT_GE(v, 0.0099 * mean_spread);
}

TEST(AnomalyProfile, FitsEveryMetricAndRoundTripsThroughTheModelFile) {
  TrainedModel model;
  model.network = std::make_unique<Autoencoder>(small_spec(), 1);
  const Tensor x = subspace_rows(200, 6);
  model.anomaly = AnomalyProfile::fit(*model.network, x, ScoreMetric::L1, ThresholdRule::parse(0.1, "auto"));
  for (ScoreMetric m : kScoreMetrics) {
    ASSERT_TRUE(model.anomaly->threshold(m)) << score_metric_name(m);
    const auto scores = anomaly_scores(*model.network, x, m, &model.anomaly->spread, "x");
    int above = 0;
    for (double v : scores) above += v > *model.anomaly->threshold(m);
    EXPECT_EQ(above, 20) << score_metric_name(m) << ": contamination 0.1 of 200 rows";
  }
  const TrainedModel back = from_model_file(to_model_file(model), "memory");
  ASSERT_TRUE(back.anomaly);
  EXPECT_EQ(back.anomaly->metric, ScoreMetric::L1);
  EXPECT_EQ(back.anomaly->rule, "contamination 0.1");
  EXPECT_EQ(back.anomaly->thresholds, model.anomaly->thresholds);
  EXPECT_EQ(back.anomaly->spread.spread, model.anomaly->spread.spread);

  // An explicit value is in one metric's units: the others get no threshold.
  const AnomalyProfile v = AnomalyProfile::fit(*model.network, x, ScoreMetric::Mse, ThresholdRule::parse(0, "0.5"));
  EXPECT_EQ(v.threshold(ScoreMetric::Mse), 0.5);
  EXPECT_FALSE(v.threshold(ScoreMetric::Sse));
}

TEST(AnomalyProfile, DamagedMetadataIsAnInputError) {
  TrainedModel model;
  model.network = std::make_unique<Autoencoder>(small_spec(), 1);
  model.anomaly = AnomalyProfile::fit(*model.network, subspace_rows(20, 6), ScoreMetric::Mse, ThresholdRule::automatic());
  ModelFile file = to_model_file(model);
  const std::string good = file.metadata["anomaly"];
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"\"metric\":\"mse\"", "\"metric\":\"rmse\""},
           {"\"spread\":[", "\"spread\":[0,"},
           {"\"thresholds\":{", "\"thresholds\":{\"l2\":1,"},
           {"\"rule\"", "\"rules\""}}) {
    std::string bad = good;
    const size_t at = bad.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    bad.replace(at, from.size(), to);
    file.metadata["anomaly"] = bad;
    EXPECT_THROW(from_model_file(file, "damaged.aek"), InputError) << to;
  }
  file.metadata.erase("anomaly");  // a model from before profiles loads without one
  EXPECT_FALSE(from_model_file(file, "old.aek").anomaly);
}

}  // namespace
}  // namespace aekit
