#include <aekit/train/clip.h>

#include <aekit/core/error.h>
#include <aekit/train/gradient_blocks.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace aekit {
namespace {

// Squares are summed in double over fixed blocks (gradient_blocks.h), then the block sums in
// order: the norm is the same for any thread count, and float rounding does not build up over
// millions of weights.
// Within a block, element i goes to lane i % kLanes and the lanes are added in order at the end:
// independent sums the compiler turns into vector adds (one serial chain of double adds ran at a
// fifth of memory speed, 19% of Mult-VAE's training time), in an order fixed by the data alone.
constexpr int64_t kLanes = 16;
// Up to this many squares in all (a few tens of microseconds) the norm stays on the calling thread:
// a parallel region's wake-up and barrier cost about as much with passive waiting. The seeds'
// MNIST model has 218,192. The block sums are the same whichever thread computes them.
constexpr int64_t kSerialSquares = int64_t{1} << 18;

double block_sum_of_squares(const float* values, int64_t n) {
  double lanes[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int64_t l = 0; l < kLanes; ++l) lanes[l] += static_cast<double>(values[i + l]) * values[i + l];
  for (int64_t l = 0; i + l < n; ++l) lanes[l] += static_cast<double>(values[i + l]) * values[i + l];
  double sum = 0.0;
  for (double s : lanes) sum += s;
  return sum;
}

}  // namespace

float global_grad_norm(std::span<const std::span<float>> grads) {
  // Every block of every gradient (gradient_blocks.h); then the block sums of each tensor in order,
  // and the tensors' in order.
  const GradientBlocks blocks(grads);
  int64_t squares_in_all = 0;
  for (const std::span<float> g : grads) squares_in_all += static_cast<int64_t>(g.size());
  std::vector<double> partial(static_cast<size_t>(blocks.count()), 0.0);
  blocks.run(blocks.count() > 1 && squares_in_all > kSerialSquares, [&](int64_t b, const float* values, int64_t n) {
    partial[static_cast<size_t>(b)] = block_sum_of_squares(values, n);
  });
  double squares = 0.0;
  for (size_t t = 0; t < grads.size(); ++t) {
    double tensor = 0.0;
    for (int64_t b = blocks.first(t); b < blocks.first(t + 1); ++b) tensor += partial[static_cast<size_t>(b)];
    squares += tensor;
  }
  return static_cast<float>(std::sqrt(squares));
}

float clip_grad_norm(std::span<const std::span<float>> grads, float max_norm) {
  if (!(max_norm >= 0.0f)) fail("clip_grad_norm: max_norm must be >= 0, got ", max_norm);
  const float total_norm = global_grad_norm(grads);
  scale_to_max_norm(grads, total_norm, max_norm);
  return total_norm;
}

float clip_coefficient(float total_norm, float max_norm) {
  // In float, as PyTorch computes it on the float32 norm tensor.
  const float clip_coef = max_norm / (total_norm + 1e-6f);
  return clip_coef < 1.0f ? clip_coef : 1.0f;
}

void scale_to_max_norm(std::span<const std::span<float>> grads, float total_norm, float max_norm) {
  const float clip_coef = clip_coefficient(total_norm, max_norm);
  if (clip_coef < 1.0f)
    for (std::span<float> g : grads) {
      const auto n = static_cast<int64_t>(g.size());
      float* data = g.data();
#pragma omp parallel for schedule(static) if (n >= kGradientBlock)
      for (int64_t i = 0; i < n; ++i) data[i] *= clip_coef;
    }
}

}  // namespace aekit
