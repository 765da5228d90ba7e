#pragma once
// The seeds' MNIST autoencoder as the end-to-end tests train it: 784-128-64-128-784 with the
// default activations and loss, Adam lr 0.01, batch 256, mnist:train tested on mnist:test, at
// one thread (fixed, so a seed gives the same bits on every machine; two threads under ctest -j2
// on a 2-core machine, or beside any other CPU-bound process, ran 4-10x slower: the seeds' test
// took over 900 s there).
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
  o.threads = 1;
  return o;
}

}  // namespace aekit
