#pragma once
// A dense layer's three products as plain loops on the calling thread, for layers so small that
// oneDNN's call costs more than the arithmetic: each of its calls allocates and opens a parallel
// region, and the seeds' recommender (items-20-10-20-items, one user a step) spent 13% of its run
// in the 20 -> 10 and 10 -> 20 layers' batch-1 products, a few hundred multiply-adds a step
// (perf). Each sum runs in ascending order from 0, so the bits depend on the shapes alone; they
// differ from oneDNN's at rounding level. The sparse recommender's middle layers use them
// (Dense::set_plain_small_products); the dense path keeps oneDNN's bits.
#include <aekit/core/tensor.h>

#include <cstdint>

namespace aekit::cpu {

// Products of at most this many multiply-adds per batch row (out x in) qualify.
inline constexpr int64_t kTinyProductMacs = 1024;

// y (n x out) = x (n x in) W^T, W out x in row-major.
void tiny_forward(ConstMatrixView x, const float* w, MatrixView y);
// dw (out x in) = dz^T (out x n) x (n x in): each element summed over the rows in order.
void tiny_weight_grad(ConstMatrixView dz, ConstMatrixView x, float* dw);
// dx (n x in) = dz (n x out) W: each element summed over the outputs in order.
void tiny_input_grad(ConstMatrixView dz, const float* w, MatrixView dx);

}  // namespace aekit::cpu
