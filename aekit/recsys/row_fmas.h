#pragma once
// The two inner loops of the sparse layers' products on one row of floats, written once so that
// every caller does the same multiply-adds: a run of an output row plus several scaled input
// rows (fma_rows), and the dot product of two rows in 16 running sums (lane_dot, lane_dot_pair).
// Both read their rows start to end, the order the hardware prefetchers follow; the grouped forms
// stream two or more rows at once, so more loads are in flight than one row's (the rows come from
// L3 after the optimizer's pass: BENCHMARKS.md, thirteenth session).
#include <cmath>
#include <cstdint>

#ifdef __FMA__
#include <immintrin.h>
#endif

namespace aekit {

// Asks for elements [j0, j1) of `rows` rows into the cache, a line at a time from `at` on: the
// rows the caller reads next, fetched while it works on the current ones (the weight rows come
// from L3 or memory, one row start after another, and the hardware prefetchers pick up a row only
// after its first misses).
inline void prefetch_line(const float* const* next, int rows, int64_t at) {
  for (int g = 0; g < rows; ++g) __builtin_prefetch(next[g] + at);
}

// out[j] for j in [j0, j1), Rows input rows at once: out[j] = fma(v[Rows - 1], src[Rows - 1][j],
// ... fma(v[0], src[0][j], out[j])), onto +0 when Fresh (the bits of adding into a zeroed run).
// The chain per element is the rows' order, so an output row gets the same multiply-adds however
// its inputs are grouped. `next` (Rows pointers, or null) are prefetched over the same range.
template <int Rows, bool Fresh>
inline void fma_rows(const float* const* src, const float* v, float* out, int64_t j0, int64_t j1,
                     const float* const* next = nullptr) {
  int64_t j = j0;
#ifdef __FMA__
  __m256 vv[Rows];
  for (int g = 0; g < Rows; ++g) vv[g] = _mm256_set1_ps(v[g]);
  const auto step = [&](int64_t at) {
    __m256 a = Fresh ? _mm256_setzero_ps() : _mm256_loadu_ps(out + at);
    for (int g = 0; g < Rows; ++g) a = _mm256_fmadd_ps(vv[g], _mm256_loadu_ps(src[g] + at), a);
    _mm256_storeu_ps(out + at, a);
  };
  for (; j + 16 <= j1; j += 16) {  // a cache line of each row
    if (next != nullptr) prefetch_line(next, Rows, j);
    step(j);
    step(j + 8);
  }
  for (; j + 8 <= j1; j += 8) step(j);
#endif
  if (next != nullptr && j0 < j1) {
    prefetch_line(next, Rows, j);
    prefetch_line(next, Rows, j1 - 1);
  }
  for (; j < j1; ++j) {
    float a = Fresh ? 0.0f : out[j];
    for (int g = 0; g < Rows; ++g) a = std::fma(v[g], src[g][j], a);
    out[j] = a;
  }
}

// a . b[r] over n values for Rows rows b[r] sharing a: 16 running sums per row (value j into sum
// j % 16, one multiply-add each), added in order from +0 at the end, into dot[r]. The order is
// fixed by n alone (the same bits for any thread count and any grouping). One serial chain of
// adds, the order this replaced, ran at a sixteenth of the rate. The multiply-adds are fused
// where the CPU has FMA (what g++ made of `sum += a * b` there), separate otherwise.
// `next` (Rows pointers, or null) are prefetched over the same n values.
template <int Rows>
inline void lane_dots(const float* a, const float* const* b, int64_t n, float* dot, const float* const* next = nullptr) {
  constexpr int64_t kLanes = 16;
  alignas(32) float lanes[Rows][kLanes] = {};
  int64_t j = 0;
#ifdef __FMA__
  __m256 lo[Rows], hi[Rows];
  for (int r = 0; r < Rows; ++r) lo[r] = hi[r] = _mm256_setzero_ps();
  for (; j + kLanes <= n; j += kLanes) {
    if (next != nullptr) prefetch_line(next, Rows, j);
    const __m256 a_lo = _mm256_loadu_ps(a + j), a_hi = _mm256_loadu_ps(a + j + 8);
    for (int r = 0; r < Rows; ++r) {
      lo[r] = _mm256_fmadd_ps(a_lo, _mm256_loadu_ps(b[r] + j), lo[r]);
      hi[r] = _mm256_fmadd_ps(a_hi, _mm256_loadu_ps(b[r] + j + 8), hi[r]);
    }
  }
  for (int r = 0; r < Rows; ++r) {
    _mm256_store_ps(lanes[r], lo[r]);
    _mm256_store_ps(lanes[r] + 8, hi[r]);
  }
  for (int r = 0; r < Rows; ++r)
    for (int64_t l = 0; j + l < n; ++l) lanes[r][l] = std::fma(a[j + l], b[r][j + l], lanes[r][l]);
#else
  for (; j + kLanes <= n; j += kLanes) {
    if (next != nullptr) prefetch_line(next, Rows, j);
    for (int r = 0; r < Rows; ++r)
      for (int64_t l = 0; l < kLanes; ++l) lanes[r][l] += a[j + l] * b[r][j + l];
  }
  for (int r = 0; r < Rows; ++r)
    for (int64_t l = 0; j + l < n; ++l) lanes[r][l] += a[j + l] * b[r][j + l];
#endif
  if (next != nullptr && n > 0) {
    prefetch_line(next, Rows, j);
    prefetch_line(next, Rows, n - 1);
  }
  for (int r = 0; r < Rows; ++r) {
    float sum = 0.0f;
    for (const float v : lanes[r]) sum += v;
    dot[r] = sum;
  }
}

inline float lane_dot(const float* a, const float* b, int64_t n) {
  float dot;
  lane_dots<1>(a, &b, n, &dot);
  return dot;
}

}  // namespace aekit
