#pragma once
// How PyTorch's CPU kernels round (checked against torch 1.13 on x86-64 with AVX2/AVX-512):
//   t.add_(x, alpha=a)          fma(a, x, t)            (one rounding)
//   t.addcmul_(x, y, value=v)   fma(v * x, y, t)
//   t.addcdiv_(x, y, value=v)   t + (v * x) / y
//   t.mul_(s), t / s, sqrt      each rounded on its own
// The optimizers spell out std::fma where PyTorch fuses. Where PyTorch adds a separately rounded
// product (buf.mul_(m).addcdiv_(...)), g++ would otherwise contract the two into an fma of its
// own choosing (-ffp-contract=fast is its default for C++), so the sum goes through unfused_add.
#include <cmath>

namespace aekit::detail {

// a + b with a and b each already rounded: an explicit fma by 1 is one exact rounding of the sum,
// and the compiler does not fuse a product into an operand of an fma it was given.
inline float unfused_add(float a, float b) { return std::fma(1.0f, a, b); }

}  // namespace aekit::detail
