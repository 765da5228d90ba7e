#include <aekit/recsys/rating_split.h>

#include <aekit/core/error.h>

#include <numeric>
#include <random>

namespace aekit {

namespace {

// numpy's random_interval: a uniform integer in [0, max] by masked rejection on 32-bit draws.
uint32_t numpy_interval(std::mt19937& mt, uint32_t max) {
  if (max == 0) return 0;
  uint32_t mask = max;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  uint32_t value;
  while ((value = static_cast<uint32_t>(mt()) & mask) > max) {
  }
  return value;
}

}  // namespace

std::vector<int64_t> numpy_permutation(int64_t n, uint32_t seed) {
  AEKIT_ASSERT(n >= 0 && n <= int64_t{0xffffffff}, "permutation of ", n, " elements");
  std::vector<int64_t> p(static_cast<size_t>(n));
  std::iota(p.begin(), p.end(), int64_t{0});
  std::mt19937 mt(seed);  // numpy's legacy seeding is init_genrand(seed), as std::mt19937's
  for (int64_t i = n - 1; i > 0; --i)
    std::swap(p[static_cast<size_t>(i)], p[numpy_interval(mt, static_cast<uint32_t>(i))]);
  return p;
}

RatingSplit holdout_split(const std::vector<Rating>& ratings, double fraction, uint32_t seed) {
  if (!(fraction > 0.0 && fraction < 1.0)) fail("--holdout must be between 0 and 1, got ", fraction);
  const auto n = static_cast<int64_t>(ratings.size());
  const auto cut = static_cast<int64_t>(static_cast<double>(n) * (1.0 - fraction));
  if (cut == 0 || cut == n) fail("--holdout ", fraction, " leaves no ", cut == 0 ? "training" : "test",
                                 " ratings out of ", n);
  const std::vector<int64_t> order = numpy_permutation(n, seed);
  RatingSplit split;
  split.train.reserve(static_cast<size_t>(cut));
  split.test.reserve(static_cast<size_t>(n - cut));
  for (int64_t k = 0; k < n; ++k)
    (k < cut ? split.train : split.test).push_back(ratings[static_cast<size_t>(order[static_cast<size_t>(k)])]);
  return split;
}

}  // namespace aekit
