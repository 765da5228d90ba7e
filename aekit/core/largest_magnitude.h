#pragma once
// The largest magnitude in an array of floats, as the bit pattern of |v|: for numbers the patterns
// (sign cleared) order as the magnitudes do, and a NaN's is above infinity's, so one unsigned max
// finds both. 32 independent lanes (four AVX2 vectors, two AVX-512 ones) keep the loop bound by
// its loads; a max over floats (vmaxps, with a NaN flag beside it) is one latency-bound chain.
// For bounds that prove a sum finite without computing it (train/gradient_norm_bound.h,
// recsys/magnitude_bounds.h).
#include <algorithm>
#include <bit>
#include <cstdint>

namespace aekit {

inline uint32_t largest_magnitude_bits(const float* values, int64_t n) {
  constexpr int kLanes = 32;
  uint32_t lanes[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int l = 0; l < kLanes; ++l)
      lanes[l] = std::max(lanes[l], std::bit_cast<uint32_t>(values[i + l]) & 0x7fffffffu);
  uint32_t largest = 0;
  for (; i < n; ++i) largest = std::max(largest, std::bit_cast<uint32_t>(values[i]) & 0x7fffffffu);
  for (uint32_t lane : lanes) largest = std::max(largest, lane);
  return largest;
}

}  // namespace aekit
