#pragma once
// The sparse first layer's products when a batch stores fewer entries than the layer has inputs
// (recsys/sparse_network.h): each hidden unit reads its weights at the batch's columns instead of
// the weight being transposed. W is hidden x inputs (row-major); row b of the batch is row
// rows[b] of `input`.
//   forward:  out[b][j] = sum over the stored entries (c, v) of row b, in order, of v * W[j][c]
//   backward: dW[j][c] += v * dz[b][j] for b in order and each stored entry (c, v) of row b
// Every multiply-add is one fused std::fma, as the transposed order's vector loops compute them,
// so the two orders give the same bits. (The loop this replaced left the choice to the compiler,
// which rounded the products of each 8 entries separately and fused the remainder's: the bits
// changed at float-noise level, 3 seed-sae epochs per-user metric and AutoRec RMSE as before.)
// Hidden units go in blocks of 8 that run side by side: each unit's sum is the same chain of
// multiply-adds in the same order as one unit at a time, but eight independent chains hide the
// add's latency, where one chain per unit waited on it at every entry (the I-AutoRec batch-64
// forward and backward were a quarter of its epoch). Blocks are split between threads when
// `parallel`; each unit is one thread's, so the bits do not depend on the thread count.
#include <aekit/core/csr_matrix.h>
#include <aekit/core/tensor.h>

#include <cstdint>
#include <span>

namespace aekit {

void gathered_forward(ConstMatrixView weight, const CsrMatrix& input, std::span<const int64_t> rows, MatrixView out,
                      bool parallel);
void gathered_backward(ConstMatrixView dz, const CsrMatrix& input, std::span<const int64_t> rows, MatrixView weight_grad,
                       bool parallel);

}  // namespace aekit
