#pragma once
// The RMSprop step of `--preset seed-sae` as the optimizer benches time it: the seeds' 372,156
// weights (rounded up to a multiple of 64 for the vector loops), their hyperparameters (lr 0.01,
// weight decay 0.5, alpha 0.99, eps 1e-8) and values shaped like theirs after a few epochs.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace seed_sae_bench {

constexpr int64_t kWeights = 372160;
constexpr float kNegLr = -0.01f, kWd = 0.5f, kAlpha = 0.99f, kBlend = static_cast<float>(1.0 - 0.99), kEps = 1e-8f;

// Weights, squared-gradient averages and gradients.
struct State {
  std::vector<float> w, sq, g;
  State() : w(kWeights), sq(kWeights), g(kWeights) {
    for (int64_t i = 0; i < kWeights; ++i) {
      w[static_cast<size_t>(i)] = 0.01f * static_cast<float>(i % 37 - 18);
      sq[static_cast<size_t>(i)] = 1e-5f * static_cast<float>(i % 5 + 1);
      g[static_cast<size_t>(i)] = 0.003f * static_cast<float>(i % 11 - 5) + 1e-4f;
    }
  }
};

}  // namespace seed_sae_bench
