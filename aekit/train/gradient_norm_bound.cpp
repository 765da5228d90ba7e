#include <aekit/train/gradient_norm_bound.h>

#include <aekit/core/largest_magnitude.h>

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
constexpr int64_t kBlock = int64_t{1} << 14;

}  // namespace

bool gradient_norm_bounded(std::span<const std::span<float>> grads) {
  int64_t count = 0;
  for (const std::span<float> g : grads) count += static_cast<int64_t>(g.size());
  uint32_t largest = 0;
  if (count <= kSerialValues) {
    for (const std::span<float> g : grads)
      largest = std::max(largest, largest_magnitude_bits(g.data(), static_cast<int64_t>(g.size())));
  } else {
    // Every block of every gradient in one parallel region (one fork and barrier, as the norm's).
    std::vector<int64_t> first_block(grads.size() + 1, 0);
    for (size_t t = 0; t < grads.size(); ++t)
      first_block[t + 1] = first_block[t] + (static_cast<int64_t>(grads[t].size()) + kBlock - 1) / kBlock;
#pragma omp parallel
    {
      size_t t = 0;
#pragma omp for schedule(static) reduction(max : largest)
      for (int64_t b = 0; b < first_block.back(); ++b) {
        while (first_block[t + 1] <= b) ++t;  // blocks come in increasing order to each thread
        const int64_t begin = (b - first_block[t]) * kBlock;
        const int64_t n = std::min(kBlock, static_cast<int64_t>(grads[t].size()) - begin);
        largest = std::max(largest, largest_magnitude_bits(grads[t].data() + begin, n));
      }
    }
  }
  const float magnitude = std::bit_cast<float>(largest);  // NaN or infinity when one was
  if (!std::isfinite(magnitude)) return false;
  const double limit = 0.5 * std::numeric_limits<float>::max();
  return static_cast<double>(magnitude) * std::sqrt(static_cast<double>(count)) < limit;
}

}  // namespace aekit
