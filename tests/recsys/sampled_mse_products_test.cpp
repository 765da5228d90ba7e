// The sampled last layer's fused pass (recsys/sampled_mse_products.h) gives the two passes' bits:
// its outputs are the plain dot products plus the bias, its gradients masked_mse's, and dL/dh the
// backward's chain of multiply-adds, for rows of 0 to 5 samples (pairs and a single), serial and
// threaded. Through SparseNetwork, forward_for_mse then backward leaves every gradient that
// forward then backward leaves, and a backward handed another gradient than the one the forward
// assumed computes from that one.
#include <aekit/core/rng.h>
#include <aekit/recsys/masked_mse.h>
#include <aekit/recsys/row_fmas.h>
#include <aekit/recsys/sampled_mse_products.h>
#include <aekit/recsys/sparse_network.h>
#include <gtest/gtest.h>

#include "autorec_spec.h"
#include "random_ratings.h"
#include "random_tensor.h"

#include <bit>
#include <cmath>
#include <vector>

#include <omp.h>

namespace aekit::test {
namespace {

// 45 units: two runs of 16 lanes and a tail of 13.
constexpr int64_t kWidth = 45, kOutputs = 12;

void expect_same_bits(std::span<const float> a, std::span<const float> b, const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i)
    ASSERT_EQ(std::bit_cast<uint32_t>(a[i]), std::bit_cast<uint32_t>(b[i])) << what << " " << i;
}

TEST(SampledMseProducts, GivesTheTwoPassesBitsForAnyRowLengthAndThreadCount) {
  // Rows of 3, 0, 1, 2, 5 and 4 samples, columns ascending within a row.
  const std::vector<std::vector<int32_t>> row_cols = {{0, 4, 11}, {}, {7}, {2, 3}, {1, 5, 6, 8, 10}, {0, 2, 9, 11}};
  std::vector<int64_t> start = {0};
  std::vector<int32_t> cols, sample_row;
  for (size_t b = 0; b < row_cols.size(); ++b) {
    for (const int32_t c : row_cols[b]) {
      cols.push_back(c);
      sample_row.push_back(static_cast<int32_t>(b));
    }
    start.push_back(static_cast<int64_t>(cols.size()));
  }
  const auto rows = static_cast<int64_t>(row_cols.size());
  const auto samples = static_cast<int64_t>(cols.size());
  const Tensor h = random_tensor(rows, kWidth, 1), w = random_tensor(kOutputs, kWidth, 2);
  const Tensor bias = random_tensor(1, kOutputs, 3), target = random_tensor(1, samples, 4);
  const float scale = masked_mse_scale(MaskedNormalisation::Rated, samples, rows, kOutputs);
  ASSERT_EQ(scale, static_cast<float>(2.0 / static_cast<double>(samples)));

  // The two passes, as SparseNetwork::forward and backward compute them.
  std::vector<float> out(static_cast<size_t>(samples)), dz(static_cast<size_t>(samples));
  Tensor dh({rows, kWidth});
  dh.fill(0.0f);
  for (int64_t k = 0; k < samples; ++k) {
    const auto i = static_cast<size_t>(k);
    out[i] = bias[cols[i]] + lane_dot(h.view().row(sample_row[i]), w.view().row(cols[i]), kWidth);
    dz[i] = scale * (out[i] - target[k]);
  }
  for (int64_t k = 0; k < samples; ++k) {
    const auto i = static_cast<size_t>(k);
    float* g = dh.view().row(sample_row[i]);
    const float* wr = w.view().row(cols[i]);
    for (int64_t j = 0; j < kWidth; ++j) g[j] = std::fma(dz[i], wr[j], k == start[sample_row[i]] ? 0.0f : g[j]);
  }

  const int before = omp_get_max_threads();
  for (const int threads : {1, 3}) {
    omp_set_num_threads(threads);
    std::vector<float> fused_out(out.size(), 9.0f), fused_dz(dz.size(), 9.0f);
    Tensor fused_dh({rows, kWidth});
    fused_dh.fill(9.0f);  // stale values: every element is written, the sample-less row with zeros
    sampled_mse_products(h.view(), w.view(), bias.data(), {start, cols, target.span()}, scale, fused_out.data(),
                         fused_dz.data(), fused_dh.view(), threads > 1);
    expect_same_bits(fused_out, out, "outputs");
    expect_same_bits(fused_dz, dz, "output gradients");
    expect_same_bits(fused_dh.span(), dh.span(), "dL/dh");
  }
  omp_set_num_threads(before);
  for (int64_t j = 0; j < kWidth; ++j) EXPECT_EQ(dh[1 * kWidth + j], 0.0f);
  // And the gradients are masked_mse's.
  std::vector<float> grad(out.size());
  masked_mse(out, target.span(), MaskedNormalisation::Rated, rows, kOutputs, grad);
  expect_same_bits(grad, dz, "masked_mse's gradients");
  EXPECT_EQ(masked_mse_scale(MaskedNormalisation::AllColumns, samples, rows, kOutputs),
            static_cast<float>(2.0 / static_cast<double>(rows * kOutputs)));
  EXPECT_EQ(masked_mse_scale(MaskedNormalisation::Rated, 0, rows, kOutputs), 0.0f);
}

// Every parameter gradient after forward_for_mse + backward(grad) equals forward + backward(grad).
void expect_same_gradients(float grad_factor) {
  const CsrMatrix ratings = random_ratings(24, 30, 5, 0.4);
  const std::vector<int64_t> rows = {3, 0, 17, 9, 9, 22};
  Autoencoder plain_net(autorec_spec(30, 13), 7), fused_net(autorec_spec(30, 13), 7);
  SparseNetwork plain(plain_net), fused(fused_net);
  int64_t samples = 0;
  for (const int64_t r : rows) samples += ratings.row_nnz(r);
  const float scale = masked_mse_scale(MaskedNormalisation::Rated, samples, 6, 30);

  const auto y = plain.forward(ratings, ratings, rows, Mode::Train);
  const auto y_fused = fused.forward_for_mse(ratings, ratings, rows, scale);
  expect_same_bits(y_fused, y, "outputs");
  std::vector<float> grad(y.size());
  masked_mse(y, plain.targets(), MaskedNormalisation::Rated, 6, 30, grad);
  for (float& g : grad) g *= grad_factor;
  plain.backward(grad);
  fused.backward(grad);
  const std::vector<Param> a = plain_net.params(), b = fused_net.params();
  for (size_t i = 0; i < a.size(); ++i) expect_same_bits(b[i].grad->span(), a[i].grad->span(), a[i].name.c_str());
}

TEST(SampledMseProducts, ForwardForMseThenBackwardLeavesTheTwoPassesGradients) { expect_same_gradients(1.0f); }

// A gradient other than the one forward_for_mse assumed (here twice it) is not the precomputed one.
TEST(SampledMseProducts, BackwardOfAnotherGradientComputesFromIt) { expect_same_gradients(2.0f); }

}  // namespace
}  // namespace aekit::test
