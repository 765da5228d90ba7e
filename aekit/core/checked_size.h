#pragma once
// Checked size arithmetic: the one place where sizes that come from outside (file headers, model
// metadata, flags) are multiplied or added. A crafted size can never wrap around to a small
// number here: every function answers nullopt instead, and the caller turns that into a message
// naming its file and field.
//
// Sizes are int64 in aekit (Shape, Tensor). `limit` lets a reader cap a product at what it can
// plausibly hold (e.g. 2^48 elements) rather than at the largest int64.
#include <cstdint>
#include <limits>
#include <optional>
#include <span>

namespace aekit {

inline constexpr uint64_t kMaxSize = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

// a * b, or nullopt when the exact product exceeds `limit`.
constexpr std::optional<uint64_t> checked_mul(uint64_t a, uint64_t b, uint64_t limit = kMaxSize) {
  uint64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product) || product > limit) return std::nullopt;
  return product;
}

// a + b, or nullopt when the exact sum exceeds `limit`.
constexpr std::optional<uint64_t> checked_add(uint64_t a, uint64_t b, uint64_t limit = kMaxSize) {
  uint64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum) || sum > limit) return std::nullopt;
  return sum;
}

// The number of elements of a shape, or nullopt when a dimension is negative or exceeds `limit`,
// or the product of the non-zero dimensions exceeds `limit`. The last rule rejects shapes such as
// (2^40, 2^40, 0): their product is 0, but no real array has them and their rows x cols views
// would overflow.
constexpr std::optional<uint64_t> checked_product(std::span<const int64_t> dims, uint64_t limit = kMaxSize) {
  uint64_t nonzero = 1;
  bool has_zero = false;
  for (int64_t d : dims) {
    if (d < 0 || static_cast<uint64_t>(d) > limit) return std::nullopt;
    if (d == 0) {
      has_zero = true;
      continue;
    }
    std::optional<uint64_t> next = checked_mul(nonzero, static_cast<uint64_t>(d), limit);
    if (!next) return std::nullopt;
    nonzero = *next;
  }
  return has_zero ? 0 : nonzero;
}

// `d` as a float, or nullopt when it is NaN or outside the float range (narrowing such a double
// is undefined behaviour, and metadata and flags can hold any double).
constexpr std::optional<float> checked_float(double d) {
  if (!(d >= -static_cast<double>(std::numeric_limits<float>::max()) &&
        d <= static_cast<double>(std::numeric_limits<float>::max())))
    return std::nullopt;
  return static_cast<float>(d);
}

}  // namespace aekit
