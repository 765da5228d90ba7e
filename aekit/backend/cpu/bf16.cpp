#include <aekit/backend/cpu/bf16.h>

#include <bit>

namespace aekit::cpu {

bool bf16_supported() { return __builtin_cpu_supports("avx512bf16"); }

std::string bf16_description() {
  return bf16_supported() ? "yes (AVX512_BF16: --precision bf16 available)"
                          : "no (the CPU lacks AVX512_BF16: --precision bf16 is refused)";
}

void to_bf16(const float* src, bf16* dst, int64_t n) {
// `if (parallel: ...)`: a bare if on `parallel for simd` also turns off the simd part (OpenMP 5.0),
// and below the threshold the conversion ran one float at a time.
#pragma omp parallel for simd schedule(static) if (parallel: n >= (int64_t{1} << 17))
  for (int64_t i = 0; i < n; ++i) dst[i] = round_to_bf16(src[i]);
}

}  // namespace aekit::cpu
