#pragma once
// A sampled backward's two large weight gradients never stored: the optimizer's update of each
// weight row computes that row's gradient in its own loop (RowUpdates::update_sum,
// train/optimizer.h), and the rows no entry reaches are updated from a zero gradient, with no
// zeros written. The sparse network's weights take it (SparseNetwork::use_row_updates): the
// first layer's, trained transposed (inputs x hidden: row c sums the batch's entries at input c
// times their row of dL/dz), and the last layer's (outputs x width: row c sums the sampled
// outputs of column c times their row of the layer's input). AdamW's update is bound by its
// divisions and square root, not memory (BENCHMARKS.md, twelfth session), so the gradient's loads
// and multiply-adds ride in its shadow, and the backward's stores of 2 x 335,500 gradient values
// (and their zeroing) at I-AutoRec b64 are gone.
//
// Row c of the gradient is, element by element, the chain fma(value_i, d[row_i][j], ...) over
// the items i of column c in item order, the first onto +0: the multiply-adds of
// panel_products' transposed_backward and of the sampled last layer's backward, in their order,
// so the same bits; the optimizer's update of each row is the same arithmetic as its step().
#include <aekit/core/tensor.h>
#include <aekit/train/optimizer.h>

#include <cstdint>
#include <span>
#include <vector>

namespace aekit {

// Items 0 .. n - 1, each in a column, grouped by column, each group in item order (a counting
// sort): a batch's stored entries, or its sampled outputs, by the weight row they reach.
class ColumnGroups {
 public:
  void build(std::span<const int32_t> item_cols, int64_t columns);
  int64_t columns() const { return static_cast<int64_t>(start_.size()) - 1; }
  // The items of column c, in order; empty when it has none.
  std::span<const int32_t> items(int64_t c) const {
    return {order_.data() + start_[static_cast<size_t>(c)],
            static_cast<size_t>(start_[static_cast<size_t>(c) + 1] - start_[static_cast<size_t>(c)])};
  }

 private:
  std::vector<int32_t> start_;  // columns + 1 offsets into order_
  std::vector<int32_t> order_;
  std::vector<int32_t> next_;   // per column, while placing
};

// Applies the claimed step (RowUpdates::claim, called before) to every row of a parameter of
// groups.columns() x d.cols: row c's gradient is sum over the items i of column c, in order, of
// item_value[i] x d.row(item_row[i]); runs of rows without items get a zero gradient. Rows are
// split between threads when `parallel`, at the boundaries rows.balance keeps (each row one
// thread's: the same bits for any thread count and any split).
void update_weight_rows(RowUpdates& rows, const ColumnGroups& groups, std::span<const int32_t> item_row, std::span<const float> item_value, ConstMatrixView d,
                        bool parallel);

// The same for a dense layer's weight (out x in) whose gradient is the product dz^T x (dz: n x
// out, x: n x in), the product Dense::backward writes: each thread computes a
// block of 64 of the gradient's rows at a time (a one-thread product, in cache) and hands it to
// the claimed step, so the gradient is never stored whole. Rows are split between threads when
// `parallel`, at the block boundaries rows.balance keeps. The blocks are the same for any thread
// count and split, so are the bits; they may differ from one whole product's in the last place
// (oneDNN sums some shapes in another order: a 9,066 x 200 x 64 gradient, Mult-DAE's).
void update_dense_weight_rows(RowUpdates& rows, ConstMatrixView dz, ConstMatrixView x, bool parallel);

}  // namespace aekit
