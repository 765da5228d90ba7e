// issue 9, point 7: the tabular examples run as their comments say, each with a bound on its result
// (measured values in the comments; the bounds leave room for other CPUs' rounding).
#include "cli_runner.h"

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

namespace aekit::test {
namespace {

using ::testing::HasSubstr;

std::string example(const std::string& name) { return std::string(AEKIT_SOURCE_DIR) + "/examples/" + name; }

// Trains examples/`config` into `out`, on one thread.
void train_example(const ScratchDir& dir, const std::string& config, const std::string& out, std::string* err = nullptr) {
  auto train = run_aekit(dir, "train --config " + example(config) + " --threads 1 --out " + out);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  if (err) *err = train.err;
}

nlohmann::json eval_json(const ScratchDir& dir, const std::string& args) {
  auto r = run_aekit(dir, "eval " + args + " --json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(CliTabularExamples, DigitsAutoencoder) {
  ScratchDir dir;
  std::string err;
  ASSERT_NO_FATAL_FAILURE(train_example(dir, "digits_tabular_autoencoder.conf", "d.aek", &err));
  EXPECT_THAT(err, HasSubstr("64-32-16"));
  const auto j = eval_json(dir, "d.aek --data digits:test --probe knn --probe-train digits:train");
  std::printf("digits example: test mse %.5f, knn on codes %.4f\n", j["mse_per_element"].get<double>(),
              j["knn_accuracy"].get<double>());
  EXPECT_LT(j["mse_per_element"].get<double>(), 0.03);
  EXPECT_GT(j["knn_accuracy"].get<double>(), 0.9);
}

TEST(CliTabularExamples, WineEmbeddingIsPlottedAndSeparatesTheCultivars) {
  ScratchDir dir;
  ASSERT_NO_FATAL_FAILURE(train_example(dir, "wine_2d_embedding.conf", "w.aek"));
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
  ASSERT_NO_FATAL_FAILURE(train_example(dir, "breast_cancer_features.conf", "b.aek"));
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
