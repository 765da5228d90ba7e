#pragma once
// bfloat16 on the CPU: whether this CPU multiplies it natively, and conversion from fp32.
// A bf16 value is the upper 16 bits of an fp32 one (same exponent range, 8 significant bits).
#include <cstdint>
#include <string>

namespace aekit::cpu {

using bf16 = uint16_t;

// True when the CPU has AVX512_BF16 (native bf16 dot products): only then is --precision bf16
// faster than fp32; elsewhere oneDNN would emulate it, slower, so aekit refuses.
bool bf16_supported();
// "yes (AVX512_BF16)" or "no (the CPU lacks AVX512_BF16)", for `aekit info --system`.
std::string bf16_description();

// dst[i] = src[i] rounded to the nearest bf16, ties to even (as oneDNN and PyTorch round).
// Parallel over blocks for large n.
void to_bf16(const float* src, bf16* dst, int64_t n);

}  // namespace aekit::cpu
