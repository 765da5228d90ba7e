// The anomaly workflow's guards against PyOD's known faults, through the command: a trained
// model's scores are spread out, overcomplete hidden layers train and score, an output activation
// that cannot reach the preprocessed data is warned about at training time, and a non-finite
// score is an error naming the row.
#include "cli_runner.h"

#include <aekit/anomaly/threshold.h>
#include <aekit/core/rng.h>
#include <nlohmann/json.hpp>

namespace aekit::test {
namespace {

// Rows on a 2-D subspace of R^8 in [0, 10] (the last `anomalies` rows off it).
void write_guard_rows(const std::string& path, int normal, int anomalies, uint64_t seed) {
  Rng rng(seed);
  std::ostringstream csv;
  for (int r = 0; r < normal + anomalies; ++r) {
    const float a = rng.uniform(), b = rng.uniform();
    for (int c = 0; c < 8; ++c) csv << (c ? "," : "") << 10.0f * (r >= normal ? rng.uniform() : c % 2 ? a : b);
    csv << "\n";
  }
  write_text(path, csv.str());
}

std::vector<double> scores_of(const CommandResult& r) {
  return nlohmann::json::parse(r.out).at("scores").get<std::vector<double>>();
}

class CliAnomalyGuards : public ::testing::Test {
 protected:
  void SetUp() override {
    write_guard_rows(dir / "train.csv", 256, 0, 1);
    write_guard_rows(dir / "test.csv", 90, 10, 2);
    std::string labels;
    for (int r = 0; r < 100; ++r) labels += r < 90 ? "0\n" : "1\n";
    write_text(dir / "labels.csv", labels);
  }
  ScratchDir dir;
};

const std::string kSettings = " --optimizer adam --lr 0.01 --batch-size 32 --seed 0 --threads 1";

TEST_F(CliAnomalyGuards, TrainedModelScoresAreNeverConstant) {
  // PyOD's fault: a collapsed model that outputs one constant for every input gives (nearly)
  // equal scores. A model trained here must rank samples: its scores must be spread out.
  auto train = run_aekit(dir, "train --data train.csv --arch 8-6-2 --activation tanh --output-activation sigmoid" +
                                  kSettings + " --epochs 40 --out model.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  auto s = run_aekit(dir, "score model.aek --data test.csv --json");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const std::vector<double> scores = scores_of(s);
  ASSERT_EQ(scores.size(), 100u);
  const double median = quantile(scores, 0.5);
  EXPECT_GT(median, 0.0);
  EXPECT_GT(median_absolute_deviation(scores), 0.1 * median) << "scores barely differ: a collapsed model";
  EXPECT_GT(quantile(scores, 1.0), 3 * median) << "the off-subspace rows should stand out";
}

TEST_F(CliAnomalyGuards, OvercompleteHiddenLayersTrainAndScore) {
  // Wider than the input (8 -> 32 -> 16 -> 32 -> 8): allowed, as for sparse or denoising models.
  auto train = run_aekit(dir, "train --data train.csv --arch 8-32-16 --activation tanh --output-activation sigmoid" +
                                  kSettings + " --epochs 40 --out wide.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  auto s = run_aekit(dir, "score wide.aek --data test.csv --json");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const std::vector<double> scores = scores_of(s);
  EXPECT_GT(median_absolute_deviation(scores), 0.05 * quantile(scores, 0.5)) << "scores collapsed";
  auto e = run_aekit(dir, "eval wide.aek --data test.csv --labels labels.csv --json");
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_GT(nlohmann::json::parse(e.out).at("auroc").get<double>(), 0.5) << "better than chance";
}

TEST_F(CliAnomalyGuards, OutputActivationOutOfTheDataRangeIsWarnedOnce) {
  // Z-scored data is about half negative; a sigmoid output can never produce it.
  auto bad = run_aekit(dir, "train --data train.csv --arch 8-4 --preprocess zscore --output-activation sigmoid" +
                                kSettings + " --epochs 2 --out z.aek");
  ASSERT_EQ(bad.exit_code, 0) << bad.err;
  std::istringstream lines(bad.err);
  int warnings = 0;
  for (std::string line; std::getline(lines, line);)
    if (line.find("warning: the output activation") != std::string::npos) {  // others may follow (wasted_run.h)
      ++warnings;
      EXPECT_NE(line.find("output activation sigmoid reaches only [0, 1]"), std::string::npos) << line;
      EXPECT_NE(line.find("--preprocess zscore"), std::string::npos) << line;
    }
  EXPECT_EQ(warnings, 1) << bad.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "z.aek")) << "a warning, not an error";

  // Inside the range (minmax to [0, 1] under a sigmoid; z-scores under identity): no warning.
  for (const char* ok :
       {"--preprocess minmax --output-activation sigmoid", "--preprocess zscore --output-activation identity"}) {
    auto r =
        run_aekit(dir, std::string("train --data train.csv --arch 8-4 ") + ok + kSettings + " --epochs 2 --out ok.aek");
    ASSERT_EQ(r.exit_code, 0) << ok << "\n" << r.err;
    EXPECT_EQ(r.err.find("warning: the output activation"), std::string::npos) << ok << "\n" << r.err;
  }
}

TEST_F(CliAnomalyGuards, NonFiniteScoreIsAnErrorNamingTheRow) {
  // A linear model without preprocessing: a huge (finite) value overflows its output to inf.
  ASSERT_EQ(run_aekit(dir, "train --data train.csv --arch 8-4 --activation identity --output-activation identity "
                           "--preprocess none" + kSettings + " --epochs 2 --out linear.aek")
                .exit_code,
            0);
  std::string rows = slurp(dir / "test.csv");
  const size_t third_row = rows.find('\n', rows.find('\n') + 1) + 1;
  rows.insert(third_row, "3e38,3e38,3e38,3e38,3e38,3e38,3e38,3e38\n");
  write_text(dir / "huge.csv", rows);
  write_text(dir / "huge_labels.csv", "1\n" + slurp(dir / "labels.csv"));
  for (const char* verb :
       {"score linear.aek --data huge.csv --out s.csv", "eval linear.aek --data huge.csv --labels huge_labels.csv"}) {
    auto r = run_aekit(dir, verb);
    EXPECT_EQ(r.exit_code, 2) << verb << "\n" << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("huge.csv: row 2: anomaly score is"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "s.csv")) << "nothing written";
}

}  // namespace
}  // namespace aekit::test
