// Layer lists on the command line: --encoder-layers/--decoder-layers train a model whose file
// stores the layer specs, and loss terms appear in the epoch lines apart from the loss.
#include "cli_runner.h"


namespace aekit::test {
namespace {

TEST(CliLayers, TrainsFromLayerSpecsAndReportsLossTerms) {
  ScratchDir dir;
  write_uniform_csv(dir / "data.csv", 200, 10, 2);
  auto train = run_aekit(dir,
                         "train --data data.csv --encoder-layers 'dense(out=16, activation=sigmoid) "
                         "kl_sparsity(rho=0.05, beta=3)' --decoder-layers 'dense(out=10, activation=sigmoid)' "
                         "--epochs 2 --batch-size 50 --out m.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.err.find("10-16-10 (kl_sparsity)"), std::string::npos) << train.err;
  EXPECT_NE(train.err.find("kl_sparsity "), std::string::npos) << train.err;
  auto info = run_aekit(dir, "info m.aek");
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("kl_sparsity(beta=3, rho=0.05)"), std::string::npos) << info.out;
}

TEST(CliLayers, BadLayerSpecsAreOneLineErrors) {
  ScratchDir dir;
  write_uniform_csv(dir / "data.csv", 200, 10, 2);
  for (const char* bad : {"--encoder-layers 'dense(out=4)'",  // no decoder
                          "--encoder-layers 'dense(out=4' --decoder-layers 'dense(out=10)'",
                          "--encoder-layers 'warp(out=4)' --decoder-layers 'dense(out=10)'",
                          "--encoder-layers 'dense(out=4)' --decoder-layers 'dense(out=9)'"}) {
    auto r = run_aekit(dir, std::string("train --data data.csv --epochs 1 --out m.aek ") + bad);
    EXPECT_EQ(r.exit_code, 2) << bad << "\n" << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "m.aek"));
  }
}

}  // namespace
}  // namespace aekit::test
