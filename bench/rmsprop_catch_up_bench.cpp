// Would a lazy RMSprop make the seeds' recommender faster? Between two steps that rate item j, the
// gradient sums of its 41 weights (first layer's column j, last layer's row j and bias j) stay
// constant under --preset seed-sae, so their RMSprop recurrence could be caught up later, the k
// missed steps iterated in registers with no memory traffic, bit for bit the eager result. It only
// pays if the eager pass is bound by memory. This times, per element-step, one thread:
//   - Eager: the step as the trainer runs it, a pass over arrays of 372,156 weights (weights,
//     square averages and sums read, weights and averages written);
//   - CatchUp: the same element-steps iterated in registers, 64 weights at a time, k = 64 steps;
//   - EagerNoSqrt / EagerNoDivide: the eager pass with the square root or the division taken out
//     (not RMSprop: what those two instructions cost).
// The arithmetic is rmsprop.cpp's with weight decay (d = fma(wd, w, g); sq = fma(blend d, d, sq a);
// w = w + (-lr d) / (sqrt(sq) + eps)), on values shaped like the seeds' after a few epochs.
//
//   rmsprop_catch_up_bench [--benchmark_repetitions=5]
//
// BENCHMARKS.md ("seed-sae: a lazy RMSprop does not pay here") has the figures: both forms cost
// the same ~0.4 ns per element-step, set by the square root and the division, not by memory.
#include "seed_sae_rmsprop_state.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace {

using namespace seed_sae_bench;

template <bool Sqrt, bool Divide>
inline float step(float& w, float& sq, float g) {
  const float d = std::fma(kWd, w, g);
  sq = std::fma(kBlend * d, d, sq * kAlpha);
  const float avg = (Sqrt ? std::sqrt(sq) : sq) + kEps;
  w = w + (Divide ? kNegLr * d / avg : kNegLr * d * avg);
  return w;
}

template <bool Sqrt, bool Divide>
void Eager(benchmark::State& state) {
  State s;
  for (auto _ : state) {
    float* __restrict w = s.w.data();
    float* __restrict sq = s.sq.data();
    const float* __restrict g = s.g.data();
#pragma omp simd
    for (int64_t i = 0; i < kWeights; ++i) step<Sqrt, Divide>(w[i], sq[i], g[i]);
    benchmark::ClobberMemory();
  }
  state.counters["ns_per_element_step"] =
      benchmark::Counter(static_cast<double>(kWeights) * static_cast<double>(state.iterations()) * 1e-9,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void CatchUp(benchmark::State& state) {
  constexpr int64_t kGroup = 64, kSteps = 64;
  State s;
  for (auto _ : state) {
    for (int64_t i0 = 0; i0 < kWeights; i0 += kGroup) {
      float w[kGroup], sq[kGroup], g[kGroup];
      for (int64_t l = 0; l < kGroup; ++l) {
        w[l] = s.w[static_cast<size_t>(i0 + l)];
        sq[l] = s.sq[static_cast<size_t>(i0 + l)];
        g[l] = s.g[static_cast<size_t>(i0 + l)];
      }
      for (int64_t k = 0; k < kSteps; ++k) {
#pragma omp simd
        for (int64_t l = 0; l < kGroup; ++l) step<true, true>(w[l], sq[l], g[l]);
      }
      for (int64_t l = 0; l < kGroup; ++l) {
        s.w[static_cast<size_t>(i0 + l)] = w[l];
        s.sq[static_cast<size_t>(i0 + l)] = sq[l];
      }
    }
    benchmark::ClobberMemory();
  }
  state.counters["ns_per_element_step"] =
      benchmark::Counter(static_cast<double>(kWeights * kSteps) * static_cast<double>(state.iterations()) * 1e-9,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

BENCHMARK(Eager<true, true>)->Name("Eager")->Unit(benchmark::kMicrosecond)->MeasureProcessCPUTime();
BENCHMARK(CatchUp)->Unit(benchmark::kMicrosecond)->MeasureProcessCPUTime();
BENCHMARK(Eager<false, true>)->Name("EagerNoSqrt")->Unit(benchmark::kMicrosecond)->MeasureProcessCPUTime();
BENCHMARK(Eager<true, false>)->Name("EagerNoDivide")->Unit(benchmark::kMicrosecond)->MeasureProcessCPUTime();

}  // namespace

BENCHMARK_MAIN();
