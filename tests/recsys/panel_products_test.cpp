// The panel order of the sparse first layer's products (recsys/panel_products.h) gives the
// gathered order's bits, forward and backward, at every panel width (32, 8 and single units),
// writes the whole weight gradient (zeros where no entry reaches), and the same bits threaded.
#include <aekit/core/rng.h>
#include <aekit/recsys/gathered_products.h>
#include <aekit/recsys/panel_products.h>
#include <gtest/gtest.h>

#include "random_ratings.h"

#include <vector>

#include <omp.h>

namespace aekit::test {
namespace {

// 45 hidden units: one panel of 32, one of 8 and 5 single units.
constexpr int64_t kHidden = 45, kInputs = 37;

Tensor random_tensor(int64_t rows, int64_t cols, uint64_t seed) {
  Rng rng(seed);
  Tensor t({rows, cols});
  for (float& v : t.span()) v = static_cast<float>(rng.uniform(-1, 1));
  return t;
}

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

TEST(PanelProducts, OrderChoice) {
  EXPECT_TRUE(panel_order_pays(168, 671));   // a quarter of the inputs, panel in cache
  EXPECT_FALSE(panel_order_pays(167, 671));
  EXPECT_FALSE(panel_order_pays(48000, 138493));  // the scale run's batches stay gathered
  EXPECT_TRUE(panel_order_pays(138493, 138493));
}

}  // namespace
}  // namespace aekit::test
