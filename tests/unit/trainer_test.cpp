// The training loop on synthetic data: it learns, it is deterministic, and its options work.
#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/losses/loss.h>
#include <aekit/models/dense_arch.h>
#include <aekit/train/nonfinite.h>
#include <aekit/train/trainer.h>
#include <gtest/gtest.h>

#include <cstring>

namespace aekit {
namespace {

// Rows on a 2-D subspace of R^8 squashed into (0, 1): an autoencoder with a 2-unit code can
// reconstruct them well, a constant predictor cannot.
Tensor low_rank_data(int64_t rows, uint64_t seed) {
  Rng rng(seed);
  Tensor basis({2, 8});
  for (float& v : basis.span()) v = rng.uniform(-1, 1);
  Tensor x({rows, 8});
  for (int64_t r = 0; r < rows; ++r) {
    float a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
    for (int64_t c = 0; c < 8; ++c) x.row(r)[c] = 0.5f + 0.25f * (a * basis.row(0)[c] + b * basis.row(1)[c]);
  }
  return x;
}

DenseArch small_arch() {
  DenseArch spec;
  spec.encoder = {8, 6, 2};
  spec.activation = "tanh";
  spec.code_activation = "identity";
  return spec;
}

TrainConfig adam_config(int epochs) {
  TrainConfig c;
  c.epochs = epochs;
  c.batch_size = 16;
  c.optimizer = OptimizerConfig::defaults_for("adam");
  c.optimizer.lr = 0.01f;
  return c;
}

TEST(Trainer, ReducesReconstructionError) {
  Tensor x = low_rank_data(512, 1);
  Autoencoder net(small_arch().to_spec(), 0);
  auto loss = make_loss("mse");
  const double before = evaluate_loss(net, x.view(), *loss);
  TrainResult result = train(net, x, *loss, adam_config(40));
  const double after = evaluate_loss(net, x.view(), *loss);
  ASSERT_EQ(result.history.size(), 40u);
  EXPECT_LT(after, before / 10) << "before " << before << " after " << after;
  EXPECT_LT(result.history.back().train_loss, result.history.front().train_loss);
}

TEST(Trainer, SameSeedGivesBitIdenticalWeights) {
  Tensor x = low_rank_data(200, 2);
  auto loss = make_loss("mse");
  auto run = [&](uint64_t seed) {
    Autoencoder net(small_arch().to_spec(), seed);
    TrainConfig c = adam_config(3);
    c.seed = seed;
    train(net, x, *loss, c);
    std::vector<float> flat;
    for (const Param& p : net.params()) flat.insert(flat.end(), p.value->span().begin(), p.value->span().end());
    return flat;
  };
  const auto a = run(5), b = run(5), c = run(6);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0);
  EXPECT_NE(std::memcmp(a.data(), c.data(), a.size() * sizeof(float)), 0);
}

TEST(Trainer, PerObservationUpdatesLearn) {
  // Batch size 1 (the seeds' "update after each observation"): many small steps per epoch beat
  // one full-batch step per epoch at the same rate and epochs.
  Tensor x = low_rank_data(128, 3);
  auto loss = make_loss("mse");
  auto final_loss = [&](int64_t batch_size) {
    Autoencoder net(small_arch().to_spec(), 0);
    TrainConfig c = adam_config(5);
    c.batch_size = batch_size;
    c.optimizer.lr = 0.002f;
    train(net, x, *loss, c);
    return evaluate_loss(net, x.view(), *loss);
  };
  Autoencoder untrained(small_arch().to_spec(), 0);
  const double before = evaluate_loss(untrained, x.view(), *loss);
  const double per_observation = final_loss(1);
  EXPECT_LT(per_observation, before / 2);
  EXPECT_LT(per_observation, final_loss(128));
}

TEST(Trainer, EarlyStoppingRestoresTheBestWeights) {
  Tensor x = low_rank_data(256, 4);
  Autoencoder net(small_arch().to_spec(), 0);
  auto loss = make_loss("mse");
  TrainConfig c = adam_config(200);
  c.optimizer.lr = 0.05f;
  c.validation_split = 0.25f;
  c.patience = 3;
  TrainResult r = train(net, x, *loss, c);
  ASSERT_TRUE(r.stopped_early);
  ASSERT_GE(r.best_epoch, 1);
  double best_val = 1e9;
  for (const auto& e : r.history) best_val = std::min(best_val, e.val_loss);
  EXPECT_DOUBLE_EQ(r.history[static_cast<size_t>(r.best_epoch - 1)].val_loss, best_val);
  EXPECT_EQ(static_cast<int>(r.history.size()), r.best_epoch + 3);
}

TEST(Trainer, ScheduleChangesTheRateEachEpoch) {
  Tensor x = low_rank_data(64, 5);
  Autoencoder net(small_arch().to_spec(), 0);
  TrainConfig c = adam_config(4);
  c.schedule = "step:2:0.5";
  TrainResult r = train(net, x, *make_loss("mse"), c);
  EXPECT_FLOAT_EQ(r.history[0].lr, 0.01f);
  EXPECT_FLOAT_EQ(r.history[1].lr, 0.01f);
  EXPECT_FLOAT_EQ(r.history[2].lr, 0.005f);
  EXPECT_FLOAT_EQ(r.history[3].lr, 0.005f);
}

TEST(Trainer, RejectsBadSettingsAndShapes) {
  Tensor x = low_rank_data(10, 6);
  Autoencoder net(small_arch().to_spec(), 0);
  auto loss = make_loss("mse");
  TrainConfig c = adam_config(1);
  c.batch_size = 0;
  EXPECT_THROW(train(net, x, *loss, c), InputError);
  c = adam_config(1);
  c.patience = 2;  // needs a validation split
  EXPECT_THROW(train(net, x, *loss, c), InputError);
  Tensor wrong({10, 5});
  EXPECT_THROW(train(net, wrong, *loss, adam_config(1)), InputError);
}

TEST(Trainer, DivergenceIsReportedNotSaved) {
  Tensor x = low_rank_data(64, 7);
  DenseArch spec = small_arch();
  spec.activation = "identity";
  spec.output_activation = "identity";
  Autoencoder net(spec.to_spec(), 0);
  TrainConfig c = adam_config(50);
  c.optimizer = OptimizerConfig::defaults_for("sgd");
  c.optimizer.lr = 1e6f;
  EXPECT_THROW(train(net, x, *make_loss("mse"), c), NonFiniteError);
}

TEST(Trainer, GradientClippingKeepsHugeRatesFinite) {
  Tensor x = low_rank_data(64, 8);
  Autoencoder net(small_arch().to_spec(), 0);
  TrainConfig c = adam_config(3);
  c.optimizer = OptimizerConfig::defaults_for("sgd");
  c.optimizer.lr = 0.5f;
  c.clip_norm = 0.1f;
  TrainResult r = train(net, x, *make_loss("mse"), c);
  for (const auto& e : r.history) EXPECT_TRUE(std::isfinite(e.train_loss));
}

}  // namespace
}  // namespace aekit
