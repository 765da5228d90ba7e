// The data-parallel step (train/data_parallel_step.h) splits a batch's rows between the threads
// and each thread's block of every weight gradient's rows: at 2 and 3 threads its loss and
// gradients must equal the layer path's at one thread (which the finite-difference checks prove)
// up to the order of float additions, with blocks of uneven size (7 rows on 2 and 3 threads),
// a batch smaller than the team (2 rows on 3 threads, 1 row on 2), output widths that do not
// divide evenly, a loss on logits, and bf16 products where the CPU has them. Training through
// DenseRows then follows the one-thread run closely, and repeats itself bit for bit.
#include <aekit/backend/cpu/bf16.h>
#include <aekit/core/rng.h>
#include <aekit/core/threads.h>
#include <aekit/losses/loss.h>
#include <aekit/models/dense_arch.h>
#include <aekit/train/data_parallel_step.h>
#include <aekit/train/dense_rows.h>
#include <aekit/train/trainer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

namespace aekit {
namespace {

Tensor random_rows(int64_t rows, int64_t cols, uint64_t seed) {
  Rng rng(seed);
  Tensor x({rows, cols});
  for (float& v : x.span()) v = rng.uniform(0.0f, 1.0f);
  return x;
}

// 11-19-5-19-11: odd widths, so no block of outputs is a multiple of 16 or of the team. Relu on
// the 19-wide layers (a narrow relu code can be dead for every unit of a one-row batch).
ModelSpec chain_spec(const std::string& output_activation) {
  DenseArch arch;
  arch.encoder = {11, 19, 5};
  arch.activation = "relu";
  arch.code_activation = "tanh";
  arch.output_activation = output_activation;
  return arch.to_spec();
}

struct StepResult {
  double loss = 0.0;
  std::vector<Tensor> grads;
};

std::vector<Tensor> gradients_of(Autoencoder& model) {
  std::vector<Tensor> grads;
  for (const Param& p : model.params()) grads.push_back(*p.grad);
  return grads;
}

// The layer path on one thread: forward, loss, backward (what DenseRows does at one thread).
StepResult layer_path(Autoencoder& model, const Tensor& x, const Loss& loss) {
  set_num_threads(1);
  LogitsScope logits(model, loss);
  Tensor grad;
  const Tensor& out = model.forward(x.view(), Mode::Train);
  const double value = loss.compute(out.view(), x.view(), &grad);
  model.backward(grad.view());
  return {value, gradients_of(model)};
}

StepResult data_parallel(Autoencoder& model, const Tensor& x, const Loss& loss, int threads) {
  LogitsScope logits(model, loss);
  DataParallelDenseStep step(model, loss);
  EXPECT_TRUE(step.fits());
  for (const Param& p : model.params()) p.grad->fill(std::nanf(""));  // every entry must be written
  std::vector<int64_t> ids(static_cast<size_t>(x.rows()));
  std::iota(ids.begin(), ids.end(), int64_t{0});
  set_num_threads(threads);
  const double value = step.run(PreprocessedRows(x), ids);
  set_num_threads(1);
  return {value, gradients_of(model)};
}

void expect_close(const StepResult& one, const StepResult& many, float tolerance, const std::string& what) {
  EXPECT_NEAR(many.loss, one.loss, 1e-6 * std::abs(one.loss)) << what;
  ASSERT_EQ(many.grads.size(), one.grads.size());
  for (size_t i = 0; i < one.grads.size(); ++i) {
    float largest = 0.0f;
    for (int64_t k = 0; k < one.grads[i].size(); ++k) largest = std::max(largest, std::abs(one.grads[i][k]));
    ASSERT_GT(largest, 0.0f) << what << ", parameter " << i;
    int bad = 0;
    for (int64_t k = 0; k < one.grads[i].size(); ++k)
      if (!(std::abs(many.grads[i][k] - one.grads[i][k]) <= tolerance * largest) && bad++ < 5)
        ADD_FAILURE() << what << ", parameter " << i << "[" << k << "]: " << many.grads[i][k] << " vs "
                      << one.grads[i][k] << " at one thread";
  }
}

void check_against_layer_path(const std::string& loss_name, const std::string& output_activation,
                              Precision precision, float tolerance) {
  const auto loss = make_loss(loss_name);
  Autoencoder model(chain_spec(output_activation), 3);
  model.set_precision(precision);
  for (int64_t rows : {7, 2, 1}) {
    const Tensor x = random_rows(rows, 11, 5 + static_cast<uint64_t>(rows));
    const StepResult one = layer_path(model, x, *loss);
    for (int threads : {2, 3}) {
      const std::string what = loss_name + ", " + std::to_string(rows) + " rows at " + std::to_string(threads) +
                               " threads" + (precision == Precision::Bf16 ? " (bf16)" : "");
      expect_close(one, data_parallel(model, x, *loss, threads), tolerance, what);
    }
  }
}

TEST(DenseDataParallelStep, LossAndGradientsEqualTheOneThreadLayerPath) {
  check_against_layer_path("mse", "sigmoid", Precision::Fp32, 1e-5f);
  check_against_layer_path("bce", "sigmoid", Precision::Fp32, 1e-5f);
  check_against_layer_path("l1", "identity", Precision::Fp32, 1e-5f);
}

TEST(DenseDataParallelStep, LossOnLogitsSkipsTheOutputActivation) {
  check_against_layer_path("bce_logits", "sigmoid", Precision::Fp32, 1e-5f);
}

TEST(DenseDataParallelStep, Bf16ProductsEqualTheOneThreadLayerPath) {
  if (!cpu::bf16_supported()) GTEST_SKIP() << "this CPU has no AVX512_BF16";
  // The operands are the same bf16 values on both paths; only the fp32 accumulation order may
  // differ, which bf16 products magnify less than their own rounding.
  check_against_layer_path("mse", "sigmoid", Precision::Bf16, 1e-4f);
}

TEST(DenseDataParallelStep, OtherLayersKeepTheLayerPath) {
  DenseArch arch;
  arch.encoder = {11, 19, 5};
  arch.dropout = 0.2f;
  Autoencoder with_dropout(arch.to_spec(), 3);
  const auto loss = make_loss("mse");
  EXPECT_FALSE(DataParallelDenseStep(with_dropout, *loss).fits());
  Autoencoder plain(chain_spec("sigmoid"), 3);
  EXPECT_TRUE(DataParallelDenseStep(plain, *loss).fits());
}

std::vector<float> train_weights(int threads, const Tensor& x, std::vector<double>& losses) {
  set_num_threads(threads);
  Autoencoder model(chain_spec("sigmoid"), 9);
  const auto loss = make_loss("mse");
  TrainConfig config;
  config.epochs = 3;
  config.batch_size = 10;  // 37 rows: three batches of 10 and a last one of 7
  config.optimizer = OptimizerConfig::defaults_for("adam");
  config.optimizer.lr = 0.01f;
  const TrainResult result = train(model, x, *loss, config);
  set_num_threads(1);
  losses.clear();
  for (const EpochReport& e : result.history) losses.push_back(e.train_loss);
  std::vector<float> weights;
  for (const Param& p : model.params()) weights.insert(weights.end(), p.value->span().begin(), p.value->span().end());
  return weights;
}

TEST(DenseDataParallelStep, TrainingFollowsOneThreadAndRepeatsItself) {
  const Tensor x = random_rows(37, 11, 21);
  std::vector<double> one_losses, two_losses, again_losses;
  const std::vector<float> one = train_weights(1, x, one_losses);
  const std::vector<float> two = train_weights(2, x, two_losses);
  const std::vector<float> again = train_weights(2, x, again_losses);
  ASSERT_EQ(two.size(), one.size());
  EXPECT_EQ(0, std::memcmp(two.data(), again.data(), two.size() * sizeof(float))) << "2 threads, same seed";
  EXPECT_EQ(two_losses, again_losses);
  for (size_t i = 0; i < one.size(); ++i) ASSERT_NEAR(two[i], one[i], 1e-4f) << "weight " << i;
  for (size_t e = 0; e < one_losses.size(); ++e) EXPECT_NEAR(two_losses[e], one_losses[e], 1e-5 * one_losses[e]);
}

}  // namespace
}  // namespace aekit
