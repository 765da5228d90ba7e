#pragma once
// Operands and a bitwise comparison for the tests of which bits a matrix product gives
// (small_product_test.cpp, team_products_test.cpp).
#include <aekit/core/rng.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace aekit::test {

// n values from a standard normal, drawn in order from `rng`.
inline std::vector<float> random_values(int64_t n, Rng& rng) {
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = rng.normal();
  return v;
}

inline bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace aekit::test
