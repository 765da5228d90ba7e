// `aekit demo`, the README's main job, end to end for one epoch on the real MNIST: it trains,
// reports the test error, and leaves the model and a PNG where it says.
#include "cli_runner.h"

#include <aekit/data/dataset.h>

namespace aekit::test {
namespace {

TEST(CliDemo, TrainsReportsAndDrawsOnMnist) {
  if (!std::filesystem::exists(std::filesystem::path(data_cache_dir()) / "mnist")) {
    if (std::getenv("CI")) FAIL() << "MNIST is missing from " << data_cache_dir() << " (scripts/fetch-data)";
    GTEST_SKIP() << "MNIST not in " << data_cache_dir() << "; run scripts/fetch-data";
  }
  ScratchDir dir;
  auto r = run_aekit(dir, "demo --epochs 1 --out-dir out");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("test reconstruction MSE per element"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("out/mnist-autoencoder.aek"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("out/reconstructions.png"), std::string::npos) << r.out;
  const std::string png = slurp(dir / "out/reconstructions.png");
  ASSERT_GT(png.size(), 1000u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  auto eval = run_aekit(dir, "eval out/mnist-autoencoder.aek --data mnist:test --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_NE(eval.out.find("\"samples\":10000"), std::string::npos) << eval.out;
}

}  // namespace
}  // namespace aekit::test
