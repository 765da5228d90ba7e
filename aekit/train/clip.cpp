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

}  // namespace

float global_grad_norm(std::span<const std::span<float>> grads) {
  // Every block of every gradient in ONE parallel region (a region per gradient cost a barrier
  // each), then the sums in the order they have always been added: blocks in order within a
  // gradient, gradients in order.
  std::vector<int64_t> first_block(grads.size() + 1, 0);
  for (size_t t = 0; t < grads.size(); ++t)
    first_block[t + 1] = first_block[t] + (static_cast<int64_t>(grads[t].size()) + kBlock - 1) / kBlock;
  const int64_t blocks = first_block.back();
  std::vector<double> partial(static_cast<size_t>(blocks), 0.0);
#pragma omp parallel for schedule(static) if (blocks > 1)
  for (int64_t b = 0; b < blocks; ++b) {
    const auto t = static_cast<size_t>(std::upper_bound(first_block.begin(), first_block.end(), b) -
                                       first_block.begin() - 1);
    const float* values = grads[t].data();
    const auto n = static_cast<int64_t>(grads[t].size());
    double sum = 0.0;
    for (int64_t i = (b - first_block[t]) * kBlock, end = std::min(n, i + kBlock); i < end; ++i)
      sum += static_cast<double>(values[i]) * values[i];
    partial[static_cast<size_t>(b)] = sum;
  }
  double squares = 0.0;
  for (size_t t = 0; t < grads.size(); ++t) {
    double total = 0.0;
    for (int64_t b = first_block[t]; b < first_block[t + 1]; ++b) total += partial[static_cast<size_t>(b)];
    squares += total;
  }
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
