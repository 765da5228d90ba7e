// The seeds' MNIST autoencoder (784-128-64-128-784, sigmoid after every layer, MSE, Adam lr 0.01,
// batch 256, 10 epochs) on the real MNIST. PyTorch with the same settings reaches a test MSE per
// pixel of about 0.0097 (bench/torch_mnist_ae.py, BENCHMARKS.md); aekit must do at least as well.
#include <aekit/data/dataset.h>
#include <aekit/train/train_job.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace aekit {
namespace {

bool mnist_available() {
  return std::filesystem::exists(std::filesystem::path(data_cache_dir()) / "mnist");
}

void require_mnist() {
  if (mnist_available()) return;
  // CI fetches the data first (scripts/test), so there a missing dataset is a failure.
  if (std::getenv("CI")) FAIL() << "MNIST is missing from " << data_cache_dir() << " (scripts/fetch-data)";
  GTEST_SKIP() << "MNIST not in " << data_cache_dir() << "; run scripts/fetch-data";
}

TEST(MnistEndToEnd, SeedAutoencoderMatchesPyTorch) {
  require_mnist();
  if (IsSkipped() || HasFatalFailure()) return;
  TrainOptions o;
  o.data = "mnist:train";
  o.test = "mnist:test";
  o.model.encoder = {784, 128, 64};
  o.arch_given = true;
  o.train.optimizer = OptimizerConfig::defaults_for("adam");
  o.train.optimizer.lr = 0.01f;
  o.train.batch_size = 256;
  o.train.epochs = 10;
  o.train.seed = 0;
  o.threads = 2;  // fixed, so the result is the same bits on every 2-core or larger machine
  TrainJobResult job = run_train_job(o);
  ASSERT_EQ(job.train_rows, 60000);
  ASSERT_EQ(job.history.history.size(), 10u);
  // PyTorch's 0.0097 (10 epochs, same settings); aekit must be at least as good.
  EXPECT_LE(job.test_mse_per_element, 0.0097) << "aekit test MSE per pixel " << job.test_mse_per_element;
  // And it must have learned something real: far below the MSE of predicting the mean image (~0.067).
  EXPECT_LT(job.history.history.back().train_loss, job.history.history.front().train_loss);
}

}  // namespace
}  // namespace aekit
