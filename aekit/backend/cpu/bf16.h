#pragma once
// bfloat16 on the CPU: whether this CPU multiplies it natively, and conversion from fp32.
// A bf16 value is the upper 16 bits of an fp32 one (same exponent range, 8 significant bits).
#include <bit>
#include <cstdint>
#include <string>

namespace aekit::cpu {

using bf16 = uint16_t;

// True when the CPU has AVX512_BF16 (native bf16 dot products): only then is --precision bf16
// faster than fp32; elsewhere oneDNN would emulate it, slower, so aekit refuses.
bool bf16_supported();
// "yes (AVX512_BF16)" or "no (the CPU lacks AVX512_BF16)", for `aekit info --system`.
std::string bf16_description();

// v rounded to the nearest bf16, ties to even (as oneDNN and PyTorch round). Inputs are finite here
// (data and weights are checked), so no NaN handling is needed.
inline bf16 round_to_bf16(float v) {
  const uint32_t bits = std::bit_cast<uint32_t>(v);
  return static_cast<bf16>((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
}

// dst[i] = round_to_bf16(src[i]). Parallel over blocks for large n.
void to_bf16(const float* src, bf16* dst, int64_t n);

}  // namespace aekit::cpu
