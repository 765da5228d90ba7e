#pragma once
// The thread count used by aekit's kernels and by oneDNN (both run on the same OpenMP runtime).
// Results are bit-identical for the same seed and the same thread count.
#include <algorithm>
#include <cstdint>
#include <utility>

namespace aekit {
void set_num_threads(int n);  // n <= 0 means all cores
int num_threads();

// Thread t's part [begin, end) of `count` floats cut into `threads` contiguous parts at multiples
// of 16 (a cache line), so that no two threads write into one line of a row. A part may be empty.
inline std::pair<int64_t, int64_t> cache_line_share(int64_t count, int t, int threads) {
  const int64_t lines = (count + 15) / 16;
  return {std::min(count, lines * t / threads * 16), std::min(count, lines * (t + 1) / threads * 16)};
}
}  // namespace aekit
