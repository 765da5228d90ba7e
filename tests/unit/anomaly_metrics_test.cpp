// Anomaly metrics and thresholds: hand-computed cases (ties included) and scikit-learn/numpy
// reference values from scripts/make-anomaly-fixtures.py.
#include <aekit/anomaly/metrics.h>
#include <aekit/anomaly/threshold.h>
#include <aekit/core/error.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

namespace aekit {
namespace {

TEST(AnomalyMetrics, HandComputedWithoutTies) {
  // scikit-learn's documentation example: 3 of the 4 (anomaly, normal) pairs are ordered right.
  const std::vector<double> s{0.1, 0.4, 0.35, 0.8};
  const std::vector<int> y{0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(auroc(s, y), 0.75);
  // Thresholds 0.8 (P 1, R 0.5), 0.4 (P 1/2, R 0.5), 0.35 (P 2/3, R 1): 0.5 * 1 + 0.5 * 2/3.
  EXPECT_DOUBLE_EQ(average_precision(s, y), 0.5 + 0.5 * 2.0 / 3.0);
}

TEST(AnomalyMetrics, TiesCountOneHalf) {
  // Pairs: 3 beats 2 and 1 (2 wins); 2 ties the normal 2 (1/2) and beats 1 (1): 3.5 of 4.
  const std::vector<double> s{3, 2, 2, 1};
  const std::vector<int> y{1, 1, 0, 0};
  EXPECT_DOUBLE_EQ(auroc(s, y), 3.5 / 4);
  // A tied group is one threshold: 3 (P 1, R 1/2), then {2, 2} (P 2/3, R 1).
  EXPECT_DOUBLE_EQ(average_precision(s, y), 0.5 * 1 + 0.5 * 2.0 / 3.0);
  // Swapping tied samples changes nothing.
  EXPECT_DOUBLE_EQ(auroc(std::vector<double>{3, 2, 2, 1}, std::vector<int>{1, 0, 1, 0}), 3.5 / 4);

  const std::vector<double> tied{1, 1, 0, 0};
  const std::vector<int> mixed{1, 0, 1, 0};
  EXPECT_DOUBLE_EQ(auroc(tied, mixed), 0.5);
  EXPECT_DOUBLE_EQ(average_precision(tied, mixed), 0.5);
}

TEST(AnomalyMetrics, PerfectAndReversedRankings) {
  const std::vector<int> y{0, 0, 1, 1, 1};
  EXPECT_DOUBLE_EQ(auroc(std::vector<double>{1, 2, 3, 4, 5}, y), 1.0);
  EXPECT_DOUBLE_EQ(average_precision(std::vector<double>{1, 2, 3, 4, 5}, y), 1.0);
  EXPECT_DOUBLE_EQ(auroc(std::vector<double>{5, 4, 3, 2, 1}, y), 0.0);
  // Reversed: anomalies come last; precision at recall 1/3, 2/3, 1 is 1/3, 2/4, 3/5.
  EXPECT_DOUBLE_EQ(average_precision(std::vector<double>{5, 4, 3, 2, 1}, y), (1.0 / 3 + 2.0 / 4 + 3.0 / 5) / 3);
}

TEST(AnomalyMetrics, DetectionAtThresholdIsStrict) {
  const std::vector<double> s{0.2, 0.5, 0.6, 0.9, 0.1};
  const std::vector<int> y{0, 1, 1, 0, 1};
  const Detection d = detect(s, y, 0.5);  // 0.5 itself is not above: called 0.6 and 0.9
  EXPECT_EQ(d.true_positives, 1);
  EXPECT_EQ(d.false_positives, 1);
  EXPECT_EQ(d.false_negatives, 2);
  EXPECT_EQ(d.true_negatives, 1);
  EXPECT_DOUBLE_EQ(d.precision(), 0.5);
  EXPECT_DOUBLE_EQ(d.recall(), 1.0 / 3);
  EXPECT_DOUBLE_EQ(d.f1(), 2 * 0.5 * (1.0 / 3) / (0.5 + 1.0 / 3));
  const Detection none = detect(s, y, 1.0);
  EXPECT_EQ(none.precision(), 0.0);
  EXPECT_EQ(none.f1(), 0.0);
}

TEST(AnomalyMetrics, BadLabelsAreInputErrors) {
  const std::vector<double> s{1, 2, 3};
  EXPECT_THROW(auroc(s, std::vector<int>{1, 1, 1}), InputError);  // one class only
  EXPECT_THROW(auroc(s, std::vector<int>{0, 1, 2}), InputError);
  EXPECT_THROW(auroc(s, std::vector<int>{0, 1}), InputError);
  EXPECT_THROW(average_precision(s, std::vector<int>{0, 0, 0}), InputError);
  EXPECT_NO_THROW(average_precision(s, std::vector<int>{1, 1, 1}));
}

TEST(AnomalyMetrics, MatchScikitLearnAndNumpy) {
  std::ifstream in(std::string(AEKIT_SOURCE_DIR) + "/tests/fixtures/anomaly/metrics.json");
  ASSERT_TRUE(in) << "run scripts/make-anomaly-fixtures.py";
  const auto fixtures = nlohmann::json::parse(in);
  ASSERT_GE(fixtures.at("cases").size(), 6u);
  for (const auto& c : fixtures.at("cases")) {
    SCOPED_TRACE(c.at("name").get<std::string>());
    const auto s = c.at("scores").get<std::vector<double>>();
    const auto y = c.at("labels").get<std::vector<int>>();
    EXPECT_NEAR(auroc(s, y), c.at("auroc").get<double>(), 1e-12);
    EXPECT_NEAR(average_precision(s, y), c.at("average_precision").get<double>(), 1e-12);
    const Detection d = detect(s, y, c.at("threshold").get<double>());
    EXPECT_NEAR(d.precision(), c.at("precision").get<double>(), 1e-12);
    EXPECT_NEAR(d.recall(), c.at("recall").get<double>(), 1e-12);
    EXPECT_NEAR(d.f1(), c.at("f1").get<double>(), 1e-12);
    for (const auto& q : c.at("quantiles"))
      EXPECT_NEAR(quantile(s, q.at(0).get<double>()), q.at(1).get<double>(), 1e-12) << "q " << q.at(0);
    EXPECT_NEAR(median_absolute_deviation(s), c.at("mad").get<double>(), 1e-12);
  }
}

TEST(AnomalyThreshold, QuantileAndMadByHand) {
  const std::vector<double> v{4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(quantile(v, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile(v, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(quantile(v, 1.0), 4);
  // Deviations from the median 3: 2, 1, 0, 1, 97; their median is 1, whatever the outlier.
  EXPECT_DOUBLE_EQ(median_absolute_deviation(std::vector<double>{1, 2, 3, 4, 100}), 1.0);
  EXPECT_THROW(quantile(std::vector<double>{}, 0.5), InputError);
}

TEST(AnomalyThreshold, Rules) {
  std::vector<double> scores;
  for (int i = 1; i <= 100; ++i) scores.push_back(i);
  const ThresholdRule c = ThresholdRule::parse(0.05, "auto");
  EXPECT_EQ(c.kind(), ThresholdRule::Kind::Contamination);
  EXPECT_DOUBLE_EQ(c.apply(scores), quantile(scores, 0.95));
  int above = 0;
  for (double s : scores) above += s > c.apply(scores);
  EXPECT_EQ(above, 5);

  const ThresholdRule a = ThresholdRule::parse(0, "auto");
  EXPECT_EQ(a.kind(), ThresholdRule::Kind::Auto);
  // median 50.5, MAD 25: 50.5 + 3 * 1.4826 * 25.
  EXPECT_NEAR(a.apply(scores), 50.5 + 3 * 1.4826 * 25, 1e-9);

  const ThresholdRule v = ThresholdRule::parse(0, "0.125");
  EXPECT_EQ(v.kind(), ThresholdRule::Kind::Value);
  EXPECT_DOUBLE_EQ(v.apply(scores), 0.125);

  EXPECT_THROW(ThresholdRule::parse(0.5, "auto"), InputError);
  EXPECT_THROW(ThresholdRule::parse(-0.1, "auto"), InputError);
  EXPECT_THROW(ThresholdRule::parse(0.05, "0.3"), InputError);  // both
  EXPECT_THROW(ThresholdRule::parse(0, "high"), InputError);
  EXPECT_THROW(ThresholdRule::parse(0, "nan"), InputError);
}

}  // namespace
}  // namespace aekit
