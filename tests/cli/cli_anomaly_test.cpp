// aekit score, threshold and eval --labels end to end on generated data: normal rows lie on a
// 3-D subspace of R^12, anomalies do not.
#include "cli_runner.h"

#include <aekit/core/rng.h>
#include <aekit/data/npy.h>
#include <nlohmann/json.hpp>

namespace aekit::test {
namespace {

// `normal` rows on the subspace, then `anomalies` rows with independent features; a last
// column "is_anomaly" (1/0) when `label_column`. Values in [0, 10].
void write_rows(const std::string& path, int normal, int anomalies, bool label_column, uint64_t seed) {
  Rng rng(seed);
  std::ostringstream csv;
  for (int c = 0; c < 12; ++c) csv << (c ? "," : "") << "f" << c;
  csv << (label_column ? ",is_anomaly\n" : "\n");
  for (int r = 0; r < normal + anomalies; ++r) {
    const bool odd = r >= normal;
    const float a = rng.uniform(), b = rng.uniform(), d = rng.uniform();
    for (int c = 0; c < 12; ++c) {
      const float v = odd ? rng.uniform() : (c % 3 == 0 ? a : c % 3 == 1 ? b : d);
      csv << (c ? "," : "") << 10.0f * v;
    }
    if (label_column) csv << "," << (odd ? 1 : 0);
    csv << "\n";
  }
  write_text(path, csv.str());
}

void write_labels(const std::string& path, int normal, int anomalies) {
  std::string text;
  for (int r = 0; r < normal + anomalies; ++r) text += r < normal ? "0\n" : "1\n";
  write_text(path, text);
}

const std::string kTrain =
    "train --data train.csv --arch 12-8-3 --activation tanh --output-activation sigmoid --optimizer adam --lr 0.01 "
    "--batch-size 32 --epochs 40 --seed 0 --out model.aek";

class CliAnomaly : public ::testing::Test {
 protected:
  void SetUp() override {
    write_rows(dir / "train.csv", 300, 0, false, 1);
    write_rows(dir / "test.csv", 180, 20, false, 2);
    write_rows(dir / "test_labelled.csv", 180, 20, true, 2);
    write_labels(dir / "labels.csv", 180, 20);
  }
  ScratchDir dir;
};

TEST_F(CliAnomaly, TrainStoresThresholdScoreAndEvalUseIt) {
  auto train = run_aekit(dir, kTrain + " --contamination 0.05");
  ASSERT_EQ(train.exit_code, 0) << train.err;

  // Scores of the training data: the stored threshold leaves 5% of them above it.
  auto s = run_aekit(dir, "score model.aek --data train.csv --labels --json");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  auto j = nlohmann::json::parse(s.out);
  EXPECT_EQ(j.at("samples").get<int>(), 300);
  EXPECT_EQ(j.at("predicted_anomalies").get<int>(), 15) << "contamination 0.05 of 300";
  EXPECT_GT(j.at("max").get<double>(), 1.5 * j.at("median").get<double>()) << "scores must not be constant";

  // Test scores as CSV, in row order with the row index and the prediction.
  auto out = run_aekit(dir, "score model.aek --data test.csv --labels --out scores.csv");
  ASSERT_EQ(out.exit_code, 0) << out.err;
  const std::string csv = slurp(dir / "scores.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "row,score,predicted");
  EXPECT_EQ(count_lines(csv), 201);
  EXPECT_NE(csv.find("\n199,"), std::string::npos);
  auto again = run_aekit(dir, "score model.aek --data test.csv --labels --out scores2.csv");
  EXPECT_EQ(slurp(dir / "scores2.csv"), csv) << "scores are deterministic";

  auto npy = run_aekit(dir, "score model.aek --data test.csv --out scores.npy");
  ASSERT_EQ(npy.exit_code, 0) << npy.err;
  EXPECT_EQ(read_npy(dir / "scores.npy").shape(), (Shape{200}));

  // Eval with a labels file: off-subspace rows are easy to tell apart.
  auto eval = run_aekit(dir, "eval model.aek --data test.csv --labels labels.csv --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  auto e = nlohmann::json::parse(eval.out);
  for (const char* key : {"auroc", "average_precision", "precision", "recall", "f1"}) {
    const double v = e.at(key).get<double>();
    EXPECT_GE(v, 0.0) << key;
    EXPECT_LE(v, 1.0) << key;
  }
  EXPECT_GT(e.at("auroc").get<double>(), 0.95);
  EXPECT_GT(e.at("average_precision").get<double>(), 0.8);
  EXPECT_GT(e.at("recall").get<double>(), 0.8);
  EXPECT_EQ(e.at("anomalies").get<int>(), 20);

  // The same labels from a column of the data give the same report.
  auto col = run_aekit(dir, "eval model.aek --data test_labelled.csv --label-column 12 --json");
  ASSERT_EQ(col.exit_code, 0) << col.err;
  auto c = nlohmann::json::parse(col.out);
  EXPECT_DOUBLE_EQ(c.at("auroc").get<double>(), e.at("auroc").get<double>());
  EXPECT_DOUBLE_EQ(c.at("f1").get<double>(), e.at("f1").get<double>());
  auto idx = run_aekit(dir, "eval model.aek --data test_labelled.csv --label-column -1 --json");
  ASSERT_EQ(idx.exit_code, 0) << idx.err;
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(idx.out).at("auroc").get<double>(), e.at("auroc").get<double>());

  // Every metric works, zscore included.
  for (const char* metric : {"sse", "l1", "zscore"}) {
    auto m = run_aekit(dir, std::string("eval model.aek --data test.csv --labels labels.csv --json --metric ") + metric);
    ASSERT_EQ(m.exit_code, 0) << metric << ": " << m.err;
    EXPECT_GT(nlohmann::json::parse(m.out).at("auroc").get<double>(), 0.9) << metric;
  }
}

TEST_F(CliAnomaly, ThresholdRethresholdsWithoutRetraining) {
  ASSERT_EQ(run_aekit(dir, kTrain).exit_code, 0);
  ASSERT_EQ(run_aekit(dir, "score model.aek --data test.csv --out scores.csv").exit_code, 0);
  auto t = run_aekit(dir, "threshold scores.csv --contamination 0.1 --json");
  ASSERT_EQ(t.exit_code, 0) << t.err;
  auto j = nlohmann::json::parse(t.out);
  EXPECT_EQ(j.at("predicted_anomalies").get<int>(), 20);
  const double threshold = j.at("threshold").get<double>();

  // Stored in the model, it becomes what score --labels uses.
  auto store = run_aekit(dir, "threshold scores.csv --contamination 0.1 --model model.aek");
  ASSERT_EQ(store.exit_code, 0) << store.err;
  auto s = run_aekit(dir, "score model.aek --data test.csv --labels --json");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  auto sj = nlohmann::json::parse(s.out);
  EXPECT_DOUBLE_EQ(sj.at("threshold").get<double>(), threshold);
  EXPECT_EQ(sj.at("predicted_anomalies").get<int>(), 20);

  auto npy = run_aekit(dir, "score model.aek --data test.csv --out scores.npy");
  ASSERT_EQ(npy.exit_code, 0);
  auto tn = run_aekit(dir, "threshold scores.npy --threshold auto");
  ASSERT_EQ(tn.exit_code, 0) << tn.err;
  EXPECT_NE(tn.out.find("auto (median + 3 MAD)"), std::string::npos) << tn.out;
}

TEST_F(CliAnomaly, BadInputIsOneLineAndExitCode2) {
  ASSERT_EQ(run_aekit(dir, kTrain).exit_code, 0);
  std::string bad_labels;
  for (int r = 0; r < 199; ++r) bad_labels += "0\n";
  write_text(dir / "bad_labels.csv", bad_labels + "2\n");
  write_text(dir / "short_labels.csv", "0\n1\n");
  write_labels(dir / "all_normal.csv", 200, 0);
  const std::vector<std::pair<std::string, std::string>> cases{
      {"eval model.aek --data train.csv --labels short_labels.csv", "2 labels for 300 rows"},
      {"eval model.aek --data test.csv --labels bad_labels.csv", "row 199: label 2 is not 0"},
      {"eval model.aek --data test.csv --labels labels.csv --metric rmse", "unknown score metric"},
      {"eval model.aek --data test.csv --labels all_normal.csv", "needs both anomalies"},
      {"eval model.aek --data test_labelled.csv --label-column nope", "--label-column 'nope': no such column"},
      {"eval model.aek --data test_labelled.csv --label-column 13", "has 13 columns"},
      {"score model.aek --data test.csv --labels --threshold x", "not a finite number"},
      {"score model.aek --data test.csv --out scores.txt2", "unknown format"},
      {"threshold missing.csv", "missing.csv"},
      {"threshold labels.csv --contamination 0.7", "--contamination must be in"},
      {"train --data train.csv --contamination 0.1 --threshold 3 --out m2.aek", "not both"},
      {"train --data train.csv --score-metric rmse --out m2.aek", "unknown score metric"},
  };
  for (const auto& [args, message] : cases) {
    auto r = run_aekit(dir, args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << "\n" << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "m2.aek")) << "a rejected train writes nothing";
}

}  // namespace
}  // namespace aekit::test
