#pragma once
#include <cstdint>
#include <string>

namespace aekit {

// A (height, width) pair; most settings are square and given as one number.
struct Extent2 {
  int64_t h = 0, w = 0;
  Extent2() = default;
  Extent2(int64_t both) : h(both), w(both) {}  // NOLINT: a square setting reads as one number
  Extent2(int64_t height, int64_t width) : h(height), w(width) {}
  bool operator==(const Extent2&) const = default;
  std::string str() const { return h == w ? std::to_string(h) : std::to_string(h) + "x" + std::to_string(w); }
};

}  // namespace aekit
