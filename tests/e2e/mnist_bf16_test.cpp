// --precision bf16 on the seeds' MNIST autoencoder: the same training in fp32 and in bf16 must
// reach nearly the same test error; a CPU without AVX512_BF16 must refuse bf16 with an InputError.
#include <aekit/backend/cpu/bf16.h>
#include <aekit/core/error.h>
#include <aekit/data/dataset.h>
#include <aekit/train/train_job.h>
#include <gtest/gtest.h>

#include "seed_mnist_options.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>

namespace aekit {
namespace {

TrainOptions seed_model(const std::string& precision) {
  TrainOptions o = seed_mnist_options(3, 0);  // 3 epochs: seconds, and the gap below is measured at this length
  o.precision = precision;
  return o;
}

TEST(MnistBf16, TestErrorCloseToFp32) {
  if (!std::filesystem::exists(std::filesystem::path(data_cache_dir()) / "mnist")) {
    if (std::getenv("CI")) FAIL() << "MNIST is missing from " << data_cache_dir() << " (scripts/fetch-data)";
    GTEST_SKIP() << "MNIST not in " << data_cache_dir() << "; run scripts/fetch-data";
  }
  if (!cpu::bf16_supported()) {
    EXPECT_THROW(run_train_job(seed_model("bf16")), InputError);
    return;
  }
  const TrainJobResult fp32 = run_train_job(seed_model("fp32"));
  const TrainJobResult bf16 = run_train_job(seed_model("bf16"));
  const double relative = std::fabs(bf16.test_mse_per_element - fp32.test_mse_per_element) / fp32.test_mse_per_element;
  // Measured here: fp32 0.022656, bf16 0.022767 (0.5% apart). The target is 2% (at 10
  // epochs); bf16 rounding moves the trajectory less than a change of seed does (+-4%).
  EXPECT_LT(relative, 0.02) << "fp32 " << fp32.test_mse_per_element << ", bf16 " << bf16.test_mse_per_element;
  EXPECT_NE(bf16.test_mse_per_element, fp32.test_mse_per_element) << "bf16 path not taken";
}

}  // namespace
}  // namespace aekit
