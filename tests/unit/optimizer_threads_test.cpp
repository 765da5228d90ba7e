// Large parameters are updated in parallel; the result must not depend on the thread count, and
// must equal the serial update of the same numbers held as many small parameters.
#include <aekit/core/threads.h>
#include <aekit/train/optimizer.h>

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace aekit {
namespace {

constexpr int64_t kSize = 200'003;  // well above the parallel threshold, not a round number
constexpr int64_t kPiece = 1'000;   // below it

// Runs 3 steps of `name` on one big parameter (or pieces of kPiece) and returns the values.
std::vector<float> run(const std::string& name, int threads, bool in_pieces) {
  std::mt19937 rng(7);
  std::normal_distribution<float> normal;
  std::vector<float> value(kSize), grad(kSize);
  for (float& v : value) v = normal(rng);
  std::vector<ParamRef> refs;
  if (in_pieces) {
    for (int64_t at = 0; at < kSize; at += kPiece)
      refs.push_back({value.data() + at, grad.data() + at, std::min(kPiece, kSize - at)});
  } else {
    refs.push_back({value.data(), grad.data(), kSize});
  }
  OptimizerConfig config = OptimizerConfig::defaults_for(name);
  config.momentum = name == "sgd" || name == "rmsprop" ? 0.9f : 0.0f;
  config.amsgrad = name == "adam";
  auto optimizer = make_optimizer(config, refs);
  const int before = num_threads();
  set_num_threads(threads);
  for (int step = 0; step < 3; ++step) {
    for (float& g : grad) g = normal(rng);
    optimizer->step();
  }
  set_num_threads(before);
  return value;
}

TEST(OptimThreads, SameBitsForAnyThreadCountAndSplit) {
  for (const std::string name : {"sgd", "rmsprop", "adam", "adamw", "adagrad"}) {
    const std::vector<float> serial = run(name, 1, true);
    for (const auto& parallel : {run(name, 1, false), run(name, 2, false), run(name, 3, false)})
      EXPECT_EQ(std::memcmp(serial.data(), parallel.data(), serial.size() * sizeof(float)), 0)
          << name;
  }
}

}  // namespace
}  // namespace aekit
