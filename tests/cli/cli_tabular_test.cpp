// aekit on a real table with no flags but the data (issue 9, points 1 and 2): scikit-learn's
// digits, split in two and written as CSV with the class as the last column. The defaults that
// follow the data train a useful undercomplete model; the literal MNIST defaults on the same table
// waste the run, and training says so.
#include "cli_runner.h"

#include <aekit/data/dataset.h>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

namespace aekit::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Rows [begin, end) of the digits, features then class.
void write_digits(const std::string& path, int64_t begin, int64_t end) {
  const Dataset digits = load_dataset("digits");
  std::ostringstream csv;
  for (int64_t r = begin; r < end; ++r) {
    for (int64_t c = 0; c < digits.x.cols(); ++c) csv << digits.x.row(r)[c] << ",";
    csv << digits.labels.data()[r] << "\n";
  }
  write_text(path, csv.str());
}

nlohmann::json probe(const ScratchDir& dir, const std::string& model) {
  auto eval = run_aekit(dir, "eval " + model + " --data test.csv --label-column -1 --probe knn --probe-train train.csv --json");
  EXPECT_EQ(eval.exit_code, 0) << eval.err;
  return nlohmann::json::parse(eval.out);
}

TEST(CliTabular, DefaultsFollowTheDigitsTable) {
  ScratchDir dir;
  write_digits(dir / "train.csv", 0, 1400);
  write_digits(dir / "test.csv", 1400, 1797);
  auto train = run_aekit(dir, "train --data train.csv --label-column -1 --threads 1 --out d.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_THAT(train.err, HasSubstr("tabular data with 64 features: 64-32-16, relu hidden, identity code, "
                                   "sigmoid output (targets in [0,1] after minmax), batch 16, 35 epochs"));
  EXPECT_THAT(train.err, Not(HasSubstr("warning")));
  auto info = run_aekit(dir, "info d.aek");
  EXPECT_THAT(info.out, HasSubstr("64-32-16-32-64"));
  const auto useful = probe(dir, "d.aek");

  // The literal defaults (the seeds' MNIST model with the input size from the data): no
  // compression, sigmoid codes, 10 epochs of 256 = 60 updates.
  auto literal = run_aekit(dir, "train --data train.csv --label-column -1 --threads 1 --out l.aek --arch 64-128-64 "
                                "--activation sigmoid --epochs 10 --batch-size 256");
  ASSERT_EQ(literal.exit_code, 0) << literal.err;
  EXPECT_THAT(literal.err, HasSubstr("warning: the code (64 values) is not narrower than the input (64 features)"));
  EXPECT_THAT(literal.err, HasSubstr("no better than predicting each feature's mean"));
  const auto wasted = probe(dir, "l.aek");

  std::printf("digits test: defaults mse %.5f knn %.4f; literal mse %.5f knn %.4f; raw knn %.4f\n",
              useful["mse_per_element"].get<double>(), useful["knn_accuracy"].get<double>(),
              wasted["mse_per_element"].get<double>(), wasted["knn_accuracy"].get<double>(),
              useful["knn_raw_accuracy"].get<double>());
  EXPECT_LT(useful["mse_per_element"].get<double>(), 0.5 * wasted["mse_per_element"].get<double>());
  EXPECT_GT(useful["knn_accuracy"].get<double>(), 0.9);
}

// Point 4: eval in the preprocessed units and in the data's, and per feature. Two columns on very
// different scales (0-1 and 0-1000) under minmax: the data's units weigh the second 10^6 times more.
TEST(CliTabular, ErrorsInTheDataUnitsAndPerFeature) {
  ScratchDir dir;
  Rng rng(3);
  std::ostringstream csv;
  csv << "small,large,other\n";
  float low[2] = {1e9f, 1e9f}, high[2] = {-1e9f, -1e9f};
  for (int r = 0; r < 200; ++r) {
    const float small = rng.uniform(), large = 1000 * rng.uniform();
    csv << small << "," << large << "," << rng.uniform() << "\n";
    low[0] = std::min(low[0], small), high[0] = std::max(high[0], small);
    low[1] = std::min(low[1], large), high[1] = std::max(high[1], large);
  }
  write_text(dir / "t.csv", csv.str());
  ASSERT_EQ(run_aekit(dir, "train --data t.csv --epochs 2 --threads 1 --out m.aek").exit_code, 0);
  auto eval = run_aekit(dir, "eval m.aek --data t.csv --per-feature --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const auto j = nlohmann::json::parse(eval.out);
  EXPECT_EQ(j["units"], "preprocessed (minmax)");
  const auto& f = j["per_feature"];
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[1]["name"], "large");
  // minmax divides by each column's range: the data's units multiply its error by the range squared.
  const double small_ratio = f[0]["mse_data_units"].get<double>() / f[0]["mse"].get<double>();
  const double large_ratio = f[1]["mse_data_units"].get<double>() / f[1]["mse"].get<double>();
  const double small_range = high[0] - low[0], large_range = high[1] - low[1];
  EXPECT_NEAR(small_ratio, small_range * small_range, 1e-3 * small_range * small_range);
  EXPECT_NEAR(large_ratio, large_range * large_range, 1e-3 * large_range * large_range);
  double mean_data_units = 0;
  for (const auto& feature : f) mean_data_units += feature["mse_data_units"].get<double>() / 3;
  EXPECT_NEAR(j["mse_per_element_data_units"].get<double>(), mean_data_units, 1e-6 * mean_data_units);

  auto text = run_aekit(dir, "eval m.aek --data t.csv --per-feature");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("in preprocessed units (minmax):"));
  EXPECT_THAT(text.out, HasSubstr("in the data's units:"));
  EXPECT_THAT(text.out, HasSubstr("worst features       rmse (data units)  rmse (preprocessed)\n  large "));
}

}  // namespace
}  // namespace aekit::test
