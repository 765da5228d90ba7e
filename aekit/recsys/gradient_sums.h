#pragma once
// Adding gradients into running sums (the seeds' accumulated gradients, --preset seed-sae:
// SparseNetwork::add_gradients_to) while finding the largest magnitude among the sums written,
// which SparseRows keeps as its bound on the sums (the trainer then skips the norm's pass).
// The largest |sum| is kept as the bit pattern of the magnitude: for floats that are not NaN those
// patterns order as the magnitudes do (+inf is 0x7f800000), and every NaN's lies above, so one
// unsigned max finds both the largest value and whether one is NaN, with no branch or float
// compare in the loops (the seeds' step adds ~4,000 entries: the scalar loops with a compare and
// a NaN flag per element were ~12% of its time, perf).
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace aekit {

inline constexpr uint32_t kInfinityBits = 0x7f800000u;

// The bits of |v|: ordered as the magnitudes for every float that is not NaN, above them for NaN.
inline uint32_t magnitude_bits(float v) { return std::bit_cast<uint32_t>(v) & 0x7fffffffu; }

// The largest magnitude the bits stand for, infinity when they are a NaN's.
inline float magnitude_of_bits(uint32_t bits) {
  return bits > kInfinityBits ? std::numeric_limits<float>::infinity() : std::bit_cast<float>(bits);
}

// sum[k] += g[k] for k in [0, n); returns the largest magnitude_bits of the sums written. Left
// to g++'s vectoriser: an `omp simd` reduction kept its partial maxima in a stack slot, and the
// wide reload of four narrow stores stalled each of the seeds' 20-float rows (perf).
inline uint32_t add_run(float* __restrict sum, const float* __restrict g, int64_t n) {
  uint32_t largest = 0;
  for (int64_t k = 0; k < n; ++k) {
    const float v = sum[k] + g[k];
    sum[k] = v;
    largest = std::max(largest, magnitude_bits(v));
  }
  return largest;
}

// The same at the positions cols[0 .. count - 1] (distinct), with two running maxima.
inline uint32_t add_at(float* __restrict sum, const float* __restrict g, const int32_t* cols, int64_t count) {
  uint32_t a = 0, b = 0;
  int64_t k = 0;
  for (; k + 2 <= count; k += 2) {
    const float u = sum[cols[k]] + g[cols[k]];
    sum[cols[k]] = u;
    const float v = sum[cols[k + 1]] + g[cols[k + 1]];
    sum[cols[k + 1]] = v;
    a = std::max(a, magnitude_bits(u));
    b = std::max(b, magnitude_bits(v));
  }
  if (k < count) {
    const float u = sum[cols[k]] + g[cols[k]];
    sum[cols[k]] = u;
    a = std::max(a, magnitude_bits(u));
  }
  return std::max(a, b);
}

// sum[k * stride] += fma(v, d[k], +0) for k in [0, n): a gradient of one batch row added where it
// is computed. fma onto +0 is how the backward writes a product into a zeroed gradient (the
// product rounded alone, -0 made +0), so each sum gets the value add_run would have added from
// that gradient: the same bits, without the gradient's store, its zeroing and its reload.
// stride 1 is a contiguous run (vectorised); otherwise a column of a row-major array.
inline uint32_t add_products(float* __restrict sum, int64_t stride, float v, const float* __restrict d, int64_t n) {
  uint32_t largest = 0;
  if (stride == 1) {
    for (int64_t k = 0; k < n; ++k) {
      const float s = sum[k] + std::fma(v, d[k], 0.0f);
      sum[k] = s;
      largest = std::max(largest, magnitude_bits(s));
    }
    return largest;
  }
  for (int64_t k = 0; k < n; ++k) {
    const float s = sum[k * stride] + std::fma(v, d[k], 0.0f);
    sum[k * stride] = s;
    largest = std::max(largest, magnitude_bits(s));
  }
  return largest;
}

}  // namespace aekit
