// pca, plot-latent and eval --probe knn end to end: on generated labelled CSV data, and on the
// real MNIST (the PCA-30 error Hinton & Salakhutdinov report, 13.87 per test image).
#include "cli_runner.h"

#include <aekit/core/rng.h>
#include <aekit/data/dataset.h>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

namespace aekit::test {
namespace {

using ::testing::HasSubstr;

// Three classes in 10-D: clusters around different centres, spread most along 3 directions;
// the class label is the last column.
void write_labelled(const std::string& path, int rows, uint64_t seed) {
  Rng rng(seed);
  std::ostringstream csv;
  for (int r = 0; r < rows; ++r) {
    const int label = r % 3;
    for (int c = 0; c < 10; ++c) {
      const float centre = (c == label) ? 4.0f : 0.0f;
      csv << centre + rng.normal(0, c < 3 ? 1.0f : 0.3f) << ",";
    }
    csv << label << "\n";
  }
  write_text(path, csv.str());
}

TEST(CliLatent, PcaIsAModelForEveryVerb) {
  ScratchDir dir;
  write_labelled(dir / "train.csv", 600, 1);
  write_labelled(dir / "test.csv", 300, 2);
  auto pca = run_aekit(dir, "pca --data train.csv --label-column -1 --components 2 --preprocess none --out pca.aek "
                            "--test test.csv");
  ASSERT_EQ(pca.exit_code, 0) << pca.err;
  EXPECT_THAT(pca.out, HasSubstr("explained variance"));
  EXPECT_THAT(pca.out, HasSubstr("test sse per sample"));

  auto info = run_aekit(dir, "info pca.aek");
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_THAT(info.out, HasSubstr("method       PCA, 2 components"));
  EXPECT_THAT(info.out, HasSubstr("network      10-2-10"));

  auto encode = run_aekit(dir, "encode pca.aek --data test.csv --label-column -1 --out codes.csv");
  ASSERT_EQ(encode.exit_code, 0) << encode.err;
  EXPECT_EQ(count_lines(slurp(dir / "codes.csv")), 301);  // a header (code_0,code_1,label) and the rows
  auto decode = run_aekit(dir, "decode pca.aek --data codes.csv --out back.csv");
  ASSERT_EQ(decode.exit_code, 0) << decode.err;
  auto eval = run_aekit(dir, "eval pca.aek --data test.csv --label-column -1 --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const auto j = nlohmann::json::parse(eval.out);
  EXPECT_GT(j["sse_per_sample"].get<double>(), 0.0);
  EXPECT_EQ(j["features"], 10);
  EXPECT_FALSE(j.contains("knn_accuracy"));  // no probe asked for
}

TEST(CliLatent, KnnProbeOnCodesRawAndPca) {
  ScratchDir dir;
  write_labelled(dir / "train.csv", 600, 1);
  write_labelled(dir / "test.csv", 300, 2);
  ASSERT_EQ(run_aekit(dir, "pca --data train.csv --label-column -1 --components 3 --out pca.aek").exit_code, 0);
  auto eval = run_aekit(dir, "eval pca.aek --data test.csv --label-column -1 --probe knn --probe-train train.csv "
                             "--probe-k 3 --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const auto j = nlohmann::json::parse(eval.out);
  // The classes sit 4 standard deviations apart along the first 3 directions: all separable.
  EXPECT_GT(j["knn_accuracy"].get<double>(), 0.95);
  EXPECT_GT(j["knn_raw_accuracy"].get<double>(), 0.95);
  EXPECT_GT(j["knn_pca_accuracy"].get<double>(), 0.95);
  EXPECT_EQ(j["knn_k"], 3);
  EXPECT_EQ(j["knn_pca_components"], 3);
  EXPECT_EQ(j["probe_train_rows"], 600);

  auto limited = run_aekit(dir, "eval pca.aek --data test.csv --label-column -1 --probe knn --probe-train train.csv "
                                "--probe-train-limit 100");
  ASSERT_EQ(limited.exit_code, 0) << limited.err;
  EXPECT_THAT(limited.out, HasSubstr("trained on 100 rows of train.csv"));
  EXPECT_THAT(limited.out, HasSubstr("knn accuracy codes"));
}

TEST(CliLatent, ProbeAndPcaBadInput) {
  ScratchDir dir;
  write_labelled(dir / "train.csv", 60, 1);
  ASSERT_EQ(run_aekit(dir, "pca --data train.csv --label-column -1 --components 2 --out pca.aek").exit_code, 0);
  auto no_labels = run_aekit(dir, "eval pca.aek --data train.csv --label-column -1 --probe knn");
  EXPECT_EQ(no_labels.exit_code, 2);
  EXPECT_THAT(no_labels.err, HasSubstr("--probe-train"));
  auto unlabelled = run_aekit(dir, "pca --data train.csv --components 2 --out all.aek");
  ASSERT_EQ(unlabelled.exit_code, 0) << unlabelled.err;
  auto missing = run_aekit(dir, "eval all.aek --data train.csv --probe knn --probe-train train.csv");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("has no labels"));
  auto big_k = run_aekit(dir, "eval pca.aek --data train.csv --label-column -1 --probe knn --probe-train train.csv "
                              "--probe-k 61");
  EXPECT_EQ(big_k.exit_code, 2);
  EXPECT_THAT(big_k.err, HasSubstr("--probe-k 61"));
  auto components = run_aekit(dir, "pca --data train.csv --label-column -1 --components 11 --out bad.aek");
  EXPECT_EQ(components.exit_code, 2);
  EXPECT_THAT(components.err, HasSubstr("--components 11"));
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.aek"));
  auto column = run_aekit(dir, "pca --data train.csv --label-column 12 --components 2 --out bad.aek");
  EXPECT_EQ(column.exit_code, 2);
  EXPECT_THAT(column.err, HasSubstr("out of range"));
}

TEST(CliLatent, PlotLatentDrawsAPicture) {
  ScratchDir dir;
  write_labelled(dir / "train.csv", 300, 1);
  ASSERT_EQ(run_aekit(dir, "pca --data train.csv --label-column -1 --components 4 --out pca.aek").exit_code, 0);
  auto plot = run_aekit(dir, "plot-latent pca.aek --data train.csv --label-column -1 --png latent.png --width 500 "
                             "--height 400");
  ASSERT_EQ(plot.exit_code, 0) << plot.err;
  EXPECT_THAT(plot.out, HasSubstr("projected on its first 2 principal components"));
  EXPECT_THAT(plot.out, HasSubstr("300 points drawn to latent.png"));
  const std::string png = slurp(dir / "latent.png");
  ASSERT_GT(png.size(), 24u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  auto be32 = [&](size_t at) {
    return (uint32_t(uint8_t(png[at])) << 24) | (uint32_t(uint8_t(png[at + 1])) << 16) |
           (uint32_t(uint8_t(png[at + 2])) << 8) | uint32_t(uint8_t(png[at + 3]));
  };
  EXPECT_EQ(be32(16), 500u);  // IHDR width
  EXPECT_EQ(be32(20), 400u);  // IHDR height
  EXPECT_EQ(png[25], 2);      // colour type RGB

  ASSERT_EQ(run_aekit(dir, "pca --data train.csv --label-column -1 --components 1 --out one.aek").exit_code, 0);
  auto one = run_aekit(dir, "plot-latent one.aek --data train.csv --label-column -1 --png one.png");
  EXPECT_EQ(one.exit_code, 2);
  EXPECT_THAT(one.err, HasSubstr("needs at least 2"));
}

bool mnist_fetched() {
  if (std::filesystem::exists(std::filesystem::path(data_cache_dir()) / "mnist")) return true;
  if (std::getenv("CI")) ADD_FAILURE() << "MNIST is missing from " << data_cache_dir() << " (scripts/fetch-data)";
  return false;
}

// Hinton & Salakhutdinov (2006) report 13.87 per MNIST test image for PCA with 30 components.
TEST(CliLatent, MnistPca30MatchesThePublishedErrorAndProbes) {
  if (!mnist_fetched()) GTEST_SKIP() << "MNIST not fetched (scripts/fetch-data)";
  ScratchDir dir;
  auto pca = run_aekit(dir, "pca --data mnist:train --components 30 --out pca30.aek");
  ASSERT_EQ(pca.exit_code, 0) << pca.err;
  auto eval = run_aekit(dir, "eval pca30.aek --data mnist:test --probe knn --probe-train-limit 5000 --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const auto j = nlohmann::json::parse(eval.out);
  EXPECT_NEAR(j["sse_per_sample"].get<double>(), 13.87, 0.1);
  EXPECT_EQ(j["probe_train"], "mnist:train");
  EXPECT_EQ(j["probe_train_rows"], 5000);
  // 5-NN on 5000 training digits: about 0.95 on PCA-30 codes and 0.93 on the pixels.
  EXPECT_GT(j["knn_accuracy"].get<double>(), 0.9);
  EXPECT_GT(j["knn_raw_accuracy"].get<double>(), 0.88);
  EXPECT_NEAR(j["knn_pca_accuracy"].get<double>(), j["knn_accuracy"].get<double>(), 0.01);
}

}  // namespace
}  // namespace aekit::test
