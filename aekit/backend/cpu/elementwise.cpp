#include <aekit/backend/cpu/elementwise.h>

#include <aekit/backend/cpu/vector_math.h>

#include <algorithm>
#include <cmath>

namespace aekit::cpu {

namespace {

// Below this many elements a parallel region costs more than it saves.
constexpr int64_t kParallelMin = 1 << 14;

template <typename F>
void map_rows(MatrixView y, const float* bias, F f) {
#pragma omp parallel for schedule(static) if (y.size() >= kParallelMin)
  for (int64_t r = 0; r < y.rows; ++r) {
    float* row = y.row(r);
    if (bias) {
#pragma omp simd
      for (int64_t c = 0; c < y.cols; ++c) row[c] = f(row[c] + bias[c]);
    } else {
#pragma omp simd
      for (int64_t c = 0; c < y.cols; ++c) row[c] = f(row[c]);
    }
  }
}

template <typename F>
void backward_rows(ConstMatrixView y, ConstMatrixView dy, MatrixView dz, F derivative) {
#pragma omp parallel for schedule(static) if (y.size() >= kParallelMin)
  for (int64_t r = 0; r < y.rows; ++r) {
    const float* yr = y.row(r);
    const float* dyr = dy.row(r);
    float* dzr = dz.row(r);
#pragma omp simd
    for (int64_t c = 0; c < y.cols; ++c) dzr[c] = dyr[c] * derivative(yr[c]);
  }
}

}  // namespace

void bias_activation(MatrixView y, const float* bias, Activation act) {
  switch (act) {
    case Activation::Identity: map_rows(y, bias, [](float z) { return z; }); break;
    case Activation::Sigmoid: map_rows(y, bias, [](float z) { return vsigmoid(z); }); break;
    case Activation::Tanh: map_rows(y, bias, [](float z) { return std::tanh(z); }); break;
    case Activation::Relu: map_rows(y, bias, [](float z) { return z > 0.0f ? z : 0.0f; }); break;
    case Activation::LeakyRelu:
      map_rows(y, bias, [](float z) { return z > 0.0f ? z : kLeakySlope * z; });
      break;
    case Activation::Elu:
      map_rows(y, bias, [](float z) { return z > 0.0f ? z : kEluAlpha * (vexp(z) - 1.0f); });
      break;
    case Activation::Selu:
      map_rows(y, bias, [](float z) {
        return kSeluScale * (z > 0.0f ? z : kSeluAlpha * (vexp(z) - 1.0f));
      });
      break;
    case Activation::Softplus:
      map_rows(y, bias, [](float z) {
        return z > kSoftplusThreshold ? z : std::log1p(std::exp(z));
      });
      break;
  }
}

void activation_backward(ConstMatrixView y, ConstMatrixView dy, MatrixView dz, Activation act) {
  switch (act) {
    case Activation::Identity: backward_rows(y, dy, dz, [](float) { return 1.0f; }); break;
    case Activation::Sigmoid:
      backward_rows(y, dy, dz, [](float s) { return s * (1.0f - s); });
      break;
    case Activation::Tanh: backward_rows(y, dy, dz, [](float t) { return 1.0f - t * t; }); break;
    case Activation::Relu:
      backward_rows(y, dy, dz, [](float v) { return v > 0.0f ? 1.0f : 0.0f; });
      break;
    case Activation::LeakyRelu:
      backward_rows(y, dy, dz, [](float v) { return v > 0.0f ? 1.0f : kLeakySlope; });
      break;
    case Activation::Elu:
      // y = alpha (e^z - 1) for z <= 0, so dy/dz = alpha e^z = y + alpha.
      backward_rows(y, dy, dz, [](float v) { return v > 0.0f ? 1.0f : v + kEluAlpha; });
      break;
    case Activation::Selu:
      // y = scale alpha (e^z - 1) for z <= 0, so dy/dz = y + scale alpha.
      backward_rows(y, dy, dz,
                    [](float v) { return v > 0.0f ? kSeluScale : v + kSeluScale * kSeluAlpha; });
      break;
    case Activation::Softplus:
      // dy/dz = sigmoid(z) = 1 - e^{-y}; in the linear regime (y > threshold) it is 1.
      backward_rows(y, dy, dz, [](float v) {
        return v > kSoftplusThreshold ? 1.0f : -std::expm1(-v);
      });
      break;
  }
}

void column_sums(ConstMatrixView m, float* sums) {
  // Parallel over columns, sequential over rows: a fixed summation order for any thread count.
  constexpr int64_t kBlock = 64;
  int64_t blocks = (m.cols + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static) if (m.size() >= kParallelMin)
  for (int64_t b = 0; b < blocks; ++b) {
    int64_t c0 = b * kBlock;
    int64_t c1 = std::min(m.cols, c0 + kBlock);
    float acc[kBlock] = {};
    for (int64_t r = 0; r < m.rows; ++r) {
      const float* row = m.row(r);
#pragma omp simd
      for (int64_t c = c0; c < c1; ++c) acc[c - c0] += row[c];
    }
    for (int64_t c = c0; c < c1; ++c) sums[c] = acc[c - c0];
  }
}

}  // namespace aekit::cpu
