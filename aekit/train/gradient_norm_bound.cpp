#include <aekit/train/gradient_norm_bound.h>

#include <aekit/core/largest_magnitude.h>
#include <aekit/train/gradient_blocks.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace aekit {
namespace {

// Above this many gradients in all the scan is shared between the threads, as the norm's is
// (clip.cpp's kSerialSquares, four times as many: the scan is about four times cheaper).
constexpr int64_t kSerialValues = int64_t{1} << 20;

}  // namespace

bool gradient_norm_bounded(std::span<const std::span<float>> grads) {
  int64_t count = 0;
  for (const std::span<float> g : grads) count += static_cast<int64_t>(g.size());
  uint32_t largest = 0;
  if (count <= kSerialValues) {
    for (const std::span<float> g : grads)
      largest = std::max(largest, largest_magnitude_bits(g.data(), static_cast<int64_t>(g.size())));
  } else {
    // The blocks' maxima, then their max: the shared blocks of the norm's pass (gradient_blocks.h).
    const GradientBlocks blocks(grads);
    std::vector<uint32_t> partial(static_cast<size_t>(blocks.count()), 0);
    blocks.run(true, [&](int64_t b, const float* values, int64_t n) {
      partial[static_cast<size_t>(b)] = largest_magnitude_bits(values, n);
    });
    for (uint32_t p : partial) largest = std::max(largest, p);
  }
  const float magnitude = std::bit_cast<float>(largest);  // NaN or infinity when one was
  if (!std::isfinite(magnitude)) return false;
  const double limit = 0.5 * std::numeric_limits<float>::max();
  return static_cast<double>(magnitude) * std::sqrt(static_cast<double>(count)) < limit;
}

}  // namespace aekit
