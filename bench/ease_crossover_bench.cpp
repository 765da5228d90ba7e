// Where EASE's factored solve (recsys/ease_woodbury.h, a users^3 inversion) overtakes the dense
// one (recsys/ease.h, items^3), on movielens-small-shaped data: 671 users and about 90,000
// interactions (its training split), spread over a varying number of items with a popularity skew
// (item k drawn with weight 1 / (k + 10)). Each benchmark is one solve (lambda 200) plus the
// scores of every user, as validation runs them; ease_map.h's rule (factored with fewer users than
// items) follows from where the two lines cross.
//
//   ease_crossover_bench [--benchmark_repetitions=3]
//
// BENCHMARKS.md ("EASE through the users") has the figures.
#include <aekit/core/rng.h>
#include <aekit/recsys/ease.h>
#include <aekit/recsys/ease_woodbury.h>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

using namespace aekit;

constexpr int64_t kUsers = 671, kInteractions = 90000;

CsrMatrix movielens_shaped(int64_t items) {
  Rng rng(1);
  std::vector<double> cumulative(static_cast<size_t>(items));
  double total = 0;
  for (int64_t k = 0; k < items; ++k) cumulative[static_cast<size_t>(k)] = total += 1.0 / static_cast<double>(k + 10);
  std::vector<uint8_t> taken(static_cast<size_t>(kUsers * items), 0);
  std::vector<CsrEntry> entries;
  while (static_cast<int64_t>(entries.size()) < std::min(kInteractions, kUsers * items / 2)) {
    const auto u = static_cast<int64_t>(rng.uniform(0.0f, 1.0f) * kUsers) % kUsers;
    const double draw = rng.uniform(0.0f, 1.0f) * total;
    const auto i = std::min<int64_t>(std::lower_bound(cumulative.begin(), cumulative.end(), draw) - cumulative.begin(), items - 1);
    uint8_t& t = taken[static_cast<size_t>(u * items + i)];
    if (t) continue;
    t = 1;
    entries.push_back({u, i, 1.0f});
  }
  return CsrMatrix::from_entries(kUsers, items, std::move(entries));
}

std::vector<int64_t> every_user() {
  std::vector<int64_t> rows(static_cast<size_t>(kUsers));
  for (int64_t u = 0; u < kUsers; ++u) rows[static_cast<size_t>(u)] = u;
  return rows;
}

void BM_EaseDense(benchmark::State& state) {
  const CsrMatrix x = movielens_shaped(state.range(0));
  const std::vector<int64_t> rows = every_user();
  for (auto _ : state) {
    const Tensor b = ease_solve(x, 200.0);
    benchmark::DoNotOptimize(ease_scores(b, x, rows).data());
  }
}

void BM_EaseFactored(benchmark::State& state) {
  const CsrMatrix x = movielens_shaped(state.range(0));
  const std::vector<int64_t> rows = every_user();
  for (auto _ : state) {
    const auto f = ease_solve_factored(x, 200.0);
    benchmark::DoNotOptimize(f->scores(x, rows).data());
  }
}

}  // namespace

BENCHMARK(BM_EaseDense)->Arg(400)->Arg(671)->Arg(1000)->Arg(1500)->Arg(2500)->Arg(4000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EaseFactored)->Arg(400)->Arg(671)->Arg(1000)->Arg(1500)->Arg(2500)->Arg(4000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
