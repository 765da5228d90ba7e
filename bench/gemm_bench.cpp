// GEMM micro-benchmark: aekit::cpu::gemm on the MNIST autoencoder's shapes, plus 1024^3.
//
// A dense layer (in -> out) at batch B computes, with x (B x in), W (out x in), dy (B x out):
//   fwd  y  = x W^T   gemm(false, true,  B,   out, in)
//   dW   dW = dy^T x  gemm(true,  false, out, in,  B)
//   dx   dx = dy W    gemm(false, false, B,   in,  out)
// for the layers 784->128, 128->64, 64->128, 128->784 at B = 256.
//
// Variants, to compare dnnl_sgemm with oneDNN's matmul primitive on the same products:
//   fwd        cpu::gemm only (the GEMM of a dense forward)
//   fwd+act    cpu::gemm then cpu::bias_activation(sigmoid): today's Dense::forward
//   mm_fwd     dnnl::matmul with bias and an eltwise_logistic post-op (same result as fwd+act),
//              primitive created once, memory objects re-pointed with set_data_handle per call
//   mm_dW      dnnl::matmul for dW = dy^T x (dy^T through a transposed memory descriptor, "ba")
//   mm_dx      dnnl::matmul for dx = dy W
//   */percall  the same matmul, but memory descriptors, primitive descriptor and primitive are
//              created on every call (the primitive cache, on by default, saves the JIT)
//
// Run:  OMP_NUM_THREADS=2 build-bench/bench/gemm_bench
// GFLOP/s is 2*m*n*k per call over wall-clock time (UseRealTime: the GEMM is multi-threaded, so
// the main thread's CPU time would overstate the rate). Bias and activation are not counted.
#include <aekit/backend/cpu/elementwise.h>
#include <aekit/backend/cpu/gemm.h>
#include <benchmark/benchmark.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>

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

void set_rate(benchmark::State& state, int64_t m, int64_t n, int64_t k, const std::string& label) {
  const double flops = 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops / 1e9, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(label);
}

// Today's Dense::forward: y (B x out) = sigmoid(x W^T + b).
void run_fwd_act(benchmark::State& state, int64_t batch, int64_t in, int64_t out) {
  std::mt19937 rng(42);
  Buffer x = make_buffer(batch * in, rng), w = make_buffer(out * in, rng);
  Buffer b = make_buffer(out, rng), y = make_buffer(batch * out, rng);
  auto once = [&] {
    aekit::cpu::gemm(false, true, batch, out, in, 1.0f, x.get(), in, w.get(), in, 0.0f, y.get(), out);
    aekit::cpu::bias_activation(aekit::MatrixView{y.get(), batch, out}, b.get(),
                                aekit::Activation::Sigmoid);
  };
  once();
  for (auto _ : state) {
    once();
    benchmark::DoNotOptimize(y.get());
    benchmark::ClobberMemory();
  }
  set_rate(state, batch, out, in, "sgemm + bias_activation(sigmoid)");
}

// ---- oneDNN matmul primitive ----------------------------------------------------------------

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

dnnl::engine& engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}
dnnl::stream& stream() {
  static dnnl::stream s(engine());
  return s;
}

// C (m x n) = A (m x k) B (k x n) [+ bias, then logistic]; A stored row-major m x k ("ab") or,
// when ta, k x m ("ba" on dims {m, k}); B stored k x n ("ab") or, when tb, n x k ("ba").
struct MatmulSpec {
  bool ta, tb;
  int64_t m, n, k;
  bool bias_logistic;
};

dnnl::matmul::primitive_desc make_pd(const MatmulSpec& s) {
  memory::desc a_md({s.m, s.k}, dt::f32, s.ta ? tag::ba : tag::ab);
  memory::desc b_md({s.k, s.n}, dt::f32, s.tb ? tag::ba : tag::ab);
  memory::desc c_md({s.m, s.n}, dt::f32, tag::ab);
  dnnl::primitive_attr attr;
  if (s.bias_logistic) {
    dnnl::post_ops po;
    po.append_eltwise(1.0f, dnnl::algorithm::eltwise_logistic, 0.0f, 0.0f);
    attr.set_post_ops(po);
    memory::desc bias_md({1, s.n}, dt::f32, tag::ab);
    return {dnnl::matmul::desc(a_md, b_md, bias_md, c_md), attr, engine()};
  }
  return {dnnl::matmul::desc(a_md, b_md, c_md), attr, engine()};
}

void run_matmul(benchmark::State& state, MatmulSpec s, bool per_call) {
  std::mt19937 rng(42);
  Buffer a = make_buffer(s.m * s.k, rng), b = make_buffer(s.k * s.n, rng);
  Buffer bias = make_buffer(s.n, rng), c = make_buffer(s.m * s.n, rng);
  auto pd = make_pd(s);
  dnnl::matmul prim(pd);
  memory a_mem(pd.src_desc(), engine(), a.get()), b_mem(pd.weights_desc(), engine(), b.get());
  memory c_mem(pd.dst_desc(), engine(), c.get());
  memory bias_mem = s.bias_logistic ? memory(pd.bias_desc(), engine(), bias.get()) : memory();
  auto exec = [&](dnnl::matmul& p) {
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, a_mem}, {DNNL_ARG_WEIGHTS, b_mem},
                                         {DNNL_ARG_DST, c_mem}};
    if (s.bias_logistic) args.emplace(DNNL_ARG_BIAS, bias_mem);
    p.execute(stream(), args);
    stream().wait();
  };
  exec(prim);  // warm up
  for (auto _ : state) {
    if (per_call) {
      auto pd2 = make_pd(s);
      dnnl::matmul p(pd2);  // the primitive cache hands back the JIT-ed kernel
      a_mem = memory(pd2.src_desc(), engine(), a.get());
      b_mem = memory(pd2.weights_desc(), engine(), b.get());
      c_mem = memory(pd2.dst_desc(), engine(), c.get());
      if (s.bias_logistic) bias_mem = memory(pd2.bias_desc(), engine(), bias.get());
      exec(p);
    } else {
      a_mem.set_data_handle(a.get());
      b_mem.set_data_handle(b.get());
      c_mem.set_data_handle(c.get());
      if (s.bias_logistic) bias_mem.set_data_handle(bias.get());
      exec(prim);
    }
    benchmark::DoNotOptimize(c.get());
    benchmark::ClobberMemory();
  }
  set_rate(state, s.m, s.n, s.k,
           std::string(s.ta ? "T" : "N") + (s.tb ? "T" : "N") + " m=" + std::to_string(s.m) +
               " n=" + std::to_string(s.n) + " k=" + std::to_string(s.k) + " " +
               pd.impl_info_str());
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
    benchmark::RegisterBenchmark(("fwd+act/" + shape).c_str(), [=](benchmark::State& s) {
      run_fwd_act(s, batch, in, out);
    })->UseRealTime();
    for (bool per_call : {false, true}) {
      const std::string suffix = per_call ? "/percall" : "";
      benchmark::RegisterBenchmark(("mm_fwd/" + shape + suffix).c_str(), [=](benchmark::State& s) {
        run_matmul(s, {false, true, batch, out, in, true}, per_call);
      })->UseRealTime();
      benchmark::RegisterBenchmark(("mm_dW/" + shape + suffix).c_str(), [=](benchmark::State& s) {
        run_matmul(s, {true, false, out, in, batch, false}, per_call);
      })->UseRealTime();
      benchmark::RegisterBenchmark(("mm_dx/" + shape + suffix).c_str(), [=](benchmark::State& s) {
        run_matmul(s, {false, false, batch, in, out, false}, per_call);
      })->UseRealTime();
    }
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
  benchmark::RegisterBenchmark("mm_square/1024", [](benchmark::State& s) {
    run_matmul(s, {false, false, 1024, 1024, 1024, false}, false);
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
