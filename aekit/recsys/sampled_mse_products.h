#pragma once
// The sampled last layer of a recommender trained on a masked squared error (masked_mse.h), its
// forward and the backward's dL/dh in one pass over the sampled weight rows. Its forward reads
// weight row c for each output it samples at column c (a dot product with the batch row's input
// h), and dL/dh adds the same rows scaled by each output's gradient; the two passes read every
// sampled row from L3 twice (the optimizer's pass between steps evicts the weight). For an
// identity output and this loss, an output's gradient is scale x (y - target), known as soon as
// its dot product is (the scale depends only on the batch's counts), so the rows are added into
// dL/dh while they are still in L1.
//
// Bits: each output is the dot product SparseNetwork::forward computes (lane_dots, row_fmas.h),
// plus the bias; each gradient is masked_mse's expression; each row of dL/dh is the chain of
// std::fma over its row's samples in order, the first onto +0, as SparseNetwork::backward adds
// them. So the results equal the two passes', bit for bit (tests/recsys/sampled_mse_products_test.cpp).
#include <aekit/core/tensor.h>

#include <cstdint>
#include <span>

namespace aekit {

struct SampledOutputs {
  std::span<const int64_t> row_start;  // batch rows + 1 offsets: row b's samples are [row_start[b], row_start[b + 1])
  std::span<const int32_t> col;        // each sample's output column, ascending within a row
  std::span<const float> target;       // each sample's target
};

// For each sample k of row b at column c: out[k] = bias[c] + h[b] . weight[c],
// dz[k] = scale * (out[k] - target[k]); and dh[b] = sum over row b's samples, in order, of
// dz[k] x weight[c] (zero for a row without samples). h and dh are rows x width, weight outputs x
// width. Rows are split between threads when `parallel` (each row one thread's: the same bits for
// any thread count).
void sampled_mse_products(ConstMatrixView h, ConstMatrixView weight, const float* bias, const SampledOutputs& samples,
                          float scale, float* out, float* dz, MatrixView dh, bool parallel);

}  // namespace aekit
