#include <aekit/train/clip.h>

#include <aekit/core/error.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace aekit {
namespace {

// Squares are summed in double over fixed blocks, then the block sums in order: the norm is the
// same for any thread count, and float rounding does not build up over millions of weights.
constexpr int64_t kBlock = int64_t{1} << 14;

double sum_of_squares(std::span<const float> values) {
  const auto n = static_cast<int64_t>(values.size());
  const int64_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<double> partial(static_cast<size_t>(blocks), 0.0);
#pragma omp parallel for schedule(static) if (blocks > 1)
  for (int64_t b = 0; b < blocks; ++b) {
    double sum = 0.0;
    for (int64_t i = b * kBlock, end = std::min(n, i + kBlock); i < end; ++i)
      sum += static_cast<double>(values[i]) * values[i];
    partial[static_cast<size_t>(b)] = sum;
  }
  double total = 0.0;
  for (double s : partial) total += s;
  return total;
}

}  // namespace

float global_grad_norm(std::span<const std::span<float>> grads) {
  double squares = 0.0;
  for (std::span<const float> g : grads) squares += sum_of_squares(g);
  return static_cast<float>(std::sqrt(squares));
}

float clip_grad_norm(std::span<const std::span<float>> grads, float max_norm) {
  if (!(max_norm >= 0.0f)) fail("clip_grad_norm: max_norm must be >= 0, got ", max_norm);
  const float total_norm = global_grad_norm(grads);
  scale_to_max_norm(grads, total_norm, max_norm);
  return total_norm;
}

void scale_to_max_norm(std::span<const std::span<float>> grads, float total_norm, float max_norm) {
  // In float, as PyTorch computes it on the float32 norm tensor.
  const float clip_coef = max_norm / (total_norm + 1e-6f);
  if (clip_coef < 1.0f)
    for (std::span<float> g : grads) {
      const auto n = static_cast<int64_t>(g.size());
      float* data = g.data();
#pragma omp parallel for schedule(static) if (n >= kBlock)
      for (int64_t i = 0; i < n; ++i) data[i] *= clip_coef;
    }
}

}  // namespace aekit
