// A dense layer's forward and backward against the matrix products alone at the same shapes, so
// the cost of everything around the GEMMs (bias, activation, its derivative, the bias gradient,
// the oneDNN primitive cache) is visible as one ratio per shape. The target: the layer
// within 1.5x of its products.
//
//   dense_vs_gemm [--benchmark_filter=...] [--threads N]
//
// For each shape (batch x in -> out, sigmoid), four benchmarks: DenseForward (Dense::forward:
// oneDNN matmul with bias and sigmoid as post-ops), GemmForward (cpu::gemm y = x W^T alone),
// DenseBackward (Dense::backward with dx: derivative and bias gradient in one pass, dW and dx),
// GemmBackward (the dW and dx products alone). After the table, one line per shape with the two
// ratios. Threads: OpenMP's default (all cores) unless --threads is given.
#include <aekit/backend/cpu/gemm.h>
#include <aekit/core/tensor.h>
#include <aekit/core/threads.h>
#include <aekit/layers/dense.h>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

struct Shape3 {
  int64_t batch, in, out;
};
// The seeds' MNIST model's first and second layers, and the deep autoencoder's widest.
const Shape3 kShapes[] = {{32, 784, 128}, {256, 784, 128}, {256, 128, 64}, {1024, 784, 128}, {128, 1000, 500}};

aekit::Tensor random_tensor(aekit::Shape shape, unsigned seed) {
  aekit::Tensor t(shape);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float& v : t.span()) v = dist(rng);
  return t;
}

void label(benchmark::State& state, const Shape3& s, double flops_per_iteration) {  // shown as e.g. 120G/s
  state.SetLabel(std::to_string(s.batch) + "x" + std::to_string(s.in) + "->" + std::to_string(s.out));
  state.counters["FLOP/s"] =
      benchmark::Counter(flops_per_iteration, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

void dense_forward(benchmark::State& state, Shape3 s) {
  aekit::Dense layer(s.in, s.out, aekit::Activation::Sigmoid);
  const aekit::Tensor x = random_tensor({s.batch, s.in}, 1);
  aekit::Tensor y;
  for (auto _ : state) {
    layer.forward(x.view(), y, aekit::Mode::Train);
    benchmark::DoNotOptimize(y.data());
  }
  label(state, s, 2.0 * s.batch * s.in * s.out);
}

void gemm_forward(benchmark::State& state, Shape3 s) {
  const aekit::Tensor x = random_tensor({s.batch, s.in}, 1), w = random_tensor({s.out, s.in}, 2);
  aekit::Tensor y({s.batch, s.out});
  for (auto _ : state) {
    aekit::cpu::gemm(false, true, s.batch, s.out, s.in, 1.0f, x.data(), s.in, w.data(), s.in, 0.0f, y.data(), s.out);
    benchmark::DoNotOptimize(y.data());
  }
  label(state, s, 2.0 * s.batch * s.in * s.out);
}

void dense_backward(benchmark::State& state, Shape3 s) {
  aekit::Dense layer(s.in, s.out, aekit::Activation::Sigmoid);
  const aekit::Tensor x = random_tensor({s.batch, s.in}, 1), dy = random_tensor({s.batch, s.out}, 3);
  aekit::Tensor y, dx;
  layer.forward(x.view(), y, aekit::Mode::Train);
  for (auto _ : state) {
    layer.backward(dy.view(), &dx);
    benchmark::DoNotOptimize(dx.data());
  }
  label(state, s, 4.0 * s.batch * s.in * s.out);
}

void gemm_backward(benchmark::State& state, Shape3 s) {
  const aekit::Tensor x = random_tensor({s.batch, s.in}, 1), w = random_tensor({s.out, s.in}, 2),
                      dz = random_tensor({s.batch, s.out}, 3);
  aekit::Tensor dw({s.out, s.in}), dx({s.batch, s.in});
  for (auto _ : state) {
    aekit::cpu::gemm(true, false, s.out, s.in, s.batch, 1.0f, dz.data(), s.out, x.data(), s.in, 0.0f, dw.data(), s.in);
    aekit::cpu::gemm(false, false, s.batch, s.in, s.out, 1.0f, dz.data(), s.out, w.data(), s.in, 0.0f, dx.data(), s.in);
    benchmark::DoNotOptimize(dx.data());
  }
  label(state, s, 4.0 * s.batch * s.in * s.out);
}

// Prints the table as usual and keeps each run's time per iteration for the ratios.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs)  // keyed by the registered name, without the /real_time suffix
      if (r.run_type == Run::RT_Iteration && !r.error_occurred) seconds_[r.run_name.function_name] = r.GetAdjustedRealTime();
  }
  void print_ratios() const {
    std::printf("\nlayer / GEMMs alone, same shape (target <= 1.5):\n");
    for (const Shape3& s : kShapes) {
      const std::string shape = name(s);
      const double fwd = ratio("DenseForward/" + shape, "GemmForward/" + shape);
      const double bwd = ratio("DenseBackward/" + shape, "GemmBackward/" + shape);
      if (fwd > 0 || bwd > 0) std::printf("  %-16s forward %.2f  backward %.2f\n", shape.c_str(), fwd, bwd);
    }
  }
  static std::string name(const Shape3& s) {
    return std::to_string(s.batch) + "x" + std::to_string(s.in) + "x" + std::to_string(s.out);
  }

 private:
  double ratio(const std::string& a, const std::string& b) const {
    const auto ia = seconds_.find(a), ib = seconds_.find(b);
    return ia == seconds_.end() || ib == seconds_.end() ? -1.0 : ia->second / ib->second;
  }
  std::map<std::string, double> seconds_;
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      aekit::set_num_threads(std::atoi(argv[++i]));
      continue;
    }
    args.push_back(argv[i]);
  }
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  for (const Shape3& s : kShapes) {
    const std::string shape = RatioReporter::name(s);
    benchmark::RegisterBenchmark(("DenseForward/" + shape).c_str(), dense_forward, s)->UseRealTime();
    benchmark::RegisterBenchmark(("GemmForward/" + shape).c_str(), gemm_forward, s)->UseRealTime();
    benchmark::RegisterBenchmark(("DenseBackward/" + shape).c_str(), dense_backward, s)->UseRealTime();
    benchmark::RegisterBenchmark(("GemmBackward/" + shape).c_str(), gemm_backward, s)->UseRealTime();
  }
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_ratios();
  benchmark::Shutdown();
  return 0;
}
