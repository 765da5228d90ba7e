// The floor under a recommender step whose optimizer must touch every weight: memory traffic.
// At the sizes of the two side-by-sides it times
//   - STREAM's triad a = b + s * c (3 arrays): the bytes per second a pass over arrays of that
//     size moves on this machine;
//   - one optimizer step as the trainer runs it: RMSprop with weight decay over the seeds'
//     recommender's 372,156 weights (5 arrays moved: weights, gradient sums and square averages
//     read, weights and averages written), AdamW over I-AutoRec's 672,171 (7 arrays);
//   - the guard's gradient norm over the same gradients (1 array read).
//
//   optimizer_step_bench [--benchmark_filter=...] [--benchmark_repetitions=5]
//
// bytes_per_second counts each array once per pass (no write-allocate): steps/s x that over the
// triad's GB/s says how close a step is to a pass bound by memory alone. BENCHMARKS.md turns
// these into the best speed-up over PyTorch that the exact optimizer semantics allow.
#include <aekit/core/threads.h>
#include <aekit/train/clip.h>
#include <aekit/train/optimizer.h>

#include <benchmark/benchmark.h>

#include <cmath>
#include <memory>
#include <span>
#include <vector>

namespace {

constexpr int64_t kSeedSae = 9066 * 20 + 20 + 20 * 10 + 10 + 10 * 20 + 20 + 20 * 9066 + 9066;  // 372,156
constexpr int64_t kAutoRec = 671 * 500 + 500 + 500 * 671 + 671;                                 // 672,171

std::vector<float> filled(int64_t n, float scale) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = scale * std::sin(static_cast<float>(i));
  return v;
}

void Triad(benchmark::State& state) {
  const int64_t n = state.range(0);
  std::vector<float> a(static_cast<size_t>(n)), b = filled(n, 1.0f), c = filled(n, 2.0f);
  aekit::set_num_threads(1);
  for (auto _ : state) {
    float* pa = a.data();
    const float *pb = b.data(), *pc = c.data();
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) pa[i] = pb[i] + 0.5f * pc[i];
    benchmark::DoNotOptimize(a.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * n * 3 * 4);
}
BENCHMARK(Triad)->Arg(kSeedSae)->Arg(kAutoRec)->Unit(benchmark::kMicrosecond);

// One step of `name` over one parameter of n weights (the split into tensors changes nothing).
void Step(benchmark::State& state, const char* name, float weight_decay, int arrays) {
  const int64_t n = state.range(0);
  std::vector<float> value = filled(n, 0.1f), grad = filled(n, 1e-3f);
  aekit::OptimizerConfig config = aekit::OptimizerConfig::defaults_for(name);
  config.weight_decay = weight_decay;
  auto optimizer = aekit::make_optimizer(config, {{value.data(), grad.data(), n}});
  aekit::set_num_threads(1);
  for (auto _ : state) benchmark::DoNotOptimize(optimizer->step());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * n * arrays * 4);
}
BENCHMARK_CAPTURE(Step, rmsprop_wd, "rmsprop", 0.5f, 5)->Arg(kSeedSae)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(Step, adamw, "adamw", 1.0f, 7)->Arg(kAutoRec)->Unit(benchmark::kMicrosecond);

void GradNorm(benchmark::State& state) {
  const int64_t n = state.range(0);
  std::vector<float> grad = filled(n, 1e-3f);
  const std::vector<std::span<float>> grads{std::span<float>(grad)};
  aekit::set_num_threads(1);
  for (auto _ : state) benchmark::DoNotOptimize(aekit::global_grad_norm(grads));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * n * 4);
}
BENCHMARK(GradNorm)->Arg(kSeedSae)->Arg(kAutoRec)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
