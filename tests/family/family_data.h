#pragma once
// Small subsets of the real MNIST for the family's property tests: a few thousand digits scaled to
// [0, 1], enough for each member's defining property to show within seconds of training.
#include <aekit/core/tensor.h>
#include <aekit/losses/loss.h>
#include <aekit/models/autoencoder.h>
#include <aekit/train/trainer.h>
#include <aekit/data/dataset.h>
#include <aekit/data/subsample.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

namespace aekit::test {

// Skips (or, in CI where scripts/test fetched it, fails) when MNIST is not in the cache.
inline void require_mnist() {
  if (std::filesystem::exists(std::filesystem::path(data_cache_dir()) / "mnist")) return;
  if (std::getenv("CI")) FAIL() << "MNIST is missing from " << data_cache_dir() << " (scripts/fetch-data)";
  GTEST_SKIP() << "MNIST not in " << data_cache_dir() << "; run scripts/fetch-data";
}

// `rows` digits of mnist:train or mnist:test drawn with `seed`, pixels / 255. Loaded once per split.
inline Tensor mnist_subset(const std::string& split, int64_t rows, uint64_t seed) {
  static std::map<std::string, Dataset> loaded;
  auto it = loaded.find(split);
  if (it == loaded.end()) it = loaded.emplace(split, load_dataset("mnist:" + split)).first;
  Dataset subset;
  subset.x = it->second.x;
  subsample_rows(subset, rows, seed);
  for (float& v : subset.x.span()) v /= 255.0f;
  return subset.x;
}

// The family tests' common training run: `epochs` of Adam (lr 0.01, batch 32) on 2000 training
// digits, on the one thread every test starts with (one_thread_environment.cpp).
inline void train_on_mnist_subset(Autoencoder& net, const std::string& loss, int epochs) {
  TrainConfig config;
  config.epochs = epochs;
  config.batch_size = 32;
  config.optimizer = OptimizerConfig::defaults_for("adam");
  config.optimizer.lr = 0.01f;
  train(net, mnist_subset("train", 2000, 1), *make_loss(loss), config);
}

}  // namespace aekit::test
