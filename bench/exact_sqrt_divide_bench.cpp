// Could the optimizer passes (train/optimizers/rmsprop.cpp, adam.cpp) run faster with the square
// root and the division replaced by Newton sequences on FMA, keeping PyTorch's bits (correctly
// rounded results)? This times RMSprop's element update with weight decay (rmsprop_catch_up_bench's
// arithmetic, over the seeds' 372,160 weights, one thread) with:
//   - Hardware: vsqrtps and vdivps, as the compiler emits them for rmsprop.cpp today;
//   - CheapSqrt: rsqrt estimate, one coupled Newton step (s ~ sqrt x, h ~ 1/(2 sqrt x)) and the
//     residual step s + (x - s*s) h; NOT correctly rounded (ExhaustiveCheapSqrtMisses counts);
//   - ExactSqrt: CheapSqrt plus the one-ulp fix-up with an exact FMA residual (d = x - s*s; one
//     ulp up when d > s*ulp(s), down when d <= -s*ulp_below(s)); correctly rounded for x in
//     [2^-100, 2^100] (ExhaustiveExactSqrtMisses), and it has no fall-back yet for 0, denormals,
//     inf, NaN or the extremes, so it is a lower bound on the cost of a usable exact path;
//   - CheapDivide: rcp estimate, one Newton step, q = a r and Markstein's q + (a - q b) r; not
//     proven correctly rounded (a proof needs r = RN(1/b), one more refinement), so again a lower
//     bound on the cost of an exact division.
//
//   exact_sqrt_divide_bench [--benchmark_repetitions=5]
//
// BENCHMARKS.md ("Optimizer steps: Newton sequences for the square root and the division") has the
// figures: on a Zen 4 with AVX2 every replacement is slower than the hardware instructions.
#include "seed_sae_rmsprop_state.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

namespace {

using namespace seed_sae_bench;

inline __m256 cheap_sqrt(__m256 x) {
  const __m256 half = _mm256_set1_ps(0.5f);
  const __m256 r = _mm256_rsqrt_ps(x);
  __m256 s = _mm256_mul_ps(x, r), h = _mm256_mul_ps(half, r);
  const __m256 e = _mm256_fnmadd_ps(s, h, half);
  s = _mm256_fmadd_ps(s, e, s);
  h = _mm256_fmadd_ps(h, e, h);
  return _mm256_fmadd_ps(_mm256_fnmadd_ps(s, s, x), h, s);
}

// s within one ulp of sqrt(x), x - s*s exact (FMA): the square of the midpoint above s is
// s*s + s*u + u*u/4 (u = ulp(s)), and x - s*s is a multiple of u*u, so x lies above that midpoint
// exactly when x - s*s > s*u; below the midpoint under s (u' = s - prev(s)) when x - s*s <= -s*u'.
inline __m256 exact_sqrt(__m256 x) {
  const __m256 s = cheap_sqrt(x);
  const __m256i one = _mm256_set1_epi32(1);
  const __m256 up = _mm256_castsi256_ps(_mm256_add_epi32(_mm256_castps_si256(s), one));
  const __m256 down = _mm256_castsi256_ps(_mm256_sub_epi32(_mm256_castps_si256(s), one));
  const __m256 d = _mm256_fnmadd_ps(s, s, x);
  const __m256 above = _mm256_mul_ps(s, _mm256_sub_ps(up, s));
  const __m256 below = _mm256_mul_ps(s, _mm256_sub_ps(down, s));  // -s*u'
  __m256 r = _mm256_blendv_ps(s, up, _mm256_cmp_ps(d, above, _CMP_GT_OQ));
  return _mm256_blendv_ps(r, down, _mm256_cmp_ps(d, below, _CMP_LE_OQ));
}

inline __m256 cheap_divide(__m256 a, __m256 b) {
  __m256 r = _mm256_rcp_ps(b);
  r = _mm256_fmadd_ps(r, _mm256_fnmadd_ps(b, r, _mm256_set1_ps(1.f)), r);
  const __m256 q = _mm256_mul_ps(a, r);
  return _mm256_fmadd_ps(_mm256_fnmadd_ps(q, b, a), r, q);
}

enum class Sqrt { Hardware, Cheap, Exact };

template <Sqrt S, bool CheapDiv>
void Step(benchmark::State& state) {
  State st;
  const __m256 wd = _mm256_set1_ps(kWd), blend = _mm256_set1_ps(kBlend), alpha = _mm256_set1_ps(kAlpha);
  const __m256 eps = _mm256_set1_ps(kEps), neg_lr = _mm256_set1_ps(kNegLr);
  for (auto _ : state) {
    float* w = st.w.data();
    float* sq = st.sq.data();
    const float* g = st.g.data();
    for (int64_t i = 0; i < kWeights; i += 8) {
      const __m256 wi = _mm256_loadu_ps(w + i);
      const __m256 d = _mm256_fmadd_ps(wd, wi, _mm256_loadu_ps(g + i));
      const __m256 s = _mm256_fmadd_ps(_mm256_mul_ps(blend, d), d, _mm256_mul_ps(_mm256_loadu_ps(sq + i), alpha));
      _mm256_storeu_ps(sq + i, s);
      const __m256 root = S == Sqrt::Hardware ? _mm256_sqrt_ps(s) : S == Sqrt::Cheap ? cheap_sqrt(s) : exact_sqrt(s);
      const __m256 avg = _mm256_add_ps(root, eps);
      const __m256 num = _mm256_mul_ps(neg_lr, d);
      _mm256_storeu_ps(w + i, _mm256_add_ps(wi, CheapDiv ? cheap_divide(num, avg) : _mm256_div_ps(num, avg)));
    }
    benchmark::ClobberMemory();
  }
  state.counters["s_per_element"] =
      benchmark::Counter(static_cast<double>(kWeights), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(Step<Sqrt::Hardware, false>)->Name("Hardware");
BENCHMARK(Step<Sqrt::Cheap, false>)->Name("CheapSqrt");
BENCHMARK(Step<Sqrt::Exact, false>)->Name("ExactSqrt");
BENCHMARK(Step<Sqrt::Hardware, true>)->Name("CheapDivide");
BENCHMARK(Step<Sqrt::Cheap, true>)->Name("CheapSqrtCheapDivide");

// Every positive float from 2^lo to 2^hi (exponent field bounds): how many results differ from vsqrtps.
template <bool Exact>
void Misses(benchmark::State& state, uint32_t first, uint32_t last) {
  uint64_t misses = 0, total = 0;
  for (auto _ : state) {
    misses = total = 0;
    alignas(32) uint32_t bits[8];
    for (uint32_t b = first; b < last; b += 8) {
      for (uint32_t k = 0; k < 8; ++k) bits[k] = b + k;
      __m256 x;
      std::memcpy(&x, bits, sizeof x);
      const __m256 got = Exact ? exact_sqrt(x) : cheap_sqrt(x);
      const __m256i same = _mm256_cmpeq_epi32(_mm256_castps_si256(got), _mm256_castps_si256(_mm256_sqrt_ps(x)));
      misses += static_cast<uint64_t>(8 - __builtin_popcount(static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(same)))));
      total += 8;
    }
  }
  state.counters["misses"] = static_cast<double>(misses);
  state.counters["inputs"] = static_cast<double>(total);
}
// All positive normals / the exponents the fix-up is exact for (2^-100 .. 2^100).
void ExhaustiveCheapSqrtMisses(benchmark::State& state) { Misses<false>(state, 0x00800000u, 0x7f800000u); }
void ExhaustiveExactSqrtMisses(benchmark::State& state) { Misses<true>(state, (127u - 100u) << 23, (127u + 100u) << 23); }
BENCHMARK(ExhaustiveCheapSqrtMisses)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(ExhaustiveExactSqrtMisses)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
#endif

BENCHMARK_MAIN();
