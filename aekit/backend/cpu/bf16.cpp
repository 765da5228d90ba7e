#include <aekit/backend/cpu/bf16.h>

#include <bit>

namespace aekit::cpu {

bool bf16_supported() { return __builtin_cpu_supports("avx512bf16"); }

std::string bf16_description() {
  return bf16_supported() ? "yes (AVX512_BF16: --precision bf16 available)"
                          : "no (the CPU lacks AVX512_BF16: --precision bf16 is refused)";
}

void to_bf16(const float* src, bf16* dst, int64_t n) {
#pragma omp parallel for simd schedule(static) if (n >= (int64_t{1} << 17))
  for (int64_t i = 0; i < n; ++i) {
    const uint32_t bits = std::bit_cast<uint32_t>(src[i]);
    // Round to nearest even on the 16 bits dropped. Inputs are finite here (data and weights
    // are checked), so no NaN handling is needed.
    const uint32_t rounded = bits + 0x7FFFu + ((bits >> 16) & 1u);
    dst[i] = static_cast<bf16>(rounded >> 16);
  }
}

}  // namespace aekit::cpu
