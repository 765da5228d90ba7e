#pragma once
// Bounds on magnitudes, for proving a gradient norm finite without a pass over the gradients
// (SparseRows as a NormVoucher, train/norm_voucher.h). In double, so that the bounds themselves
// neither overflow nor lose a NaN; a NaN anywhere makes the bound infinite.
#include <aekit/core/largest_magnitude.h>

#include <bit>
#include <cstdint>
#include <cmath>
#include <limits>
#include <span>

namespace aekit {

// The largest |v| over `values`; infinity when one is NaN. The values are a batch's activations
// or their gradients, tens of thousands a step.
inline double largest_magnitude(std::span<const float> values) {
  const float largest =
      std::bit_cast<float>(largest_magnitude_bits(values.data(), static_cast<int64_t>(values.size())));
  return largest != largest ? std::numeric_limits<double>::infinity() : static_cast<double>(largest);
}

// The sum of |v| over `values`, in double (an upper bound on |any sum of them|, however it was
// rounded in float, up to the float sum's relative error); infinity when one is NaN.
inline double sum_of_magnitudes(std::span<const float> values) {
  double sum = 0.0;
  for (const float v : values) sum += std::fabs(static_cast<double>(v));
  return sum != sum ? std::numeric_limits<double>::infinity() : sum;
}

}  // namespace aekit
