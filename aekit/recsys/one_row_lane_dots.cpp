#include <aekit/recsys/one_row_lane_dots.h>

#include <limits>

#ifdef __AVX2__
#include <immintrin.h>
#endif

namespace aekit {

void one_row_lane_dots(const float* h, ConstMatrixView weight, const float* bias, std::span<const int32_t> cols,
                       float* out) {
  const int64_t width = weight.cols, count = static_cast<int64_t>(cols.size());
  int64_t k = 0;
#if defined(__AVX2__) && defined(__FMA__)
  // The gathers index the weight in 32-bit offsets.
  if (weight.rows * width <= std::numeric_limits<int32_t>::max()) {
    const __m256i stride = _mm256_set1_epi32(static_cast<int32_t>(width));
    for (; k + 8 <= count; k += 8) {
      const __m256i col = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(cols.data() + k));
      const __m256i row_start = _mm256_mullo_epi32(col, stride);
      // Lane l of all eight dots (the chain over j = l, l + 16, ...), added to the sum as soon as
      // it is done: the lanes reach the sum in lane_dot's order, 0 to 15.
      __m256 sum = _mm256_setzero_ps();
      for (int64_t l = 0; l < 16; ++l) {
        __m256 lane = _mm256_setzero_ps();
        for (int64_t j = l; j < width; j += 16) {
          const __m256 w = _mm256_i32gather_ps(weight.data + j, row_start, 4);
          lane = _mm256_fmadd_ps(_mm256_set1_ps(h[j]), w, lane);
        }
        sum = _mm256_add_ps(sum, lane);
      }
      _mm256_storeu_ps(out + k, _mm256_add_ps(_mm256_i32gather_ps(bias, col, 4), sum));
    }
  }
#endif
  for (; k < count; ++k) out[k] = bias[cols[static_cast<size_t>(k)]] + lane_dot(h, weight.row(cols[static_cast<size_t>(k)]), width);
}

}  // namespace aekit
