#pragma once
// exp written so that the compiler vectorises it inside `#pragma omp simd` loops. glibc's vector
// expf is only declared under -ffast-math, and a scalar expf call per element made the sigmoid
// pass 15% of a training epoch (perf, MNIST autoencoder).
//
// Method (as in Cephes' expf): x = n ln2 + r with |r| <= ln2/2, e^r by a degree-6 polynomial,
// 2^n put into the exponent bits. Relative error below 2 ulp over the clamped range.
#include <bit>
#include <cstdint>

namespace aekit::cpu {

// `take_a ? a : b` as a blend of bit patterns. Written as a conditional, g++ 12 leaves a loop
// scalar ("control flow in loop") whenever an arm holds floating-point arithmetic: under its
// default -ftrapping-math it may not compute that arm for every lane (it could raise an exception
// the conditional would not), so ELU's `z > 0 ? z : alpha * (e^z - 1)` could not be vectorised.
// Both values are computed here anyway, and the blend picks the same bits the conditional would.
inline float select_by_blend(bool take_a, float a, float b) {
  const uint32_t mask = 0u - static_cast<uint32_t>(take_a);
  return std::bit_cast<float>((std::bit_cast<uint32_t>(a) & mask) | (std::bit_cast<uint32_t>(b) & ~mask));
}

// x clamped to [lo, hi] (a NaN stays NaN). From `x > hi ? hi : x` GCC 12 also knew the clamped
// paths' results as constants and split the loop into branches (dom2's jump threading): every
// loop calling vexp stayed scalar, and the sigmoid pass was 7% of an I-AutoRec epoch. The blends
// give the same values as the conditionals for every float (checked over all 2^32 inputs).
inline float clamp_by_blend(float x, float lo, float hi) {
  return select_by_blend(x < lo, lo, select_by_blend(x > hi, hi, x));
}

inline double select_by_blend(bool take_a, double a, double b) {
  const uint64_t mask = uint64_t{0} - static_cast<uint64_t>(take_a);
  return std::bit_cast<double>((std::bit_cast<uint64_t>(a) & mask) | (std::bit_cast<uint64_t>(b) & ~mask));
}

inline double clamp_by_blend(double x, double lo, double hi) {
  return select_by_blend(x < lo, lo, select_by_blend(x > hi, hi, x));
}

inline float vexp(float x) {
  // Beyond these, expf overflows to inf or underflows to 0; clamping keeps the bit trick valid.
  x = clamp_by_blend(x, -87.33654f, 88.37626f);
  // Round to nearest by adding and removing 1.5 * 2^23 (the sum's last bit is the integer
  // part); __builtin_roundevenf would be exact too but keeps GCC 12 from vectorising the loop.
  const float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  // r = x - n ln2 in two steps (ln2 split into a high and a low part) for accuracy.
  float r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float er = p * r * r + r + 1.0f;
  const auto bits = static_cast<uint32_t>(static_cast<int32_t>(n) + 127) << 23;
  return er * std::bit_cast<float>(bits);
}

inline float vsigmoid(float z) { return 1.0f / (1.0f + vexp(-z)); }

// 2^k for an integer-valued double k in [-1022, 1023]: k + 1023 + 2^52 holds k + 1023 in its low
// mantissa bits, and shifting them by 52 makes them the exponent. In doubles and 64-bit integer
// adds and shifts only, which AVX2 has (it has no double -> int64 conversion).
inline double power_of_two(double k) {
  return std::bit_cast<double>(std::bit_cast<uint64_t>(k + 4503599627371519.0) << 52);
}

// e^x in double, vectorisable as vexp is (a `#pragma omp simd` loop of them compiles to AVX2 or
// AVX-512 code, where glibc's exp is a scalar call): within an ulp of the correctly rounded value
// over the whole range (tests/unit/vector_math_test.cpp), though not always glibc's bits. Over
// 709.78 it gives inf and under -745.13 zero, as exp does, with subnormals in between.
//
// Method: x = n ln2 + r with |r| <= ln2/2 (ln2 in a 32-bit high part, so n ln2_hi is exact, and a
// low part: fdlibm's split), e^r by its Taylor series to r^13 (the first term left out is below
// 2^-60 of the sum), and 2^n as two factors 2^(n/2) so that both stay normal numbers at the ends.
inline double vexp_double(double x) {
  x = clamp_by_blend(x, -745.2, 709.8);
  const double n = (x * 1.4426950408889634 + 6755399441055744.0) - 6755399441055744.0;  // round to nearest
  double r = x - n * 6.93147180369123816490e-01;
  r = r - n * 1.90821492927058770002e-10;
  double p = 1.6059043836821613e-10;
  p = p * r + 2.08767569878681e-09;
  p = p * r + 2.505210838544172e-08;
  p = p * r + 2.755731922398589e-07;
  p = p * r + 2.7557319223985893e-06;
  p = p * r + 2.48015873015873e-05;
  p = p * r + 1.984126984126984e-04;
  p = p * r + 1.388888888888889e-03;
  p = p * r + 8.333333333333333e-03;
  p = p * r + 4.1666666666666664e-02;
  p = p * r + 1.6666666666666666e-01;
  p = p * r + 0.5;
  const double er = 1.0 + (r + r * r * p);
  const double half = (n * 0.5 + 6755399441055744.0) - 6755399441055744.0;
  return er * power_of_two(half) * power_of_two(n - half);
}

}  // namespace aekit::cpu
