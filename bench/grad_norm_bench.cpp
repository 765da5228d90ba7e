// The global gradient norm the trainer computes before every update (train/clip.h: the
// non-finite guard and --clip-norm), on Mult-VAE's gradients for movielens-small's 9,066 items
// (items-600-400 | 200-600-items, 11.2 million values in 8 tensors), at 1 and 2 threads.
//
//   grad_norm_bench [--benchmark_filter=...]
//
// It was 19% of mult-vae's training time while the squares were summed in one serial chain of
// double adds per block; BENCHMARKS.md has the figures before and after.
#include <aekit/core/threads.h>
#include <aekit/train/clip.h>

#include <benchmark/benchmark.h>

#include <cmath>
#include <span>
#include <vector>

namespace {

void GradNorm(benchmark::State& state) {
  const size_t sizes[] = {9066 * 600, 600, 600 * 400, 400, 200 * 600, 600, 600 * 9066, 9066};
  std::vector<std::vector<float>> storage;
  for (size_t n : sizes) {
    std::vector<float>& v = storage.emplace_back(n);
    for (size_t i = 0; i < n; ++i) v[i] = std::sin(static_cast<float>(i)) * 1e-3f;
  }
  const std::vector<std::span<float>> grads(storage.begin(), storage.end());
  aekit::set_num_threads(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(aekit::global_grad_norm(grads));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 11'200'000 * 4);
}
BENCHMARK(GradNorm)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
