#pragma once
// Fused element-wise kernels on row-major batches. Each is one pass over memory, parallel over
// rows with a static schedule, so results do not depend on timing (only on the thread count).
#include <aekit/backend/cpu/bf16.h>
#include <aekit/core/activation.h>
#include <aekit/core/tensor.h>

namespace aekit::cpu {

// y[r][c] = act(y[r][c] + bias[c]) in place; bias may be null.
void bias_activation(MatrixView y, const float* bias, Activation act);

// y[i] = act(y[i]) for n values on the calling thread alone: for a kernel that applies the
// activation inside its own parallel region, while its output is in cache (a parallel region
// nested in another costs more than the pass).
void activation_serial(float* y, int64_t n, Activation act);

// dz = dy * act'(.) where the derivative is computed from the activation's output y.
void activation_backward(ConstMatrixView y, ConstMatrixView dy, MatrixView dz, Activation act);

// The same for n values on the calling thread alone (for a kernel's own parallel region, like
// activation_serial); dz may be dy (in place).
void activation_backward_serial(const float* y, const float* dy, float* dz, int64_t n, Activation act);

// sums[c] = sum over rows of m[r][c] (bias gradients), summed in a fixed order.
void column_sums(ConstMatrixView m, float* sums);

// sums[c] for the columns [first, last) of m only, on the calling thread: the bits column_sums
// gives for them (each column summed in row order).
void column_sums_serial(ConstMatrixView m, int64_t first, int64_t last, float* sums);

// activation_backward and column_sums(dz, sums) in one pass and one parallel region: each thread
// takes whole column blocks, so every column is still summed in row order and the bits equal
// those of the two separate calls.
void activation_backward_and_column_sums(ConstMatrixView y, ConstMatrixView dy, MatrixView dz,
                                         Activation act, float* sums);

// The same with dz written rounded to bf16 (y.rows x y.cols, row-major), for --precision bf16,
// whose products read only that: the sums and the bf16 values are those of the fp32 call
// followed by to_bf16, without writing and reading dz in fp32 in between.
void activation_backward_and_column_sums_bf16(ConstMatrixView y, ConstMatrixView dy, bf16* dz, Activation act,
                                              float* sums);

}  // namespace aekit::cpu
