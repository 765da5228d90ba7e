// The variational autoencoder on the command line: --variational builds the sampling layer, the
// epoch lines report the KL term beside the reconstruction loss, eval reports the ELBO
// deterministically, and generate draws samples (and the 2-D manifold with --grid) that decode
// to the data's range; a model that is no VAE is refused with one line and exit code 2.
#include "cli_runner.h"

#include <aekit/core/rng.h>
#include <aekit/data/npy.h>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

namespace aekit::test {
namespace {

using ::testing::HasSubstr;

// 300 "images" of 8x8 in [0, 1]: a bright bar whose row varies, plus noise.
void write_bars(const std::string& path) {
  Rng rng(6);
  Tensor x({300, 8, 8});
  for (int64_t i = 0; i < 300; ++i)
    for (int64_t p = 0; p < 64; ++p)
      x[i * 64 + p] = (p / 8 == i % 8 ? 0.9f : 0.05f) + 0.05f * rng.uniform();
  write_npy(path, x, NpyDtype::Float32);
}

TEST(CliVae, TrainEvalAndGenerate) {
  ScratchDir dir;
  write_bars(dir / "bars.npy");
  auto train = run_aekit(dir, "train --data bars.npy --arch 64-32-2 --activation relu --loss bce --variational "
                              "--beta 1 --kl-warmup 2 --epochs 4 --batch-size 30 --lr 0.01 --seed 1 --out vae.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_THAT(train.err, HasSubstr(" kl "));
  auto info = run_aekit(dir, "info vae.aek");
  EXPECT_THAT(info.out, HasSubstr("gaussian_sample(warmup=2)"));

  auto eval = run_aekit(dir, "eval vae.aek --data bars.npy --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const auto e = nlohmann::json::parse(eval.out);
  EXPECT_EQ(e["likelihood"], "bernoulli");
  EXPECT_GT(e["kl_per_sample"].get<double>(), 0.0);
  EXPECT_NEAR(e["elbo_per_sample"].get<double>(),
              -(e["reconstruction_nll_per_sample"].get<double>() + e["kl_per_sample"].get<double>()), 1e-6);
  EXPECT_EQ(nlohmann::json::parse(run_aekit(dir, "eval vae.aek --data bars.npy --json").out)["elbo_per_sample"],
            e["elbo_per_sample"]);  // the mean, never a sample
  auto text = run_aekit(dir, "eval vae.aek --data bars.npy");
  EXPECT_THAT(text.out, HasSubstr("elbo per sample"));

  auto gen = run_aekit(dir, "generate vae.aek -n 10 --seed 4 --png samples.png --out samples.npy");
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  const Tensor samples = read_npy(dir / "samples.npy");
  ASSERT_EQ(samples.shape(), (Shape{10, 64}));
  for (float v : samples.span()) {
    EXPECT_GE(v, 0.0f);
    EXPECT_LE(v, 1.0f);
  }
  EXPECT_GT(slurp(dir / "samples.png").size(), 100u);
  // The same seed draws the same samples.
  ASSERT_EQ(run_aekit(dir, "generate vae.aek -n 10 --seed 4 --out again.npy").exit_code, 0);
  EXPECT_EQ(slurp(dir / "again.npy"), slurp(dir / "samples.npy"));

  auto grid = run_aekit(dir, "generate vae.aek --grid --grid-size 5 --png grid.png --out grid.npy");
  ASSERT_EQ(grid.exit_code, 0) << grid.err;
  EXPECT_EQ(read_npy(dir / "grid.npy").shape(), (Shape{25, 64}));
}

TEST(CliVae, RefusedWithOneLine) {
  ScratchDir dir;
  write_bars(dir / "bars.npy");
  ASSERT_EQ(run_aekit(dir, "train --data bars.npy --arch 64-4 --epochs 1 --out plain.aek").exit_code, 0);
  auto gen = run_aekit(dir, "generate plain.aek --png s.png");
  EXPECT_EQ(gen.exit_code, 2);
  EXPECT_THAT(gen.err, HasSubstr("not a variational autoencoder"));
  EXPECT_FALSE(std::filesystem::exists(dir / "s.png"));
  // A count whose samples would not fit is refused before anything is allocated.
  Tensor wide({4, 3000});
  write_npy(dir / "wide.npy", wide, NpyDtype::Float32);
  ASSERT_EQ(run_aekit(dir, "train --data wide.npy --arch 3000-2 --variational --loss mse --epochs 1 --out wide.aek").exit_code, 0);
  auto huge = run_aekit(dir, "generate wide.aek -n 100000 --out big.npy");  // 3e8 values
  EXPECT_EQ(huge.exit_code, 2);
  EXPECT_THAT(huge.err, HasSubstr("draw fewer"));
  EXPECT_FALSE(std::filesystem::exists(dir / "big.npy"));
  auto no_output = run_aekit(dir, "generate plain.aek");
  EXPECT_EQ(no_output.exit_code, 2);
  auto beta_alone = run_aekit(dir, "train --data bars.npy --arch 64-4 --beta 2 --epochs 1 --out b.aek");
  EXPECT_EQ(beta_alone.exit_code, 2);
  EXPECT_THAT(beta_alone.err, HasSubstr("--variational"));
  auto l1 = run_aekit(dir, "train --data bars.npy --arch 64-4 --variational --loss l1 --epochs 1 --out b.aek");
  EXPECT_EQ(l1.exit_code, 2);
  auto tied = run_aekit(dir, "train --data bars.npy --arch 64-4 --variational --tied --epochs 1 --out b.aek");
  EXPECT_EQ(tied.exit_code, 2);
  ASSERT_EQ(run_aekit(dir, "train --data bars.npy --arch 64-8-3 --variational --loss bce --epochs 1 --out v3.aek").exit_code, 0);
  auto grid = run_aekit(dir, "generate v3.aek --grid --png g.png");
  EXPECT_EQ(grid.exit_code, 2);
  EXPECT_THAT(grid.err, HasSubstr("2-value code"));
}

}  // namespace
}  // namespace aekit::test
