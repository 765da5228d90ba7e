#pragma once
// Parameters of the given sizes for the optimizer tests: values drawn from a seeded normal
// distribution, gradients zero until drawn, and the ParamRefs an optimizer takes.
#include <aekit/train/optimizer.h>

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace aekit {

struct RandomParams {
  std::vector<std::vector<float>> values, grads;
  std::vector<ParamRef> refs;

  explicit RandomParams(const std::vector<int64_t>& sizes, unsigned seed = 3) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    for (int64_t n : sizes) {
      values.emplace_back(static_cast<size_t>(n));
      grads.emplace_back(static_cast<size_t>(n));
      for (float& v : values.back()) v = normal(rng);
    }
    for (size_t k = 0; k < sizes.size(); ++k) refs.push_back({values[k].data(), grads[k].data(), sizes[k]});
  }
  // Every gradient from N(0, 3), drawn anew for each step.
  void draw_gradients(int step) {
    std::mt19937 rng(100 + step);
    std::normal_distribution<float> normal(0.0f, 3.0f);
    for (auto& g : grads)
      for (float& v : g) v = normal(rng);
  }
  std::vector<std::span<float>> grad_spans() { return std::vector<std::span<float>>(grads.begin(), grads.end()); }
};

}  // namespace aekit
