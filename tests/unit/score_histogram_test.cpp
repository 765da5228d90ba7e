// The histogram of anomaly scores: the bins (counts, labels, the clipped tail, the threshold on
// the axis) and the picture (its size, the two classes' colours where their scores lie, the
// threshold line where the threshold is).
#include <aekit/anomaly/score_histogram.h>
#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/latent/scatter_plot.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <numeric>

#include "../support/png_image.h"

namespace aekit {
namespace {

// 900 normal scores around 1, then 100 anomalous ones around 3.
void two_groups(std::vector<double>& scores, std::vector<int>& labels) {
  Rng rng(4);
  for (int i = 0; i < 1000; ++i) {
    const bool anomaly = i >= 900;
    scores.push_back((anomaly ? 3.0 : 1.0) + 0.2 * rng.normal(0, 1));
    labels.push_back(anomaly);
  }
}

int64_t total(const std::vector<int64_t>& v) { return std::accumulate(v.begin(), v.end(), int64_t{0}); }

TEST(ScoreHistogram, BinsCountEveryScoreOnceByClass) {
  std::vector<double> scores;
  std::vector<int> labels;
  two_groups(scores, labels);
  const ScoreHistogram h = bin_scores(scores, labels, 20, 2.0);
  EXPECT_EQ(total(h.normal), 900);
  EXPECT_EQ(total(h.anomalous), 100);
  EXPECT_EQ(h.clipped, 0);
  EXPECT_DOUBLE_EQ(h.low, *std::min_element(scores.begin(), scores.end()));
  EXPECT_DOUBLE_EQ(h.high, *std::max_element(scores.begin(), scores.end()));
  // The normal scores fill the lower bins, the anomalous ones the upper.
  EXPECT_EQ(total({h.normal.begin() + 10, h.normal.end()}), 0);
  EXPECT_EQ(total({h.anomalous.begin(), h.anomalous.begin() + 10}), 0);
  // Without labels everything is counted as one group.
  const ScoreHistogram plain = bin_scores(scores, {}, 20, std::nullopt);
  EXPECT_EQ(total(plain.normal), 1000);
  EXPECT_EQ(total(plain.anomalous), 0);
}

TEST(ScoreHistogram, FarTailIsClippedIntoTheLastBinAndTheThresholdIsOnTheAxis) {
  std::vector<double> scores(1000);
  for (size_t i = 0; i < scores.size(); ++i) scores[i] = 1.0 + 0.001 * static_cast<double>(i);
  scores[3] = 500;  // one extreme score
  const ScoreHistogram h = bin_scores(scores, {}, 10, std::nullopt);
  EXPECT_LT(h.high, 2.1) << "the axis stops at the 99th percentile";
  EXPECT_EQ(h.clipped, 10);
  const double last_bin_start = h.low + 0.9 * (h.high - h.low);
  EXPECT_EQ(h.normal.back(), std::count_if(scores.begin(), scores.end(), [&](double s) { return s >= last_bin_start; }))
      << "the clipped scores are in the last bar";
  EXPECT_EQ(total(h.normal), 1000);
  EXPECT_GT(bin_scores(scores, {}, 10, 3.0).high, 3.0) << "a threshold beyond the scores stays visible";
  const std::vector<double> same(5, 0.25);
  const ScoreHistogram flat = bin_scores(same, {}, 4, std::nullopt);
  EXPECT_GT(flat.high, flat.low);
  EXPECT_EQ(flat.normal.front(), 5);
  EXPECT_THROW(bin_scores({}, {}, 4, std::nullopt), InputError);
  EXPECT_THROW(bin_scores(same, std::vector<int>{0, 1}, 4, std::nullopt), InputError);
}

TEST(ScoreHistogram, PictureShowsBothClassesAndTheThreshold) {
  std::vector<double> scores;
  std::vector<int> labels;
  two_groups(scores, labels);
  HistogramStyle style;
  style.width = 700;
  style.height = 400;
  style.title = "mse scores";
  const std::string path = test::temp_png("hist", "labelled");
  write_score_histogram_png(path, scores, labels, 2.0, style);
  const test::PngImage png = test::read_png(path, 3);
  std::filesystem::remove(path);
  ASSERT_NE(png.pixels, nullptr);
  EXPECT_EQ(png.width, 700);
  EXPECT_EQ(png.height, 400);
  const auto [normal_x, normal_n] = png.where(class_color(0));
  const auto [anomalous_x, anomalous_n] = png.where(class_color(1));
  const auto [threshold_x, threshold_n] = png.where(class_color(3));
  EXPECT_GT(normal_n, 1000);
  EXPECT_GT(anomalous_n, 1000) << "100 anomalies among 900 normal samples still show (share of their class)";
  EXPECT_GT(threshold_n, 300) << "the threshold line";
  // Normal bars left of the threshold, anomalous ones right of it.
  EXPECT_LT(normal_x, threshold_x);
  EXPECT_GT(anomalous_x, threshold_x);
  const ScoreHistogram h = bin_scores(scores, labels, style.bins, 2.0);
  const double expected_x = 80 + (2.0 - h.low) / (h.high - h.low) * (700 - 80 - 30);
  EXPECT_NEAR(threshold_x, expected_x, 40) << "the line (and its label beside it) at the threshold";
}

TEST(ScoreHistogram, WithoutLabelsOneColourAndBadInputNamesTheFile) {
  std::vector<double> scores;
  std::vector<int> labels;
  two_groups(scores, labels);
  const std::string path = test::temp_png("hist", "plain");
  write_score_histogram_png(path, scores, {}, std::nullopt);
  const test::PngImage png = test::read_png(path, 3);
  std::filesystem::remove(path);
  ASSERT_NE(png.pixels, nullptr);
  EXPECT_EQ(png.width, HistogramStyle{}.width);
  EXPECT_EQ(png.height, HistogramStyle{}.height);
  EXPECT_GT(png.where(class_color(0)).second, 1000);
  EXPECT_EQ(png.where(class_color(1)).second, 0);
  EXPECT_EQ(png.where(class_color(3)).second, 0) << "no threshold, no line";
  try {
    write_score_histogram_png(path, scores, std::vector<int>{1, 0}, std::nullopt);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path + ": 2 labels for 1000 scores"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace aekit
