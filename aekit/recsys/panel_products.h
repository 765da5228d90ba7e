#pragma once
// The sparse first layer's products when a batch stores at least as many entries as the layer has
// inputs (recsys/sparse_network.h), the other order to gathered_products.h's. W is hidden x
// inputs (row-major); row b of the batch is row rows[b] of `input`.
//   forward:  out[b][j] = sum over the stored entries (c, v) of row b, in order, of v * W[j][c]
//   backward: weight_grad[j][c] = sum over b in order and each stored entry (c, v) of row b of
//             v * dz[b][j], from 0: every element is written, 0 at the columns no entry has.
// Hidden units go in panels of kPanel: the panel's rows of W (or of dW) are transposed into a
// small inputs x kPanel buffer, in cache, so that each stored entry reads (or adds into) one
// contiguous run of kPanel values, four vector registers of independent sums. The order this
// replaced transposed the whole weight and the whole gradient through memory on every such step,
// and zeroed the gradient first (transposes 7% and zeroing 5% of an I-AutoRec b64 epoch).
// Every multiply-add is one std::fma in the same order as gathered_products', so the two orders
// give the same bits, and each unit is one thread's: the bits do not depend on the thread count.
#include <aekit/core/csr_matrix.h>
#include <aekit/core/tensor.h>

#include <cstdint>
#include <span>

namespace aekit {

// Whether the panel order beats the gathered one for a batch of `batch_entries` stored entries
// over `inputs` columns. The panels cost a transpose of the weight and of its gradient (inputs x
// hidden each), the gathered order a scalar multiply-add per entry and unit. With a panel in
// cache (up to 8,192 inputs: 1 MB) the panels won from a quarter as many entries as inputs
// (I-AutoRec b64 on movielens-small, 671 inputs, ~640 entries a batch: every batch in panels
// took 5% less of a 10-epoch run than the old split at entries = inputs, perf task-clock); a
// larger panel streams through memory like the whole-weight transposes it replaced, so there
// the split stays where those were measured, at entries = inputs.
inline bool panel_order_pays(int64_t batch_entries, int64_t inputs) {
  constexpr int64_t kCachedInputs = 8192;
  return inputs <= kCachedInputs ? batch_entries * 4 >= inputs : batch_entries >= inputs;
}

void panel_forward(ConstMatrixView weight, const CsrMatrix& input, std::span<const int64_t> rows, MatrixView out,
                   bool parallel);
void panel_backward(ConstMatrixView dz, const CsrMatrix& input, std::span<const int64_t> rows, MatrixView weight_grad,
                    bool parallel);

// The same sums from a weight kept transposed (inputs x hidden, weight_t[c][j] = W[j][c]): each
// stored entry reads (or adds into) a contiguous run of its row, so no panel is transposed in or
// out (SparseNetwork::train_first_weight_transposed). The same multiply-adds in the same order:
// the same bits as panel_forward and panel_backward.
//   forward:  out[b][j] as panel_forward's, each batch row's entries two at a time, each weight
//             row read start to end (panel_products.cpp says why)
//   backward: weight_grad_t[c][j] = sum over b in order and each stored entry (c, v) of row b of
//             v * dz[b][j], from 0, at the batch's inputs c; `first` flags each stored entry of
//             the batch (in order) that is the first of its column, whose multiply-add writes the
//             row instead of adding to it, so the rows need no zeroing first. The other rows are
//             not touched.
void transposed_forward(ConstMatrixView weight_t, const CsrMatrix& input, std::span<const int64_t> rows, MatrixView out,
                        bool parallel);
void transposed_backward(ConstMatrixView dz, const CsrMatrix& input, std::span<const int64_t> rows,
                         std::span<const uint8_t> first, MatrixView weight_grad_t, bool parallel);

}  // namespace aekit
