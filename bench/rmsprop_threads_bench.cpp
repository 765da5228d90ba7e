// Does a second thread pay for the seeds' RMSprop pass (--preset seed-sae: every step updates every
// weight)? Wall time per step, 32 steps per iteration, for the seeds' parameter shapes on the
// MovieLens-100K-shaped data (1,682 items: 69,412 weights) and on movielens-small (9,066 items:
// 372,156), each step preceded by `gap` microseconds of work on the calling thread alone (the
// step's forward, backward and accumulation: ~10-15 us), during which a second thread waits:
//   - Optimizer/threads:1 and :2: aekit's RmsProp::step as the trainer calls it; at 2 threads
//     for_each_param_slice opens one parallel region a step (train/optimizers/parallel.h);
//   - Persistent: one region around all 32 steps, the two threads meeting at two barriers a step
//     (the calling thread does the gap's work between them), the same element arithmetic.
// Elements are updated independently, so every form leaves the same bits (split by ranges).
// Run with OMP_WAIT_POLICY unset (aekit's passive waiting, as the command) and with
// OMP_WAIT_POLICY=active (libgomp spins at barriers: what issue 5's rule forbids on a shared
// machine, timed only to see what the wake-up costs):
//
//   rmsprop_threads_bench [--benchmark_repetitions=5]
//
// BENCHMARKS.md ("Recommender steps, twelfth session") has the figures.
#include <aekit/core/threads.h>
#include <aekit/train/optimizer.h>

#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include <omp.h>

namespace {

constexpr int kSteps = 32;

// The seeds' items-20-10-20-items parameters, in the model's order.
std::vector<int64_t> seed_shapes(int64_t items) { return {20 * items, 20, 200, 10, 200, 20, 20 * items, items}; }

struct Arrays {
  std::vector<std::vector<float>> w, g, sq;
  explicit Arrays(int64_t items) {
    for (const int64_t n : seed_shapes(items)) {
      w.emplace_back(static_cast<size_t>(n));
      g.emplace_back(static_cast<size_t>(n));
      sq.emplace_back(static_cast<size_t>(n), 1e-4f);
      for (int64_t i = 0; i < n; ++i) {
        w.back()[static_cast<size_t>(i)] = 0.01f * static_cast<float>(i % 97) - 0.3f;
        g.back()[static_cast<size_t>(i)] = 0.001f * static_cast<float>(i % 31) - 0.01f;
      }
    }
  }
  int64_t total() const {
    return std::accumulate(w.begin(), w.end(), int64_t{0}, [](int64_t s, const auto& v) { return s + static_cast<int64_t>(v.size()); });
  }
};

// Busy work on the calling thread for `us` microseconds (the step's own work, not a wait).
void work_for(double us) {
  if (us <= 0) return;
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double, std::micro>(us);
  while (std::chrono::steady_clock::now() < until) {
  }
}

void Optimizer(benchmark::State& state) {
  const int64_t items = state.range(0);
  const double gap = static_cast<double>(state.range(1));
  const int threads = static_cast<int>(state.range(2));
  Arrays a(items);
  std::vector<aekit::ParamRef> refs;
  for (size_t k = 0; k < a.w.size(); ++k) refs.push_back({a.w[k].data(), a.g[k].data(), static_cast<int64_t>(a.w[k].size())});
  aekit::OptimizerConfig config = aekit::OptimizerConfig::defaults_for("rmsprop");
  config.lr = 0.01f;
  config.weight_decay = 0.5f;
  auto opt = aekit::make_optimizer(config, refs);
  aekit::set_num_threads(threads);
  for (auto _ : state)
    for (int s = 0; s < kSteps; ++s) {
      work_for(gap);
      benchmark::DoNotOptimize(opt->step(1.0f));
    }
  aekit::set_num_threads(1);
  state.counters["per_step"] = benchmark::Counter(static_cast<double>(kSteps),
                                                  benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// rmsprop.cpp's element update with weight decay (no centring, no momentum) over [begin, end).
void pass(float* __restrict w, const float* __restrict g, float* __restrict sq, int64_t begin, int64_t end) {
  constexpr float kNegLr = -0.01f, kWd = 0.5f, kAlpha = 0.99f, kBlend = 0.01f, kEps = 1e-8f;
#pragma omp simd
  for (int64_t i = begin; i < end; ++i) {
    const float d = std::fma(kWd, w[i], g[i]);
    const float s = std::fma(kBlend * d, d, sq[i] * kAlpha);
    sq[i] = s;
    w[i] = w[i] + kNegLr * d / (std::sqrt(s) + kEps);
  }
}

// Thread t's share of the concatenated parameters, as for_each_param_slice cuts them.
void share(Arrays& a, int64_t total, int t, int threads) {
  const int64_t per = (total / threads + 15) / 16 * 16;
  const int64_t lo = std::min(total, t * per), hi = t + 1 == threads ? total : std::min(total, (t + 1) * per);
  int64_t offset = 0;
  for (size_t k = 0; k < a.w.size(); ++k) {
    const auto n = static_cast<int64_t>(a.w[k].size());
    const int64_t b = std::max(lo, offset), e = std::min(hi, offset + n);
    if (b < e) pass(a.w[k].data(), a.g[k].data(), a.sq[k].data(), b - offset, e - offset);
    offset += n;
  }
}

void Persistent(benchmark::State& state) {
  const int64_t items = state.range(0);
  const double gap = static_cast<double>(state.range(1));
  Arrays a(items);
  const int64_t total = a.total();
  for (auto _ : state) {
#pragma omp parallel num_threads(2)
    {
      const int t = omp_get_thread_num(), threads = omp_get_num_threads();
      for (int s = 0; s < kSteps; ++s) {
#pragma omp master
        work_for(gap);
#pragma omp barrier
        share(a, total, t, threads);
#pragma omp barrier
      }
    }
  }
  state.counters["per_step"] = benchmark::Counter(static_cast<double>(kSteps),
                                                  benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void Args(benchmark::internal::Benchmark* b, bool with_threads) {
  for (const int64_t items : {1682, 9066})
    for (const int64_t gap : {0, 15})
      if (with_threads) {
        for (const int64_t threads : {1, 2}) b->Args({items, gap, threads});
      } else {
        b->Args({items, gap});
      }
  b->UseRealTime()->Unit(benchmark::kMicrosecond);
}

BENCHMARK(Optimizer)->ArgNames({"items", "gap_us", "threads"})->Apply([](auto* b) { Args(b, true); });
BENCHMARK(Persistent)->ArgNames({"items", "gap_us"})->Apply([](auto* b) { Args(b, false); });

}  // namespace

BENCHMARK_MAIN();
