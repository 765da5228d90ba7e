#include <aekit/backend/cpu/transpose.h>

#include <algorithm>

#ifdef __AVX__
#include <immintrin.h>
#endif

namespace aekit::cpu {
namespace {

// 64 x 64 tiles: a tile's source rows and destination rows both stay in L1.
constexpr int64_t kTile = 64;

void transpose_scalar(const float* s, int64_t ls, float* d, int64_t ld, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) d[c * ld + r] = s[r * ls + c];
}

#ifdef __AVX__
// One 8 x 8 block through registers (s has row stride ls, d ld): the usual unpack / shuffle /
// 128-bit permute sequence.
inline void transpose8x8(const float* s, int64_t ls, float* d, int64_t ld) {
  const __m256 r0 = _mm256_loadu_ps(s + 0 * ls), r1 = _mm256_loadu_ps(s + 1 * ls);
  const __m256 r2 = _mm256_loadu_ps(s + 2 * ls), r3 = _mm256_loadu_ps(s + 3 * ls);
  const __m256 r4 = _mm256_loadu_ps(s + 4 * ls), r5 = _mm256_loadu_ps(s + 5 * ls);
  const __m256 r6 = _mm256_loadu_ps(s + 6 * ls), r7 = _mm256_loadu_ps(s + 7 * ls);
  const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
  const __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
  const __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
  const __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
  const __m256 u0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0));
  const __m256 u1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
  const __m256 u2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0));
  const __m256 u3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
  const __m256 u4 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(1, 0, 1, 0));
  const __m256 u5 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(3, 2, 3, 2));
  const __m256 u6 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(1, 0, 1, 0));
  const __m256 u7 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(3, 2, 3, 2));
  _mm256_storeu_ps(d + 0 * ld, _mm256_permute2f128_ps(u0, u4, 0x20));
  _mm256_storeu_ps(d + 1 * ld, _mm256_permute2f128_ps(u1, u5, 0x20));
  _mm256_storeu_ps(d + 2 * ld, _mm256_permute2f128_ps(u2, u6, 0x20));
  _mm256_storeu_ps(d + 3 * ld, _mm256_permute2f128_ps(u3, u7, 0x20));
  _mm256_storeu_ps(d + 4 * ld, _mm256_permute2f128_ps(u0, u4, 0x31));
  _mm256_storeu_ps(d + 5 * ld, _mm256_permute2f128_ps(u1, u5, 0x31));
  _mm256_storeu_ps(d + 6 * ld, _mm256_permute2f128_ps(u2, u6, 0x31));
  _mm256_storeu_ps(d + 7 * ld, _mm256_permute2f128_ps(u3, u7, 0x31));
}
#endif

// The tile [r0, r1) x [c0, c1): whole 8 x 8 blocks through registers, the ragged edges scalar.
void transpose_tile(const float* s, int64_t rows, int64_t cols, float* d, int64_t r0, int64_t r1, int64_t c0,
                    int64_t c1) {
#ifdef __AVX__
  const int64_t r8 = r0 + (r1 - r0) / 8 * 8, c8 = c0 + (c1 - c0) / 8 * 8;
  for (int64_t r = r0; r < r8; r += 8)
    for (int64_t c = c0; c < c8; c += 8) transpose8x8(s + r * cols + c, cols, d + c * rows + r, rows);
  transpose_scalar(s + r0 * cols + c8, cols, d + c8 * rows + r0, rows, r1 - r0, c1 - c8);
  transpose_scalar(s + r8 * cols + c0, cols, d + c0 * rows + r8, rows, r1 - r8, c8 - c0);
#else
  transpose_scalar(s + r0 * cols + c0, cols, d + c0 * rows + r0, rows, r1 - r0, c1 - c0);
#endif
}

}  // namespace

void transpose(const float* src, int64_t rows, int64_t cols, float* dst, int64_t parallel_min) {
  if (std::min(rows, cols) <= kTile) {
    // A panel (the sparse recommender's 32 hidden units x 671 inputs, and back): strips of 8 along
    // the short side, each across the whole long side, so that 8 rows stream at a time. Tiles of
    // 64 read all 32 rows 256 bytes at a time, which the prefetchers did not follow: a 500 x 671
    // weight in such panels took 210 us from a cold cache, 165 in strips (240 and 150 back).
    const bool wide = rows <= cols;
    const int64_t strips = ((wide ? rows : cols) + 7) / 8;
#pragma omp parallel for schedule(static) if (rows * cols >= parallel_min)
    for (int64_t i = 0; i < strips; ++i) {
      if (wide) transpose_tile(src, rows, cols, dst, i * 8, std::min(rows, i * 8 + 8), 0, cols);
      else transpose_tile(src, rows, cols, dst, 0, rows, i * 8, std::min(cols, i * 8 + 8));
    }
    return;
  }
#pragma omp parallel for schedule(static) if (rows * cols >= parallel_min)
  for (int64_t c0 = 0; c0 < cols; c0 += kTile)
    for (int64_t r0 = 0; r0 < rows; r0 += kTile)
      transpose_tile(src, rows, cols, dst, r0, std::min(rows, r0 + kTile), c0, std::min(cols, c0 + kTile));
}

}  // namespace aekit::cpu
