#pragma once
// The seeds' MNIST autoencoder as the end-to-end tests train it: 784-128-64-128-784 with the
// default activations and loss, Adam lr 0.01, batch 256, mnist:train tested on mnist:test, at
// 2 threads (fixed, so a seed gives the same bits on every 2-core or larger machine).
#include <aekit/train/train_job.h>

#include <cstdint>

namespace aekit {

inline TrainOptions seed_mnist_options(int epochs, uint64_t seed) {
  TrainOptions o;
  o.data = "mnist:train";
  o.test = "mnist:test";
  o.model.encoder = {784, 128, 64};
  o.arch_given = true;
  o.train.optimizer = OptimizerConfig::defaults_for("adam");
  o.train.optimizer.lr = 0.01f;
  o.train.batch_size = 256;
  o.train.epochs = epochs;
  o.train.seed = seed;
  o.threads = 2;
  return o;
}

}  // namespace aekit
