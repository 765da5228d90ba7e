// Sparse-aware training computes exactly what the dense computation does: the loss on rated
// entries and every parameter gradient, with CSR input and outputs sampled at rated entries,
// equal (to float tolerance) to a dense forward of the same rows with the gradient zero at every
// unrated entry. And the masked loss ignores unrated entries.
#include <aekit/core/rng.h>
#include <aekit/models/dense_arch.h>
#include <aekit/recsys/one_row_lane_dots.h>
#include <aekit/recsys/masked_mse.h>
#include <aekit/recsys/sparse_network.h>
#include <aekit/recsys/sparse_rows.h>
#include <gtest/gtest.h>

#include <cmath>

#include <omp.h>

namespace aekit {
namespace {

CsrMatrix random_ratings(int64_t rows, int64_t cols, double density, uint64_t seed) {
  Rng rng(seed);
  std::vector<CsrEntry> entries;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      if (rng.uniform() < density) entries.push_back({r, c, 1.0f + std::floor(rng.uniform() * 5.0f)});
  return CsrMatrix::from_entries(rows, cols, std::move(entries));
}

Tensor densify(const CsrMatrix& m, const std::vector<int64_t>& rows) {
  Tensor x({static_cast<int64_t>(rows.size()), m.cols()});
  for (size_t b = 0; b < rows.size(); ++b) {
    const auto cols = m.row_cols(rows[b]);
    const auto vals = m.row_values(rows[b]);
    for (size_t k = 0; k < cols.size(); ++k) x.row(static_cast<int64_t>(b))[cols[k]] = vals[k];
  }
  return x;
}

ModelSpec spec_for(int64_t items, const std::string& activation, bool deep, int64_t hidden = 7) {
  DenseArch arch;
  arch.encoder = deep ? std::vector<int64_t>{items, 9, 5} : std::vector<int64_t>{items, hidden};
  arch.activation = activation;
  arch.output_activation = "identity";
  return arch.to_spec();
}

struct Grads {
  double loss;
  std::vector<std::vector<float>> grads;
};

Grads collect(Autoencoder& net, double loss) {
  Grads g{loss, {}};
  for (const Param& p : net.params()) g.grads.emplace_back(p.grad->span().begin(), p.grad->span().end());
  return g;
}

void expect_same_grads(const Grads& sparse, const Grads& dense) {
  EXPECT_NEAR(sparse.loss, dense.loss, 1e-5 * std::max(1.0, std::fabs(dense.loss)));
  ASSERT_EQ(sparse.grads.size(), dense.grads.size());
  for (size_t p = 0; p < dense.grads.size(); ++p) {
    double max_abs = 0;
    for (float v : dense.grads[p]) max_abs = std::max(max_abs, static_cast<double>(std::fabs(v)));
    ASSERT_GT(max_abs, 0.0) << "parameter " << p << " has no gradient";
    for (size_t k = 0; k < dense.grads[p].size(); ++k)
      ASSERT_NEAR(sparse.grads[p][k], dense.grads[p][k], 1e-4 * max_abs) << "parameter " << p << " element " << k;
  }
}

Grads sparse_pass(Autoencoder& net, const CsrMatrix& ratings, const std::vector<int64_t>& rows,
                  MaskedNormalisation norm) {
  SparseNetwork sparse(net);
  const auto y = sparse.forward(ratings, ratings, rows, Mode::Train);
  std::vector<float> grad(y.size());
  const double loss =
      masked_mse(y, sparse.targets(), norm, static_cast<int64_t>(rows.size()), ratings.cols(), grad);
  sparse.backward(grad);
  return collect(net, loss);
}

// The sparse pass against the dense one; with `threads` above 1 also against itself on one
// thread, bit for bit (sparse_network.cpp gives every output value to one thread).
void check(const std::string& activation, bool deep, MaskedNormalisation norm, int64_t items = 23,
           int64_t row_count = 12, double density = 0.3, int64_t hidden = 7, int threads = 1) {
  const CsrMatrix ratings = random_ratings(row_count, items, density, 1);
  std::vector<int64_t> rows;
  for (int64_t r = 0; r < row_count; ++r)
    if (r % 3 != 1) rows.push_back(r);
  Autoencoder net(spec_for(items, activation, deep, hidden), 3);

  const int before = omp_get_max_threads();
  omp_set_num_threads(threads);
  const Grads s = sparse_pass(net, ratings, rows, norm);
  if (threads > 1) {
    omp_set_num_threads(1);
    const Grads serial = sparse_pass(net, ratings, rows, norm);
    EXPECT_EQ(serial.loss, s.loss);
    for (size_t p = 0; p < s.grads.size(); ++p) ASSERT_EQ(serial.grads[p], s.grads[p]) << "parameter " << p;
  }
  omp_set_num_threads(before);

  // Dense: the whole output, squared error and gradient at the rated entries only.
  const Tensor x = densify(ratings, rows);
  const Tensor& out = net.forward(x.view(), Mode::Train);
  Tensor dy({x.rows(), items});
  double sum = 0;
  int64_t rated = 0;
  for (size_t b = 0; b < rows.size(); ++b)
    for (int32_t c : ratings.row_cols(rows[b])) {
      const auto i = static_cast<int64_t>(b);
      const double d = out.row(i)[c] - x.row(i)[c];
      sum += d * d;
      dy.row(i)[c] = static_cast<float>(2 * d);
      ++rated;
    }
  const double count = norm == MaskedNormalisation::Rated ? static_cast<double>(rated)
                                                          : static_cast<double>(x.rows() * items);
  for (float& v : dy.span()) v = static_cast<float>(v / count);
  net.backward(dy.view());
  expect_same_grads(s, collect(net, sum / count));
}

TEST(SparseNetwork, EqualsDenseShallowSigmoid) { check("sigmoid", false, MaskedNormalisation::Rated); }
TEST(SparseNetwork, EqualsDenseDeepSeedNormalisation) { check("sigmoid", true, MaskedNormalisation::AllColumns); }
TEST(SparseNetwork, EqualsDenseDeepSelu) { check("selu", true, MaskedNormalisation::Rated); }
// Large enough for the threaded loops: more stored entries in the batch than inputs (the weight
// transposed), then fewer (gathered at the batch's columns).
TEST(SparseNetwork, ThreadedTransposedPathEqualsDenseAndOneThread) {
  check("sigmoid", false, MaskedNormalisation::Rated, 300, 60, 0.3, 70, 3);
}
TEST(SparseNetwork, ThreadedGatheredPathEqualsDenseAndOneThread) {
  check("tanh", false, MaskedNormalisation::Rated, 3000, 60, 0.01, 70, 3);
}

// The sampled backward zeroes only the gradient entries its previous pass wrote and this one
// does not, and the first sample of each output column writes instead of adding: after another
// batch the gradients are that batch's alone, bit for bit.
TEST(SparseNetwork, AfterAnotherBatchTheGradientsAreThatBatchsAlone) {
  const CsrMatrix ratings = random_ratings(20, 30, 0.2, 4);
  Autoencoder twice(spec_for(30, "sigmoid", false, 9), 2), once(spec_for(30, "sigmoid", false, 9), 2);
  SparseRows rows_twice(twice, ratings), rows_once(once, ratings);
  rows_twice.train_batch(std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});  // the panel order
  rows_twice.train_batch(std::vector<int64_t>{13});                                     // gathered
  rows_twice.train_batch(std::vector<int64_t>{5, 17});
  rows_once.train_batch(std::vector<int64_t>{5, 17});
  const std::vector<Param> a = twice.params(), b = once.params();
  for (size_t p = 0; p < a.size(); ++p)
    for (int64_t i = 0; i < a[p].grad->size(); ++i) ASSERT_EQ((*a[p].grad)[i], (*b[p].grad)[i]) << a[p].name << " " << i;
}

// The sampled outputs of one batch row, eight side by side (one_row_lane_dots), are one lane_dot
// each, bit for bit: widths under, at and past a lane's 16 values (the seeds' 20, I-AutoRec's
// 500), counts under, at and past the eight side by side, columns repeated and out of order.
TEST(SparseNetwork, OneRowsDotsSideBySideAreOneLaneDotEach) {
  Rng rng(21);
  for (const int64_t width : {1, 5, 16, 20, 37, 500})
    for (const int64_t count : {0, 3, 8, 13, 106}) {
      const int64_t outputs = 40;
      Tensor weight({outputs, width}), bias({outputs}), h({width});
      for (Tensor* t : {&weight, &bias, &h})
        for (float& v : t->span()) v = static_cast<float>(rng.uniform(-1, 1));
      std::vector<int32_t> cols;
      for (int64_t k = 0; k < count; ++k) cols.push_back(static_cast<int32_t>(rng.below(outputs)));
      std::vector<float> out(static_cast<size_t>(count));
      one_row_lane_dots(h.data(), weight.view(), bias.data(), cols, out.data());
      for (int64_t k = 0; k < count; ++k) {
        const int32_t c = cols[static_cast<size_t>(k)];
        ASSERT_EQ(out[static_cast<size_t>(k)], bias[c] + lane_dot(h.data(), weight.row(c), width))
            << "width " << width << ", count " << count << ", output " << k;
      }
    }
}

TEST(MaskedMse, HandComputed) {
  const std::vector<float> y{4.0f, 3.0f}, t{5.0f, 5.0f};
  std::vector<float> g(2);
  EXPECT_DOUBLE_EQ(masked_mse(y, t, MaskedNormalisation::Rated, 1, 6, g), 2.5);  // (1 + 4) / 2
  EXPECT_FLOAT_EQ(g[0], -1.0f);  // 2 (4 - 5) / 2
  EXPECT_FLOAT_EQ(g[1], -2.0f);
  // nn.MSELoss after the seeds' zeroing of unrated outputs: every one of the 6 cells counts.
  EXPECT_DOUBLE_EQ(masked_mse(y, t, MaskedNormalisation::AllColumns, 1, 6, g), 5.0 / 6.0);
  EXPECT_FLOAT_EQ(g[1], -4.0f / 6.0f);
}

TEST(MaskedMse, TheOutputAtAnUnratedCellChangesNothing) {
  // Column 4 is rated by no row of the batch: whatever the network predicts there (here its
  // output weights and bias are changed wildly), the loss is the same and no gradient reaches it.
  std::vector<CsrEntry> entries{{0, 0, 5.0f}, {0, 2, 3.0f}, {1, 1, 4.0f}, {1, 3, 1.0f}, {2, 4, 2.0f}};
  const CsrMatrix ratings = CsrMatrix::from_entries(3, 5, entries);
  const std::vector<int64_t> batch{0, 1};
  Autoencoder net(spec_for(5, "sigmoid", false), 1);
  SparseRows rows(net, ratings);
  const double before = rows.train_batch(batch);
  Dense& out = *net.dense_layers().back();
  for (int64_t j = 0; j < out.in_features(); ++j) EXPECT_EQ(out.params()[0].grad->row(4)[j], 0.0f);
  EXPECT_EQ((*out.params()[1].grad)[4], 0.0f);
  for (int64_t j = 0; j < out.in_features(); ++j) out.weight().row(4)[j] += 100.0f;
  out.bias()[4] = -50.0f;
  EXPECT_EQ(rows.train_batch(batch), before);
}

}  // namespace
}  // namespace aekit
