// Small data trains: the last, partial batch of every epoch is used, never dropped (PyOD's
// dropped last batch trains nothing when the data is smaller than one batch).
#include <aekit/models/dense_arch.h>
#include <aekit/core/rng.h>
#include <aekit/losses/loss.h>
#include <aekit/train/trainer.h>
#include <gtest/gtest.h>

namespace aekit {
namespace {

struct BatchLog : TrainObserver {
  std::vector<BatchReport> batches;
  void on_batch(const BatchReport& b) override { batches.push_back(b); }
};

Tensor last_batch_rows(int64_t rows) {
  Rng rng(9);
  Tensor x({rows, 5});
  for (float& v : x.span()) v = rng.uniform();
  return x;
}

ModelSpec spec() {
  DenseArch s;
  s.encoder = {5, 3};
  return s.to_spec();
}

TrainConfig last_batch_config(int epochs, int64_t batch_size) {
  TrainConfig c;
  c.epochs = epochs;
  c.batch_size = batch_size;
  c.optimizer = OptimizerConfig::defaults_for("adam");
  c.optimizer.lr = 0.05f;
  return c;
}

TEST(TrainerLastBatch, FewerRowsThanTheBatchSizeStillTrain) {
  const Tensor x = last_batch_rows(7);
  Autoencoder net(spec(), 0);
  const std::vector<float> before(net.params().front().value->span().begin(), net.params().front().value->span().end());
  auto loss = make_loss("mse");
  const double loss_before = evaluate_loss(net, x.view(), *loss);
  BatchLog log;
  train(net, x, *loss, last_batch_config(50, 256), &log);
  ASSERT_EQ(log.batches.size(), 50u) << "one (partial) batch per epoch";
  for (const BatchReport& b : log.batches) EXPECT_EQ(b.rows_done, 7);
  const std::vector<float> after(net.params().front().value->span().begin(), net.params().front().value->span().end());
  EXPECT_NE(before, after) << "the weights never moved";
  EXPECT_LT(evaluate_loss(net, x.view(), *loss), loss_before / 2);
}

TEST(TrainerLastBatch, PartialLastBatchIsUsedEveryEpoch) {
  const Tensor x = last_batch_rows(300);
  Autoencoder net(spec(), 0);
  BatchLog log;
  train(net, x, *make_loss("mse"), last_batch_config(2, 256), &log);
  ASSERT_EQ(log.batches.size(), 4u);
  EXPECT_EQ(log.batches[1].rows_done, 300) << "the 44-row remainder is a batch of its own";
  EXPECT_EQ(log.batches[3].rows_done, 300);
}

}  // namespace
}  // namespace aekit
