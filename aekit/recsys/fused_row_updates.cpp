#include <aekit/recsys/fused_row_updates.h>

#include <aekit/backend/cpu/gemm.h>
#include <aekit/backend/cpu/small_product.h>
#include <aekit/core/parallel_for.h>

#include <algorithm>

namespace aekit {

void ColumnGroups::build(std::span<const int32_t> item_cols, int64_t columns) {
  start_.assign(static_cast<size_t>(columns) + 1, 0);
  for (const int32_t c : item_cols) ++start_[static_cast<size_t>(c) + 1];
  for (size_t c = 0; c < static_cast<size_t>(columns); ++c) start_[c + 1] += start_[c];
  next_.assign(start_.begin(), start_.end() - 1);
  order_.resize(item_cols.size());
  for (size_t i = 0; i < item_cols.size(); ++i)
    order_[static_cast<size_t>(next_[static_cast<size_t>(item_cols[i])]++)] = static_cast<int32_t>(i);
}

void update_weight_rows(RowUpdates& rows, const ColumnGroups& groups, std::span<const int32_t> item_row,
                        std::span<const float> item_value, ConstMatrixView d, bool parallel) {
  const int64_t columns = groups.columns(), width = d.cols;
  balanced_parts_if(parallel, rows.balance, columns, 1, [&](int64_t c0, int64_t c1) {
    thread_local std::vector<RowUpdates::Term> terms;
    int64_t zero_from = c0;  // a run of rows without items, updated in one call
    for (int64_t c = c0; c < c1; ++c) {
      const std::span<const int32_t> items = groups.items(c);
      if (items.empty()) continue;
      if (zero_from < c) rows.update(zero_from * width, (c - zero_from) * width, nullptr);
      terms.clear();
      for (const int32_t i : items)
        terms.push_back({item_value[static_cast<size_t>(i)], d.row(item_row[static_cast<size_t>(i)])});
      rows.update_sum(c * width, width, terms);
      zero_from = c + 1;
    }
    if (zero_from < c1) rows.update(zero_from * width, (c1 - zero_from) * width, nullptr);
  });
}

namespace {

// Rows of the gradient a block: 64 x 600 floats (Mult-VAE's last layer) are 150 KB, in L2 with
// the layer's input beside them.
constexpr int64_t kDenseBlockRows = 64;

}  // namespace

void update_dense_weight_rows(RowUpdates& rows, ConstMatrixView dz, ConstMatrixView x, bool parallel) {
  const int64_t out = dz.cols, in = x.cols, n = dz.rows;
  // Parts end on block boundaries, so every block is the same product (rows r .. r + 64 of the
  // gradient) whatever the split: oneDNN's one-thread product of a block does not always give the
  // bits of a taller one (tests/unit/team_products_test.cpp), and the split moves with timing.
  balanced_parts_if(parallel, rows.balance, out, kDenseBlockRows, [&](int64_t r0, int64_t r1) {
    thread_local std::vector<float> block;
    const cpu::OneThreadScope one_thread(true);
    for (int64_t r = r0; r < r1; r += kDenseBlockRows) {
      const int64_t count = std::min(kDenseBlockRows, r1 - r);
      block.resize(static_cast<size_t>(count * in));
      // Rows r .. r + count of dz^T (out x n) x (n x in): dz's columns r .. r + count.
      cpu::gemm(true, false, count, in, n, 1.0f, dz.data + r, out, x.data, in, 0.0f, block.data(), in);
      rows.update(r * in, count * in, block.data());
    }
  });
}

}  // namespace aekit
