// issue 9, point 7: the tabular examples run as their comments say, each with a bound on its result
// (measured values in the comments; the bounds leave room for other CPUs' rounding).
#include "cli_runner.h"

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

namespace aekit::test {
namespace {

using ::testing::HasSubstr;

std::string example(const std::string& name) { return std::string(AEKIT_SOURCE_DIR) + "/examples/" + name; }

nlohmann::json eval_json(const ScratchDir& dir, const std::string& args) {
  auto r = run_aekit(dir, "eval " + args + " --json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(CliTabularExamples, DigitsAutoencoder) {
  ScratchDir dir;
  auto train = run_aekit(dir, "train --config " + example("digits_tabular_autoencoder.conf") + " --threads 1 --out d.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_THAT(train.err, HasSubstr("64-32-16"));
  const auto j = eval_json(dir, "d.aek --data digits:test --probe knn --probe-train digits:train");
  std::printf("digits example: test mse %.5f, knn on codes %.4f\n", j["mse_per_element"].get<double>(),
              j["knn_accuracy"].get<double>());
  EXPECT_LT(j["mse_per_element"].get<double>(), 0.03);
  EXPECT_GT(j["knn_accuracy"].get<double>(), 0.9);
}

TEST(CliTabularExamples, WineEmbeddingIsPlottedAndSeparatesTheCultivars) {
  ScratchDir dir;
  auto train = run_aekit(dir, "train --config " + example("wine_2d_embedding.conf") + " --threads 1 --out w.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  auto plot = run_aekit(dir, "plot-latent w.aek --data wine --png wine.png");
  ASSERT_EQ(plot.exit_code, 0) << plot.err;
  EXPECT_GT(std::filesystem::file_size(dir / "wine.png"), 1000u);
  const auto j = eval_json(dir, "w.aek --data wine:test --probe knn --probe-train wine:train");
  std::printf("wine example: knn on 2-D codes %.4f (raw %.4f)\n", j["knn_accuracy"].get<double>(),
              j["knn_raw_accuracy"].get<double>());
  EXPECT_GT(j["knn_accuracy"].get<double>(), 0.8);
}

TEST(CliTabularExamples, BreastCancerFeatures) {
  ScratchDir dir;
  auto train = run_aekit(dir, "train --config " + example("breast_cancer_features.conf") + " --threads 1 --out b.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  auto encode = run_aekit(dir, "encode b.aek --data breast-cancer --out features.csv");
  ASSERT_EQ(encode.exit_code, 0) << encode.err;
  EXPECT_EQ(count_lines(slurp(dir / "features.csv")), 570);  // a header and 569 rows
  const auto j = eval_json(dir, "b.aek --data breast-cancer:test --probe knn --probe-train breast-cancer:train");
  std::printf("breast-cancer example: knn on 8-D codes %.4f (raw %.4f)\n", j["knn_accuracy"].get<double>(),
              j["knn_raw_accuracy"].get<double>());
  EXPECT_GT(j["knn_accuracy"].get<double>(), 0.88);
}

}  // namespace
}  // namespace aekit::test
