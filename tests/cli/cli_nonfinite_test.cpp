// A diverging run at the command line: exit code 3 (not 2: the input was fine), one line naming
// the epoch and batch, and no model written, an earlier one at the same path left as it was.
#include "cli_runner.h"

namespace aekit::test {
namespace {

void write_64_row_csv(const std::string& path) {
  std::string csv;
  for (int r = 0; r < 64; ++r) csv += std::to_string(r % 5) + "," + std::to_string(r % 3) + ",1,2\n";
  write_text(path, csv);
}

TEST(CliNonFinite, DivergingRunExitsWith3NamingEpochAndBatchAndWritesNothing) {
  ScratchDir dir;
  write_64_row_csv(dir / "in.csv");
  ASSERT_EQ(run_aekit(dir, "train --data in.csv --arch 4-2 --epochs 1 --out m.aek").exit_code, 0);
  const std::string earlier = slurp(dir / "m.aek");
  const std::string diverge =
      "train --data in.csv --arch 4-3-2 --activation identity --output-activation identity --preprocess none "
      "--optimizer sgd --lr 1e30 --batch-size 8 --epochs 2 --threads 1 --out m.aek";
  for (const char* extra : {"", " --seed 5"}) {
    auto r = run_aekit(dir, diverge + extra);
    EXPECT_EQ(r.exit_code, 3) << extra << ": " << r.err;
    EXPECT_NE(r.err.find("aekit: error: training diverged: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("epoch 1, batch "), std::string::npos) << r.err;
    const size_t error_at = r.err.find("aekit: error:");
    EXPECT_EQ(r.err.find('\n', error_at), r.err.size() - 1) << "the error is not one last line: " << r.err;
    EXPECT_EQ(slurp(dir / "m.aek"), earlier) << "the earlier model was replaced";
    EXPECT_EQ(dir.listing(), (std::vector<std::string>{"in.csv", "m.aek"}));
  }
}

TEST(CliNonFinite, SkippedBatchesWhoseModelOverflowsExitWith3NotWithABadInputCode) {
  // Values near the float maximum: every batch's loss overflows and --skip-nonfinite skips it, so
  // training "succeeds", but the model's outputs on the training data are infinite. That is
  // divergence (exit 3, nothing written), not a damaged input (exit 2 from the anomaly profile).
  ScratchDir dir;
  std::string csv;
  for (int r = 0; r < 64; ++r) {
    for (int c = 0; c < 16; ++c) csv += c ? ",3e38" : "3e38";
    csv += "\n";
  }
  write_text(dir / "big.csv", csv);
  auto r = run_aekit(dir, "train --data big.csv --arch 16-16-16 --activation identity --output-activation identity "
                          "--preprocess none --skip-nonfinite true --epochs 1 --threads 1 --out m.aek");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("aekit: error: training diverged: the trained model's output on the training data is not finite"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(dir.listing(), (std::vector<std::string>{"big.csv"}));
}

TEST(CliNonFinite, SkipNonFiniteIsATrainingOption) {
  ScratchDir dir;
  auto r = run_aekit(dir, "train --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--skip-nonfinite"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace aekit::test
