// DeepRec's pieces: the trainer applying a source's further steps of a batch, the batch pass that
// computes every output (which re-feeding needs) giving the sampled pass's loss and gradients,
// and the re-fed step's gradient by finite differences.
#include "../gradcheck/gradcheck.h"
#include "random_ratings.h"

#include <aekit/models/dense_arch.h>
#include <aekit/recsys/dense_refeeding.h>
#include <aekit/recsys/sparse_rows.h>
#include <aekit/train/trainer.h>

namespace aekit::test {
namespace {

// One parameter whose gradient is 1 for the batch and for each of `extra` further steps.
class TwoStepSource final : public BatchSource {
 public:
  explicit TwoStepSource(int extra) : extra_(extra), value_({1, 1}), grad_({1, 1}) { value_[0] = 1.0f; }
  void hold_out(float, Rng&) override {}
  int64_t rows() const override { return 4; }
  std::vector<Param> params() override { return {{"w", &value_, &grad_}}; }
  double train_batch(std::span<const int64_t>) override {
    left_ = extra_;
    grad_[0] = 1.0f;
    return 0.0;
  }
  bool next_step() override {
    if (left_ == 0) return false;
    --left_;
    grad_[0] = 1.0f;
    return true;
  }
  bool has_validation() const override { return false; }
  double validation_loss() override { return 0.0; }
  float value() const { return value_[0]; }

 private:
  int extra_, left_ = 0;
  Tensor value_, grad_;
};

TEST(DenseRefeeding, TrainerAppliesEveryStepOfABatch) {
  TrainConfig config;
  config.epochs = 1;
  config.batch_size = 2;  // 2 batches
  config.optimizer = OptimizerConfig::defaults_for("sgd");
  config.optimizer.lr = 0.1f;
  TwoStepSource plain(0), refed(2);
  train(plain, config);
  train(refed, config);
  EXPECT_NEAR(plain.value(), 1.0f - 2 * 0.1f, 1e-6);
  EXPECT_NEAR(refed.value(), 1.0f - 2 * 3 * 0.1f, 1e-6) << "each batch: its own step and 2 re-fed ones";
}

CsrMatrix ratings_for_test(int64_t rows, int64_t cols, uint64_t seed) {
  return random_ratings(rows, cols, seed, 0.35);
}

ModelSpec spec_with(int64_t items, const std::string& activation) {
  DenseArch arch;
  arch.encoder = {items, 7, 4};
  arch.activation = activation;
  arch.output_activation = activation;
  return arch.to_spec();
}

// With re-feeding, the batch's pass computes every output (SparseRows::dense_output_pass); its
// loss and gradients must be the sampled pass's, which tests/recsys/sparse_dense_test.cpp proves
// equal to the dense computation.
TEST(DenseRefeeding, DenseOutputPassEqualsTheSampledPass) {
  const int64_t items = 13;
  const CsrMatrix r = ratings_for_test(9, items, 4);
  Autoencoder sampled_net(spec_with(items, "selu"), 3), dense_net(spec_with(items, "selu"), 3);
  SparseRows sampled(sampled_net, r, {MaskedNormalisation::Rated, false, 0.0f, 0, 0});
  SparseRows dense(dense_net, r, {MaskedNormalisation::Rated, false, 0.0f, 0, 1});
  const std::vector<int64_t> positions{2, 7, 0, 5};
  const double a = sampled.train_batch(positions);
  const double b = dense.train_batch(positions);
  EXPECT_NEAR(a, b, 1e-6 * (1 + a));
  EXPECT_FALSE(sampled.next_step());
  const auto pa = sampled_net.params(), pb = dense_net.params();
  ASSERT_EQ(pa.size(), pb.size());
  for (size_t p = 0; p < pa.size(); ++p) {
    double max_abs = 0;
    for (float v : pa[p].grad->span()) max_abs = std::max(max_abs, static_cast<double>(std::fabs(v)));
    ASSERT_GT(max_abs, 0.0) << pa[p].name;
    for (int64_t k = 0; k < pa[p].grad->size(); ++k)
      ASSERT_NEAR((*pa[p].grad)[k], (*pb[p].grad)[k], 1e-5 * max_abs) << pa[p].name << " " << k;
  }
  // One re-fed step follows, then none.
  EXPECT_TRUE(dense.next_step());
  EXPECT_FALSE(dense.next_step());
}

// The re-fed step's objective, mean (f(X) - X)^2 over every entry of the kept outputs X (a
// constant, as in DeepRec's code), against central differences in every parameter. tanh, not
// SELU: SELU's derivative jumps at 0, which central differences straddle now and then.
TEST(DenseRefeeding, RefedStepGradientMatchesFiniteDifferences) {
  const int64_t items = 11;
  Autoencoder net(spec_with(items, "tanh"), 8);
  Rng rng(6);
  const Tensor kept = random_tensor({3, items}, rng, -0.5f, 4.0f);
  DenseRefeeding refeeding(net);
  refeeding.keep(kept.view());
  refeeding.step();
  auto objective = [&] {
    const Tensor& y = net.forward(kept.view(), Mode::Train);
    double sum = 0;
    for (int64_t k = 0; k < y.size(); ++k) sum += (y[k] - kept[k]) * (y[k] - kept[k]);
    return sum / static_cast<double>(y.size());
  };
  for (const Param& p : net.params()) {
    const Tensor analytic = *p.grad;
    expect_gradient_matches(p.name, *p.value, analytic, objective, 1e-2, 1e-4, 1e-2);
  }
}

}  // namespace
}  // namespace aekit::test
