#include <aekit/backend/cpu/elementwise.h>

#include <aekit/backend/cpu/activation_derivative.h>

#include <aekit/backend/cpu/vector_math.h>

#include <aekit/core/error.h>
#include <aekit/core/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace aekit::cpu {

namespace {

// Below this many elements a pass stays on the calling thread. A pass over 2^17 floats takes
// tens of microseconds on one core, about what a parallel region's wake-up and barrier cost with
// passive waiting (futexes, slower still in a VM); the seeds' MNIST model at batch 256 then runs
// its hidden layers' passes serially and only the 784-wide output layer's in parallel (20 -> 17
// regions a batch). Every pass computes each element, and each column sum, in the same order
// whichever thread runs it, so the threshold never changes a result.
constexpr int64_t kParallelMin = int64_t{1} << 17;

// Activations through a scalar libm call (std::tanh, softplus's exp and log1p) cost ~12 ns an
// element, not a fraction of one: their passes pay a region from 2^13 elements. Mult-VAE's
// 64 x 600 tanh was half a millisecond on one thread, every step.
constexpr int64_t kParallelMinScalarCalls = int64_t{1} << 13;

int64_t parallel_min(Activation act) {
  return act == Activation::Tanh || act == Activation::Softplus ? kParallelMinScalarCalls : kParallelMin;
}

template <typename F>
void map_rows(MatrixView y, const float* bias, F f, int64_t min_parallel = kParallelMin) {
  parallel_for_if(y.size() >= min_parallel, y.rows, [=](int64_t r) {
    float* row = y.row(r);
    if (bias) {
#pragma omp simd
      for (int64_t c = 0; c < y.cols; ++c) row[c] = f(row[c] + bias[c]);
    } else {
#pragma omp simd
      for (int64_t c = 0; c < y.cols; ++c) row[c] = f(row[c]);
    }
  });
}

template <typename F>
void backward_rows(ConstMatrixView y, ConstMatrixView dy, MatrixView dz, F derivative) {
  parallel_for_if(y.size() >= kParallelMin, y.rows, [=](int64_t r) {
    const float* yr = y.row(r);
    const float* dyr = dy.row(r);
    float* dzr = dz.row(r);
#pragma omp simd
    for (int64_t c = 0; c < y.cols; ++c) dzr[c] = dyr[c] * derivative(yr[c]);
  });
}

// Column blocks of 16 floats (one cache line): enough blocks to share between threads even for
// a 64-unit layer, and each thread writes whole lines of dz and sums.
constexpr int64_t kColumnBlock = 16;

// For each block of columns, rows in order: dz[r][c] = dy[r][c] * derivative(y[r][c]) and
// sums[c] += dz[r][c]. The per-column order of additions is the one column_sums uses. dz is
// stored as Out: float, or bf16 (rounded as to_bf16 rounds) for the bf16 products.
template <typename Out, typename F>
void backward_columns(ConstMatrixView y, ConstMatrixView dy, Out* dz, float* sums, F derivative) {
  const int64_t blocks = (y.cols + kColumnBlock - 1) / kColumnBlock;
  parallel_for_if(y.size() >= kParallelMin, blocks, [=](int64_t b) {
    const int64_t c0 = b * kColumnBlock, width = std::min(y.cols - c0, kColumnBlock);
    float acc[kColumnBlock] = {};
    for (int64_t r = 0; r < y.rows; ++r) {
      const float* yr = y.row(r) + c0;
      const float* dyr = dy.row(r) + c0;
      Out* dzr = dz + r * y.cols + c0;
#pragma omp simd
      for (int64_t c = 0; c < width; ++c) {
        const float v = dyr[c] * derivative(yr[c]);
        if constexpr (std::is_same_v<Out, bf16>) {
          dzr[c] = round_to_bf16(v);
        } else {
          dzr[c] = v;
        }
        acc[c] += v;
      }
    }
    for (int64_t c = 0; c < width; ++c) sums[c0 + c] = acc[c];
  });
}

}  // namespace

namespace {

// Calls run(f) with the activation as a function of its input.
template <typename Run>
void with_activation(Activation act, Run run) {
  switch (act) {
    case Activation::Identity: run([](float z) { return z; }); break;
    case Activation::Sigmoid: run([](float z) { return vsigmoid(z); }); break;
    case Activation::Tanh: run([](float z) { return std::tanh(z); }); break;
    case Activation::Relu: run([](float z) { return z > 0.0f ? z : 0.0f; }); break;
    // select_by_blend, not `?:`, where an arm computes (vector_math.h: the loop stays scalar).
    case Activation::LeakyRelu: run([](float z) { return select_by_blend(z > 0.0f, z, kLeakySlope * z); }); break;
    case Activation::Elu:
      run([](float z) { return select_by_blend(z > 0.0f, z, kEluAlpha * (vexp(z) - 1.0f)); });
      break;
    case Activation::Selu:
      run([](float z) { return kSeluScale * select_by_blend(z > 0.0f, z, kSeluAlpha * (vexp(z) - 1.0f)); });
      break;
    case Activation::Softplus:
      run([](float z) { return z > kSoftplusThreshold ? z : std::log1p(std::exp(z)); });
      break;
  }
}

}  // namespace

void bias_activation(MatrixView y, const float* bias, Activation act) {
  with_activation(act, [&](auto f) { map_rows(y, bias, f, parallel_min(act)); });
}

void activation_serial(float* y, int64_t n, Activation act) {
  with_activation(act, [&](auto f) {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) y[i] = f(y[i]);
  });
}

void activation_backward(ConstMatrixView y, ConstMatrixView dy, MatrixView dz, Activation act) {
  with_derivative(act, [&](auto derivative) { backward_rows(y, dy, dz, derivative); });
}

void activation_backward_serial(const float* y, const float* dy, float* dz, int64_t n, Activation act) {
  with_derivative(act, [&](auto derivative) {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) dz[i] = dy[i] * derivative(y[i]);
  });
}

void activation_backward_and_column_sums(ConstMatrixView y, ConstMatrixView dy, MatrixView dz,
                                         Activation act, float* sums) {
  AEKIT_ASSERT(dz.cols == y.cols, "activation backward: dz has ", dz.cols, " columns, y ", y.cols);
  with_derivative(act, [&](auto derivative) { backward_columns(y, dy, dz.data, sums, derivative); });
}

void activation_backward_and_column_sums_bf16(ConstMatrixView y, ConstMatrixView dy, bf16* dz, Activation act,
                                              float* sums) {
  with_derivative(act, [&](auto derivative) { backward_columns(y, dy, dz, sums, derivative); });
}

namespace {

constexpr int64_t kSumBlock = 64;

// Columns [c0, c1) of m, at most kSumBlock of them, each summed in row order.
void sum_column_block(ConstMatrixView m, int64_t c0, int64_t c1, float* sums) {
  float acc[kSumBlock] = {};
  for (int64_t r = 0; r < m.rows; ++r) {
    const float* row = m.row(r);
#pragma omp simd
    for (int64_t c = c0; c < c1; ++c) acc[c - c0] += row[c];
  }
  for (int64_t c = c0; c < c1; ++c) sums[c] = acc[c - c0];
}

}  // namespace

void column_sums_serial(ConstMatrixView m, int64_t first, int64_t last, float* sums) {
  for (int64_t c0 = first; c0 < last; c0 += kSumBlock) sum_column_block(m, c0, std::min(last, c0 + kSumBlock), sums);
}

void column_sums(ConstMatrixView m, float* sums) {
  // Parallel over columns, sequential over rows: a fixed summation order for any thread count.
  const int64_t blocks = (m.cols + kSumBlock - 1) / kSumBlock;
  parallel_for_if(m.size() >= kParallelMin, blocks, [=](int64_t b) {
    const int64_t c0 = b * kSumBlock;
    sum_column_block(m, c0, std::min(m.cols, c0 + kSumBlock), sums);
  });
}

}  // namespace aekit::cpu
