// The training loop against the BatchSource interface: every position once per epoch in batches
// of the configured size, validation each epoch, early stopping restoring the best parameters,
// and the dense source's logits mode surviving validation.
#include <aekit/models/dense_arch.h>
#include <aekit/core/error.h>
#include <aekit/losses/loss.h>
#include <aekit/train/dense_rows.h>
#include <aekit/train/trainer.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace aekit {
namespace {

// Ten rows; each batch sets the one parameter's gradient to 1, so SGD lr 1 lowers it by 1 per
// step. Validation losses are scripted, one per epoch.
class ScriptedSource final : public BatchSource {
 public:
  explicit ScriptedSource(std::vector<double> val_losses) : val_losses_(std::move(val_losses)) {}
  void hold_out(float fraction, Rng&) override { held_ = fraction > 0; }
  int64_t rows() const override { return 10; }
  std::vector<Param> params() override { return {{"w", &w_, &g_}}; }
  void begin_step(int64_t step) override { steps_.push_back(step); }
  double train_batch(std::span<const int64_t> positions) override {
    batches_.emplace_back(positions.begin(), positions.end());
    g_[0] = 1.0f;
    return 0.5;
  }
  bool has_validation() const override { return held_; }
  double validation_loss() override { return val_losses_.at(val_calls_++); }

  Tensor w_{1}, g_{1};
  std::vector<std::vector<int64_t>> batches_;
  std::vector<int64_t> steps_;  // begin_step's arguments, in order
  bool held_ = false;
  size_t val_calls_ = 0;
  std::vector<double> val_losses_;
};

TrainConfig sgd(int epochs, int64_t batch) {
  TrainConfig c;
  c.epochs = epochs;
  c.batch_size = batch;
  c.optimizer = OptimizerConfig::defaults_for("sgd");
  c.optimizer.lr = 1.0f;
  return c;
}

TEST(BatchSource, EveryPositionOncePerEpochInBatches) {
  ScriptedSource source({});
  TrainResult r = train(source, sgd(2, 4));
  ASSERT_EQ(source.batches_.size(), 6u);  // 4 + 4 + 2, twice
  for (size_t epoch = 0; epoch < 2; ++epoch) {
    std::vector<int64_t> seen;
    for (size_t b = 0; b < 3; ++b) {
      const auto& batch = source.batches_[epoch * 3 + b];
      EXPECT_EQ(batch.size(), b < 2 ? 4u : 2u);
      seen.insert(seen.end(), batch.begin(), batch.end());
    }
    std::sort(seen.begin(), seen.end());
    for (int64_t i = 0; i < 10; ++i) EXPECT_EQ(seen[static_cast<size_t>(i)], i);
  }
  EXPECT_FLOAT_EQ(source.w_[0], -6.0f);
  EXPECT_DOUBLE_EQ(r.history[0].train_loss, 0.5);
  EXPECT_TRUE(std::isnan(r.history[0].val_loss));
}

// Per-step schedules (KL annealing as Liang et al.) need the run's update count before each batch,
// counted across epochs, not restarted by each.
TEST(BatchSource, EachBatchIsToldItsStepInTheRun) {
  ScriptedSource source({});
  train(source, sgd(2, 4));
  EXPECT_EQ(source.steps_, (std::vector<int64_t>{0, 1, 2, 3, 4, 5}));
}

TEST(BatchSource, EarlyStoppingOnTheSourcesValidationRestoresTheBest) {
  ScriptedSource source({5, 4, 3, 4, 4, 4, 1});
  TrainConfig c = sgd(7, 10);
  c.validation_split = 0.1f;
  c.patience = 3;
  TrainResult r = train(source, c);
  EXPECT_TRUE(r.stopped_early);
  EXPECT_EQ(r.best_epoch, 3);
  EXPECT_EQ(r.history.size(), 6u);
  EXPECT_EQ(source.val_calls_, 6u);
  EXPECT_FLOAT_EQ(source.w_[0], -3.0f);  // the weights after epoch 3
}

TEST(BatchSource, DenseRowsKeepLogitsModeThroughValidation) {
  DenseArch arch;
  arch.encoder = {4, 2};
  Autoencoder net(arch.to_spec(), 0);
  Tensor x({20, 4});
  x.fill(0.5f);
  auto loss = make_loss("bce_logits");
  {
    DenseRows rows(net, x, *loss);
    Rng rng(0);
    rows.hold_out(0.25f, rng);
    EXPECT_EQ(rows.rows(), 15);
    EXPECT_TRUE(net.output_logits());
    rows.validation_loss();
    EXPECT_TRUE(net.output_logits()) << "validation must not switch training out of logits mode";
  }
  EXPECT_FALSE(net.output_logits());
}

}  // namespace
}  // namespace aekit
