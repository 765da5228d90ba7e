// SparseRows applies AdamW's (and Adam's) update to its two large weights in the backward, a row at
// a time (SparseNetwork::use_row_updates), whenever the run does not clip. The model it trains
// must be the one the optimizer's own step trains, bit for bit: here against the same run with
// clipping on at a norm no gradient reaches (a coefficient of exactly 1, and the trainer then
// keeps every update in step()), over several epochs of small batches that leave most weight rows
// without a gradient, with early stopping restoring the best weights, in both layouts of the
// first weight and with input dropout. And an update that makes a weight non-finite still stops
// the run at the same batch.
#include <aekit/recsys/sparse_rows.h>
#include <aekit/train/nonfinite.h>
#include <aekit/train/trainer.h>
#include <gtest/gtest.h>

#include "autorec_spec.h"
#include "random_ratings.h"

#include <omp.h>

#include <cmath>
#include <string>
#include <vector>

namespace aekit::test {
namespace {

struct FusedCase {
  std::string optimizer = "adamw";
  bool amsgrad = false;
  bool transposed = true;
  int64_t batch = 8;
  float validation = 0.2f;
  float input_dropout = 0.0f;
  float lr = 0.01f;
  int64_t hidden = 300;  // 300 wide: runs of rows without a gradient, on one thread
  int threads = 1;
};

struct FusedRun {
  std::vector<std::vector<float>> tensors;
  float last_grad_sum = 0.0f;  // |the last layer's weight gradient| summed after training
};

TrainConfig fused_config(const FusedCase& c, bool clip) {
  TrainConfig config;
  config.epochs = 5;
  config.batch_size = c.batch;
  config.optimizer = OptimizerConfig::defaults_for(c.optimizer);
  config.optimizer.lr = c.lr;
  config.optimizer.weight_decay = 0.1f;
  config.optimizer.amsgrad = c.amsgrad;
  config.validation_split = c.validation;
  config.patience = c.validation > 0 ? 2 : 0;
  config.clip_norm = clip ? 1e30f : 0.0f;
  return config;
}

FusedRun train_fused_case(const FusedCase& c, bool clip) {
  const CsrMatrix ratings = random_ratings(70, 41, 6, 0.15);
  Autoencoder net(autorec_spec(41, c.hidden), 4);
  struct ThreadsFor {  // restored however training ends
    int before = omp_get_max_threads();
    explicit ThreadsFor(int n) { omp_set_num_threads(n); }
    ~ThreadsFor() { omp_set_num_threads(before); }
  } threads_for(c.threads);
  SparseRowsOptions options;
  options.transposed_first_weight = c.transposed;
  options.input_dropout = c.input_dropout;
  options.seed = 3;
  SparseRows rows(net, ratings, options);
  train(rows, fused_config(c, clip));
  FusedRun out;
  for (const Param& p : net.params()) out.tensors.emplace_back(p.value->span().begin(), p.value->span().end());
  for (const float g : net.params()[2].grad->span()) out.last_grad_sum += std::fabs(g);
  return out;
}

TEST(FusedRowUpdates, TrainTheSameModelAsTheOptimizersStep) {
  std::vector<FusedCase> cases;
  for (const bool transposed : {true, false})
    for (const int64_t batch : {8, 1}) {
      FusedCase c;
      c.transposed = transposed;
      c.batch = batch;
      cases.push_back(c);
    }
  FusedCase adam;
  adam.optimizer = "adam";
  adam.amsgrad = true;
  cases.push_back(adam);
  FusedCase no_validation;
  no_validation.validation = 0.0f;
  cases.push_back(no_validation);
  FusedCase threads;  // rows split between 3 threads (update_weight_rows goes parallel from 65,536 weights)
  threads.hidden = 1700;
  threads.threads = 3;
  cases.push_back(threads);
  FusedCase dropout;
  dropout.input_dropout = 0.5f;
  cases.push_back(dropout);
  for (const FusedCase& c : cases) {
    const std::string what = c.optimizer + (c.transposed ? " transposed" : " model layout") + " batch " +
                             std::to_string(c.batch) + " validation " + std::to_string(c.validation) + " dropout " +
                             std::to_string(c.input_dropout) + " threads " + std::to_string(c.threads);
    const FusedRun fused = train_fused_case(c, false);
    const FusedRun stepped = train_fused_case(c, true);
    // The fused run never wrote the last layer's weight gradient; the stepped one did.
    EXPECT_EQ(fused.last_grad_sum, 0.0f) << what;
    EXPECT_GT(stepped.last_grad_sum, 0.0f) << what;
    ASSERT_EQ(fused.tensors.size(), stepped.tensors.size());
    for (size_t t = 0; t < fused.tensors.size(); ++t)
      for (size_t i = 0; i < fused.tensors[t].size(); ++i)
        ASSERT_EQ(fused.tensors[t][i], stepped.tensors[t][i]) << what << ": tensor " << t << "[" << i << "]";
  }
}

// A source trained twice: the first run's optimizer is gone when the second starts, and a second
// run that clips must not reach it (SparseRows::end_training lets it go).
TEST(FusedRowUpdates, ASecondRunOnTheSameSourceUsesItsOwnOptimizer) {
  const auto twice = [](bool first_clips) {
    const CsrMatrix ratings = random_ratings(50, 29, 8, 0.2);
    Autoencoder net(autorec_spec(29, 40), 6);
    SparseRows rows(net, ratings, SparseRowsOptions{.transposed_first_weight = true});
    FusedCase c;
    c.validation = 0.0f;
    train(rows, fused_config(c, first_clips));
    train(rows, fused_config(c, true));
    std::vector<std::vector<float>> out;
    for (const Param& p : net.params()) out.emplace_back(p.value->span().begin(), p.value->span().end());
    return out;
  };
  EXPECT_EQ(twice(false), twice(true));
}

TEST(FusedRowUpdates, ANonFiniteUpdateStopsTheRunAtTheSameBatch) {
  // A learning rate so large that the first update overflows the weights.
  FusedCase c;
  c.lr = 3e38f;
  c.validation = 0.0f;
  for (const bool clip : {false, true}) {
    try {
      train_fused_case(c, clip);
      ADD_FAILURE() << "training did not stop, clip " << clip;
    } catch (const NonFiniteError& e) {
      EXPECT_EQ(e.epoch(), 1) << "clip " << clip;
      EXPECT_EQ(e.batch(), 1) << "clip " << clip;
      EXPECT_NE(std::string(e.what()).find("made the weights non-finite"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace aekit::test
