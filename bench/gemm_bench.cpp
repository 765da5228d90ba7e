// GEMM micro-benchmark: aekit::cpu::gemm on the MNIST autoencoder's shapes, plus 1024^3.
//
// A dense layer (in -> out) at batch B computes, with x (B x in), W (out x in), dy (B x out):
//   fwd  y  = x W^T   gemm(false, true,  B,   out, in)
//   dW   dW = dy^T x  gemm(true,  false, out, in,  B)
//   dx   dx = dy W    gemm(false, false, B,   in,  out)
// for the layers 784->128, 128->64, 64->128, 128->784 at B = 256.
//
// Run:  OMP_NUM_THREADS=2 build-bench/bench/gemm_bench
// GFLOP/s is 2*m*n*k per call over wall-clock time (UseRealTime: the GEMM is multi-threaded, so
// the main thread's CPU time would overstate the rate).
#include <aekit/backend/cpu/gemm.h>
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>

namespace {

struct FreeDeleter {
  void operator()(float* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<float[], FreeDeleter>;

Buffer make_buffer(int64_t count, std::mt19937& rng) {
  const std::size_t bytes = ((static_cast<std::size_t>(count) * sizeof(float) + 63) / 64) * 64;
  Buffer buf(static_cast<float*>(std::aligned_alloc(64, bytes)));
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (int64_t i = 0; i < count; ++i) buf[i] = dist(rng);
  return buf;
}

// C (m x n) = op(A) op(B); A is stored m x k (or k x m when transposed), B k x n (or n x k).
void run_gemm(benchmark::State& state, bool ta, bool tb, int64_t m, int64_t n, int64_t k) {
  std::mt19937 rng(42);
  Buffer a = make_buffer(m * k, rng);
  Buffer b = make_buffer(k * n, rng);
  Buffer c = make_buffer(m * n, rng);
  const int64_t lda = ta ? m : k;
  const int64_t ldb = tb ? k : n;
  aekit::cpu::gemm(ta, tb, m, n, k, 1.0f, a.get(), lda, b.get(), ldb, 0.0f, c.get(), n);  // warm up
  for (auto _ : state) {
    aekit::cpu::gemm(ta, tb, m, n, k, 1.0f, a.get(), lda, b.get(), ldb, 0.0f, c.get(), n);
    benchmark::DoNotOptimize(c.get());
    benchmark::ClobberMemory();
  }
  const double flops = 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops / 1e9, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(std::string(ta ? "T" : "N") + (tb ? "T" : "N") + " m=" + std::to_string(m) +
                 " n=" + std::to_string(n) + " k=" + std::to_string(k));
}

void register_all() {
  constexpr int64_t batch = 256;
  const int64_t layers[][2] = {{784, 128}, {128, 64}, {64, 128}, {128, 784}};
  for (const auto& l : layers) {
    const int64_t in = l[0], out = l[1];
    const std::string shape = std::to_string(in) + "->" + std::to_string(out);
    benchmark::RegisterBenchmark(("fwd/" + shape).c_str(), [=](benchmark::State& s) {
      run_gemm(s, false, true, batch, out, in);
    })->UseRealTime();
    benchmark::RegisterBenchmark(("dW/" + shape).c_str(), [=](benchmark::State& s) {
      run_gemm(s, true, false, out, in, batch);
    })->UseRealTime();
    benchmark::RegisterBenchmark(("dx/" + shape).c_str(), [=](benchmark::State& s) {
      run_gemm(s, false, false, batch, in, out);
    })->UseRealTime();
  }
  benchmark::RegisterBenchmark("square/1024", [](benchmark::State& s) {
    run_gemm(s, false, false, 1024, 1024, 1024);
  })->UseRealTime();
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("gemm", aekit::cpu::gemm_description());
  const char* omp = std::getenv("OMP_NUM_THREADS");
  benchmark::AddCustomContext("OMP_NUM_THREADS", omp ? omp : "(unset)");
  register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
