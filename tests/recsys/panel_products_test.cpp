// The panel order of the sparse first layer's products (recsys/panel_products.h) gives the
// gathered order's bits, forward and backward, at every panel width (32, 8 and single units),
// writes the whole weight gradient (zeros where no entry reaches), and the same bits threaded;
// so do the products from a weight kept transposed.
#include <aekit/core/rng.h>
#include <aekit/recsys/gathered_products.h>
#include <aekit/recsys/panel_products.h>
#include <gtest/gtest.h>

#include "random_ratings.h"
#include "random_tensor.h"

#include <algorithm>
#include <vector>

#include <omp.h>

namespace aekit::test {
namespace {

// 45 hidden units: one panel of 32, one of 8 and 5 single units (the transposed order: one of 4
// and one single unit).
constexpr int64_t kHidden = 45, kInputs = 37;

struct Batch {
  CsrMatrix input = random_ratings(30, kInputs, 11, 0.3);
  std::vector<int64_t> rows = {3, 0, 7, 7, 12, 29, 18, 5};  // a repeated row, out of order
};

TEST(PanelProducts, ForwardEqualsTheGatheredOrderBitForBit) {
  const Batch batch;
  const Tensor w = random_tensor(kHidden, kInputs, 1);
  const auto n = static_cast<int64_t>(batch.rows.size());
  Tensor gathered({n, kHidden}), panel({n, kHidden});
  gathered_forward(w.view(), batch.input, batch.rows, gathered.view(), false);
  panel.fill(123.0f);  // every output is written
  panel_forward(w.view(), batch.input, batch.rows, panel.view(), false);
  for (int64_t i = 0; i < panel.size(); ++i) ASSERT_EQ(panel[i], gathered[i]) << i;
}

TEST(PanelProducts, BackwardEqualsTheGatheredOrderAndZeroesUnreachedColumns) {
  const Batch batch;
  const auto n = static_cast<int64_t>(batch.rows.size());
  const Tensor dz = random_tensor(n, kHidden, 2);
  Tensor gathered({kHidden, kInputs}), panel = random_tensor(kHidden, kInputs, 3);  // stale values to overwrite
  gathered_backward(dz.view(), batch.input, batch.rows, gathered.view(), false);
  panel_backward(dz.view(), batch.input, batch.rows, panel.view(), false);
  std::vector<bool> reached(kInputs, false);
  for (const int64_t r : batch.rows)
    for (const int32_t c : batch.input.row_cols(r)) reached[static_cast<size_t>(c)] = true;
  int64_t zero_columns = 0;
  for (int64_t c = 0; c < kInputs; ++c) zero_columns += reached[static_cast<size_t>(c)] ? 0 : 1;
  ASSERT_GT(zero_columns, 0) << "the batch should leave some column unreached";
  for (int64_t i = 0; i < panel.size(); ++i) {
    ASSERT_EQ(panel[i], gathered[i]) << i;
    if (!reached[static_cast<size_t>(i % kInputs)]) {
      ASSERT_EQ(panel[i], 0.0f) << i;
    }
  }
}

TEST(PanelProducts, ThreadedEqualsSerial) {
  const Batch batch;
  const auto n = static_cast<int64_t>(batch.rows.size());
  const Tensor w = random_tensor(kHidden, kInputs, 4), dz = random_tensor(n, kHidden, 5);
  Tensor out1({n, kHidden}), out3({n, kHidden}), g1({kHidden, kInputs}), g3({kHidden, kInputs});
  panel_forward(w.view(), batch.input, batch.rows, out1.view(), false);
  panel_backward(dz.view(), batch.input, batch.rows, g1.view(), false);
  const int before = omp_get_max_threads();
  omp_set_num_threads(3);
  panel_forward(w.view(), batch.input, batch.rows, out3.view(), true);
  panel_backward(dz.view(), batch.input, batch.rows, g3.view(), true);
  omp_set_num_threads(before);
  for (int64_t i = 0; i < out1.size(); ++i) ASSERT_EQ(out1[i], out3[i]) << i;
  for (int64_t i = 0; i < g1.size(); ++i) ASSERT_EQ(g1[i], g3[i]) << i;
}

Tensor transposed(const Tensor& t) {
  Tensor out({t.dim(1), t.dim(0)});
  for (int64_t r = 0; r < t.dim(0); ++r)
    for (int64_t c = 0; c < t.dim(1); ++c) out[c * t.dim(0) + r] = t[r * t.dim(1) + c];
  return out;
}

// From a weight kept transposed: the panel order's bits, forward and backward (which adds into
// the reached rows, zero before, and leaves the other rows alone), serial and on three threads.
TEST(PanelProducts, TransposedWeightGivesThePanelOrdersBits) {
  const Batch batch;
  const auto n = static_cast<int64_t>(batch.rows.size());
  const Tensor w = random_tensor(kHidden, kInputs, 6), dz = random_tensor(n, kHidden, 7);
  Tensor out({n, kHidden}), grad({kHidden, kInputs});
  panel_forward(w.view(), batch.input, batch.rows, out.view(), false);
  panel_backward(dz.view(), batch.input, batch.rows, grad.view(), false);
  const Tensor w_t = transposed(w), grad_expected = transposed(grad);
  std::vector<bool> reached(kInputs, false);
  for (const int64_t r : batch.rows)
    for (const int32_t c : batch.input.row_cols(r)) reached[static_cast<size_t>(c)] = true;
  const int before = omp_get_max_threads();
  for (const int threads : {1, 3}) {
    omp_set_num_threads(threads);
    Tensor out_t({n, kHidden}), grad_t({kInputs, kHidden});
    out_t.fill(123.0f);  // every output is written
    grad_t.fill(7.0f);   // rows the batch reaches are written from their first entry, the others kept
    std::vector<uint8_t> first;
    std::vector<bool> seen(kInputs, false);
    for (const int64_t r : batch.rows)
      for (const int32_t c : batch.input.row_cols(r)) {
        first.push_back(seen[static_cast<size_t>(c)] ? 0 : 1);
        seen[static_cast<size_t>(c)] = true;
      }
    transposed_forward(w_t.view(), batch.input, batch.rows, out_t.view(), threads > 1);
    transposed_backward(dz.view(), batch.input, batch.rows, first, grad_t.view(), threads > 1);
    for (int64_t i = 0; i < out.size(); ++i) ASSERT_EQ(out_t[i], out[i]) << i << ", " << threads << " threads";
    for (int64_t i = 0; i < grad_t.size(); ++i)
      ASSERT_EQ(grad_t[i], reached[static_cast<size_t>(i / kHidden)] ? grad_expected[i] : 7.0f)
          << i << ", " << threads << " threads";
  }
  omp_set_num_threads(before);
  // And the plain definition (to float tolerance), so the shared order is the right one.
  for (int64_t b = 0; b < n; ++b)
    for (int64_t j = 0; j < kHidden; ++j) {
      double sum = 0.0;
      const auto r = batch.rows[static_cast<size_t>(b)];
      const auto cols = batch.input.row_cols(r);
      const auto vals = batch.input.row_values(r);
      for (size_t k = 0; k < cols.size(); ++k) sum += static_cast<double>(vals[k]) * w[j * kInputs + cols[k]];
      ASSERT_NEAR(out[b * kHidden + j], sum, 1e-4) << b << ", " << j;
    }
}

// The transposed forward takes a batch row's entries in pairs: rows of 0, 1, 2, 3 and 5 entries
// give the gathered order's bits (the empty row zeros), serial and on three threads.
TEST(PanelProducts, TransposedForwardOfRowsOfAnyEntryCount) {
  std::vector<CsrEntry> entries;
  const std::vector<std::vector<int64_t>> row_cols = {{}, {4}, {0, 36}, {3, 9, 20}, {1, 2, 17, 30, 31}};
  for (size_t r = 0; r < row_cols.size(); ++r)
    for (const int64_t c : row_cols[r]) entries.push_back({static_cast<int64_t>(r), c, 0.5f + static_cast<float>(c) / 7});
  const CsrMatrix input = CsrMatrix::from_entries(5, kInputs, std::move(entries));
  const std::vector<int64_t> rows = {4, 0, 2, 1, 3};
  const Tensor w = random_tensor(kHidden, kInputs, 8);
  Tensor expected({5, kHidden});
  gathered_forward(w.view(), input, rows, expected.view(), false);
  const int before = omp_get_max_threads();
  for (const int threads : {1, 3}) {
    omp_set_num_threads(threads);
    Tensor out({5, kHidden});
    out.fill(123.0f);
    transposed_forward(transposed(w).view(), input, rows, out.view(), threads > 1);
    for (int64_t i = 0; i < out.size(); ++i) ASSERT_EQ(out[i], expected[i]) << i << ", " << threads << " threads";
    for (int64_t j = 0; j < kHidden; ++j) ASSERT_EQ(out[1 * kHidden + j], 0.0f);
  }
  omp_set_num_threads(before);
}

TEST(PanelProducts, OrderChoice) {
  EXPECT_TRUE(panel_order_pays(168, 671));   // a quarter of the inputs, panel in cache
  EXPECT_FALSE(panel_order_pays(167, 671));
  EXPECT_FALSE(panel_order_pays(48000, 138493));  // the scale run's batches stay gathered
  EXPECT_TRUE(panel_order_pays(138493, 138493));
}

}  // namespace
}  // namespace aekit::test
