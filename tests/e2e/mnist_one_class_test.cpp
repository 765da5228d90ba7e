// The one-class benchmark (bench/one_class.py) on two MNIST digits with its default dense model:
// train on the training images of one digit alone, score the whole test set with the
// reconstruction error and check the AUROC (that digit normal, the other nine anomalous).
// Digits 3 and 5 are two where Deep SVDD (Ruff et al. 2018) is weak: 91.9 and 88.5. The bench's
// dense 784-128-32 autoencoder, 30 epochs, measured 96.3 and 97.5 (BENCHMARKS.md); with 5 epochs
// it stays near Deep SVDD (89.6 and 90.1), so this checks the chosen default, not just any model.
#include <aekit/anomaly/metrics.h>
#include <aekit/anomaly/scores.h>
#include <aekit/data/dataset.h>
#include <aekit/data/npy.h>
#include <aekit/train/train_job.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <unistd.h>

namespace aekit {
namespace {

void require_mnist_cache() {
  if (std::filesystem::exists(std::filesystem::path(data_cache_dir()) / "mnist")) return;
  if (std::getenv("CI")) FAIL() << "MNIST is missing from " << data_cache_dir() << " (scripts/fetch-data)";
  GTEST_SKIP() << "MNIST not in " << data_cache_dir() << "; run scripts/fetch-data";
}

// The training images of `digit` as uint8 N x 28 x 28, so training sees images (scale by 255).
std::string write_digit(const Dataset& train, int digit, const std::filesystem::path& dir) {
  int64_t n = 0;
  for (int64_t r = 0; r < train.x.rows(); ++r) n += train.labels.data()[r] == static_cast<float>(digit);
  Tensor images({n, 28, 28});
  int64_t i = 0;
  for (int64_t r = 0; r < train.x.rows(); ++r)
    if (train.labels.data()[r] == static_cast<float>(digit))
      std::memcpy(images.data() + 784 * i++, train.x.row(r), 784 * sizeof(float));
  const std::string path = (dir / ("digit" + std::to_string(digit) + ".npy")).string();
  write_npy(path, images, NpyDtype::UInt8);
  return path;
}

double one_class_auroc(const std::string& normal_images, int digit, const Dataset& test_raw) {
  TrainOptions o;
  o.data = normal_images;
  o.model.encoder = {784, 128, 32};
  o.arch_given = true;
  o.train.optimizer = OptimizerConfig::defaults_for("adam");
  o.train.optimizer.lr = 0.005f;
  o.train.batch_size = 64;
  o.train.epochs = 30;
  o.threads = 1;  // one thread: the same bits everywhere, and no spinning on a busy machine
  TrainJobResult job = run_train_job(o);
  Tensor test = test_raw.x;
  job.model.preprocessor.apply(test);
  const auto scores = anomaly_scores(*job.model.network, test, ScoreMetric::Mse, nullptr, "mnist:test");
  std::vector<int> anomalous(scores.size());
  for (size_t r = 0; r < scores.size(); ++r) anomalous[r] = test_raw.labels.data()[r] != static_cast<float>(digit);
  return auroc(scores, anomalous);
}

TEST(MnistOneClass, DigitsThreeAndFiveBeatDeepSvdd) {
  require_mnist_cache();
  if (IsSkipped() || HasFatalFailure()) return;
  const Dataset train = load_dataset("mnist:train");
  const Dataset test = load_dataset("mnist:test");
  const auto dir = std::filesystem::temp_directory_path() / ("aekit-one-class-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const double three = one_class_auroc(write_digit(train, 3, dir), 3, test);
  const double five = one_class_auroc(write_digit(train, 5, dir), 5, test);
  std::filesystem::remove_all(dir);
  std::printf("one-class AUROC: digit 3 %.4f, digit 5 %.4f\n", three, five);
  // Above Deep SVDD's 91.9 and 88.5, about two points below what was measured (a margin for
  // seeds and CPUs); a model trained 5 epochs or a broken score path falls below.
  EXPECT_GT(three, 0.94) << "digit 3";
  EXPECT_GT(five, 0.95) << "digit 5";
}

}  // namespace
}  // namespace aekit
