// Numerical guards (train/nonfinite.h): the loss and the gradient norm are checked before every
// update; a non-finite one stops the run naming the epoch and batch with the weights of the last
// good update, or with skip_nonfinite skips that batch and counts it; an update that makes the
// weights non-finite always stops the run.
#include <aekit/core/rng.h>
#include <aekit/losses/loss.h>
#include <aekit/models/dense_arch.h>
#include <aekit/train/trainer.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace aekit {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

Tensor smooth_data(int64_t rows) {
  Rng rng(3);
  Tensor x({rows, 6});
  for (float& v : x.span()) v = rng.uniform(0.1f, 0.9f);
  return x;
}

ModelSpec guard_small_spec() {
  DenseArch arch;
  arch.encoder = {6, 4, 2};
  return arch.to_spec();
}

TrainConfig config(int epochs) {
  TrainConfig c;
  c.epochs = epochs;
  c.batch_size = 8;
  c.shuffle = false;  // batch k holds rows [8(k-1), 8k): a damaged row lands in a known batch
  c.optimizer = OptimizerConfig::defaults_for("adam");
  c.optimizer.lr = 0.01f;
  return c;
}

bool same_weights(Autoencoder& a, Autoencoder& b) {
  const auto pa = a.params(), pb = b.params();
  for (size_t i = 0; i < pa.size(); ++i)
    if (std::memcmp(pa[i].value->data(), pb[i].value->data(), pa[i].value->size() * sizeof(float)) != 0) return false;
  return true;
}

Tensor rows_of(const Tensor& x, int64_t begin, int64_t end) {
  Tensor part({end - begin, x.cols()});
  std::memcpy(part.data(), x.row(begin), static_cast<size_t>(part.size()) * sizeof(float));
  return part;
}

TEST(NonFiniteGuard, NonFiniteLossStopsTheRunNamingEpochAndBatchWithTheLastGoodWeights) {
  Tensor x = smooth_data(40);  // 5 batches
  x.row(27)[2] = kNaN;         // in batch 4
  auto loss = make_loss("mse");
  Autoencoder net(guard_small_spec(), 7);
  try {
    train(net, x, *loss, config(1));
    FAIL() << "no NonFiniteError";
  } catch (const NonFiniteError& e) {
    EXPECT_EQ(e.epoch(), 1);
    EXPECT_EQ(e.batch(), 4);
    EXPECT_NE(std::string(e.what()).find("nan at epoch 1, batch 4 of 5"), std::string::npos) << e.what();
  }
  // The weights are exactly those after batches 1 to 3: the same run on those 24 rows alone.
  Autoencoder reference(guard_small_spec(), 7);
  train(reference, rows_of(x, 0, 24), *loss, config(1));
  EXPECT_TRUE(same_weights(net, reference));
}

TEST(NonFiniteGuard, SkipNonFiniteSkipsAndCountsTheBatchesAndAppliesTheOthers) {
  Tensor x = smooth_data(40);
  x.row(17)[0] = kInf;  // batch 3 of every epoch
  auto loss = make_loss("mse");
  TrainConfig c = config(3);
  c.skip_nonfinite = true;
  Autoencoder net(guard_small_spec(), 7);
  const TrainResult result = train(net, x, *loss, c);
  EXPECT_EQ(result.skipped_batches, 3);
  ASSERT_EQ(result.history.size(), 3u);
  for (const EpochReport& e : result.history) EXPECT_TRUE(std::isfinite(e.train_loss));
  // Identical to training on the other four batches: a skipped batch leaves no trace, not even
  // in the optimizer's step count.
  Tensor rest({32, 6});
  std::memcpy(rest.data(), x.row(0), 16 * 6 * sizeof(float));
  std::memcpy(rest.row(16), x.row(24), 16 * 6 * sizeof(float));
  Autoencoder reference(guard_small_spec(), 7);
  TrainConfig rc = config(3);
  const TrainResult ref = train(reference, rest, *loss, rc);
  EXPECT_TRUE(same_weights(net, reference));
  EXPECT_EQ(ref.skipped_batches, 0);
}

// A source whose gradients are whatever the test says, to reach the gradient-norm check with a
// finite loss, and updates large enough to overflow the weights: `width` weights, each with the
// batch's gradient.
class ScriptedBatches : public BatchSource {
 public:
  explicit ScriptedBatches(std::vector<float> grads, int64_t width = 1)
      : grads_(std::move(grads)), w_({width}), g_({width}) {
    w_.fill(1.0f);
  }
  void hold_out(float, Rng&) override {}
  int64_t rows() const override { return static_cast<int64_t>(grads_.size()); }
  std::vector<Param> params() override { return {{"w", &w_, &g_}}; }
  double train_batch(std::span<const int64_t> positions) override {
    g_.fill(grads_[static_cast<size_t>(positions[0])]);
    return 1.0;
  }
  bool has_validation() const override { return false; }
  double validation_loss() override { return 0.0; }
  float weight() const { return w_[0]; }

 private:
  std::vector<float> grads_;
  Tensor w_, g_;
};

TrainConfig sgd_batch1(float lr) {
  TrainConfig c;
  c.epochs = 1;
  c.batch_size = 1;
  c.shuffle = false;
  c.optimizer = OptimizerConfig::defaults_for("sgd");
  c.optimizer.lr = lr;
  return c;
}

// The run stops at batch 2 of 3 on a non-finite gradient norm, with batch 1's weight.
void expect_norm_stops_batch_2(ScriptedBatches& source) {
  try {
    train(source, sgd_batch1(1.0f));
    FAIL() << "no NonFiniteError";
  } catch (const NonFiniteError& e) {
    EXPECT_EQ(e.batch(), 2);
    EXPECT_NE(std::string(e.what()).find("the gradient norm is inf at epoch 1, batch 2 of 3"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(source.weight(), 0.5f);  // after batch 1 only
}

TEST(NonFiniteGuard, NonFiniteGradientNormWithAFiniteLossStopsOrIsSkipped) {
  ScriptedBatches stop({0.5f, kInf, 0.5f});
  expect_norm_stops_batch_2(stop);

  ScriptedBatches skip({0.5f, kNaN, 0.25f});
  TrainConfig c = sgd_batch1(1.0f);
  c.skip_nonfinite = true;
  EXPECT_EQ(train(skip, c).skipped_batches, 1);
  EXPECT_EQ(skip.weight(), 0.25f);  // 1 - 0.5 - 0.25
}

// Finite gradients whose norm overflows float are caught as before: the cheaper bound that
// spares the norm's pass without clipping (gradient_norm_bound.h) must not vouch for them.
TEST(NonFiniteGuard, FiniteGradientsWhoseNormOverflowsStopTheRun) {
  ScriptedBatches stop({0.5f, 3e38f, 0.5f}, 2);  // sqrt(2) x 3e38 > FLT_MAX
  expect_norm_stops_batch_2(stop);
}

TEST(NonFiniteGuard, AnUpdateThatOverflowsTheWeightsAlwaysStops) {
  for (bool skip : {false, true}) {
    ScriptedBatches source({3e38f, 1.0f});
    TrainConfig c = sgd_batch1(3e38f);  // a finite gradient times a finite rate: -inf
    c.skip_nonfinite = skip;
    try {
      train(source, c);
      FAIL() << "no NonFiniteError";
    } catch (const NonFiniteError& e) {
      EXPECT_EQ(e.batch(), 1);
      EXPECT_NE(std::string(e.what()).find("the update of epoch 1, batch 1 of 2 made the weights non-finite"),
                std::string::npos)
          << e.what();
    }
  }
}

}  // namespace
}  // namespace aekit
