// SparseNetwork::gradient_bound bounds every gradient its sampled or full backward leaves, in both
// orders of the first layer (gathered and transposed), and is infinite whenever it cannot vouch (a
// NaN, a layer that adds to another's gradient). SparseRows and ImplicitRows vouch for a finite
// norm only after a backward whose bound proves it, so the trainer's guard still sees every
// non-finite gradient.
#include <aekit/models/dense_arch.h>
#include <aekit/recsys/implicit_rows.h>
#include <aekit/recsys/magnitude_bounds.h>
#include <aekit/recsys/masked_mse.h>
#include <aekit/recsys/multinomial_loss.h>
#include <aekit/recsys/sparse_network.h>
#include <aekit/recsys/sparse_rows.h>
#include <aekit/train/clip.h>
#include <aekit/train/optimizer.h>
#include <gtest/gtest.h>

#include "random_ratings.h"

#include <cmath>
#include <limits>

namespace aekit::test {
namespace {

ModelSpec bound_spec(int64_t items, std::vector<int64_t> hidden) {
  DenseArch arch;
  arch.encoder = {items};
  arch.encoder.insert(arch.encoder.end(), hidden.begin(), hidden.end());
  arch.activation = "sigmoid";
  arch.output_activation = "identity";
  return arch.to_spec();
}

double largest_gradient(Autoencoder& net) {
  double largest = 0.0;
  for (const Param& p : net.params())
    for (const float v : p.grad->span()) largest = std::max(largest, std::fabs(static_cast<double>(v)));
  return largest;
}

// A sampled pass over every row; the output gradients scaled by `scale` (large ones push the
// gradients far from the bound's slack), or one of them made NaN.
double bound_after_pass(Autoencoder& net, const CsrMatrix& ratings, float scale, bool nan = false) {
  SparseNetwork sparse(net);
  std::vector<int64_t> rows;
  for (int64_t r = 0; r < ratings.rows(); ++r) rows.push_back(r);
  const auto y = sparse.forward(ratings, ratings, rows, Mode::Train);
  std::vector<float> grad(y.size());
  masked_mse(y, sparse.targets(), MaskedNormalisation::Rated, static_cast<int64_t>(rows.size()), ratings.cols(), grad);
  for (float& g : grad) g *= scale;
  if (nan) grad[grad.size() / 2] = std::nanf("");
  sparse.backward(grad);
  return sparse.gradient_bound();
}

TEST(GradientBound, BoundsEveryGradientInBothOrdersOfTheFirstLayer) {
  // 40 rows of 30 columns at density 0.5 store more entries than inputs (the transposed order);
  // at 0.02 fewer (gathered).
  for (const double density : {0.5, 0.02})
    for (const float scale : {1.0f, 1e20f}) {
      const CsrMatrix ratings = random_ratings(40, 30, 7, density);
      Autoencoder net(bound_spec(30, {11}), 5);
      const double bound = bound_after_pass(net, ratings, scale);
      const double largest = largest_gradient(net);
      EXPECT_GT(largest, 0.0);
      EXPECT_TRUE(std::isfinite(bound)) << density << " " << scale;
      EXPECT_GE(bound, largest) << density << " " << scale;
      EXPECT_LT(bound, largest * 1e4) << "a bound too loose to be useful";  // sums of a few dozen terms
    }
}

TEST(GradientBound, IsInfiniteWhenItCannotVouch) {
  const CsrMatrix ratings = random_ratings(20, 30, 3, 0.3);
  Autoencoder shallow(bound_spec(30, {11}), 5);
  EXPECT_EQ(bound_after_pass(shallow, ratings, 1.0f, true), std::numeric_limits<double>::infinity());
  SparseNetwork fresh(shallow);
  EXPECT_EQ(fresh.gradient_bound(), std::numeric_limits<double>::infinity());
}

// The layers between the first and last have their gradients read: a deeper network is bounded
// as well, and a NaN among its middle gradients makes the bound infinite.
TEST(GradientBound, BoundsTheMiddleLayersGradientsToo) {
  const CsrMatrix ratings = random_ratings(40, 30, 7, 0.3);
  for (const float scale : {1.0f, 1e20f}) {
    Autoencoder deep(bound_spec(30, {11, 4}), 5);
    const double bound = bound_after_pass(deep, ratings, scale);
    EXPECT_TRUE(std::isfinite(bound)) << scale;
    EXPECT_GE(bound, largest_gradient(deep)) << scale;
  }
}

// forward_full and backward_full: every output's gradient (the multinomial likelihood's), the
// last layer bounded through the largest of them when the output is the identity, unbounded
// otherwise.
double bound_after_full_pass(Autoencoder& net, const CsrMatrix& interactions, float scale) {
  SparseNetwork sparse(net);
  std::vector<int64_t> rows;
  for (int64_t r = 0; r < interactions.rows(); ++r) rows.push_back(r);
  const ConstMatrixView logits = sparse.forward_full(interactions, rows, Mode::Train);
  Tensor grad({logits.rows, logits.cols});
  multinomial_nll(logits, interactions, rows, grad.view());
  for (float& g : grad.span()) g *= scale;
  sparse.backward_full(grad.view());
  return sparse.gradient_bound();
}

TEST(GradientBound, BoundsEveryGradientAfterTheFullBackward) {
  const CsrMatrix interactions = random_ratings(24, 30, 8, 0.3, RatingKind::Implicit);
  for (const std::vector<int64_t>& hidden : {std::vector<int64_t>{11}, std::vector<int64_t>{11, 4}})
    for (const float scale : {1.0f, 1e20f}) {
      Autoencoder net(bound_spec(30, hidden), 5);
      const double bound = bound_after_full_pass(net, interactions, scale);
      const double largest = largest_gradient(net);
      EXPECT_TRUE(std::isfinite(bound)) << hidden.size() << " " << scale;
      EXPECT_GE(bound, largest) << hidden.size() << " " << scale;
      EXPECT_LT(bound, largest * 1e4) << "a bound too loose to be useful";
    }
  DenseArch sigmoid_out;
  sigmoid_out.encoder = {30, 11};
  sigmoid_out.output_activation = "sigmoid";
  Autoencoder net(sigmoid_out.to_spec(), 5);
  EXPECT_EQ(bound_after_full_pass(net, interactions, 1.0f), std::numeric_limits<double>::infinity());
}

// ImplicitRows (Mult-VAE, Mult-DAE) vouches as SparseRows does, and with the optimizer's row
// updates (Adam) its transposed first weight is updated in the backward: that weight's gradient
// is never written, and the step that follows completes the others.
TEST(GradientBound, ImplicitRowsVouchesAndUpdatesTheFirstWeightInItsBackward) {
  const CsrMatrix interactions = random_ratings(20, 30, 3, 0.3, RatingKind::Implicit);
  Autoencoder net(bound_spec(30, {11, 4}), 5);
  ImplicitRows rows(net, interactions, ImplicitRowsOptions{0.5f, 7, /*transposed_first_weight=*/true});
  EXPECT_FALSE(rows.gradient_norm_known_finite());  // no batch yet
  const std::vector<Param> params = rows.params();
  ASSERT_EQ(params[0].name, net.params()[0].name + ".transposed");
  std::vector<ParamRef> refs;
  for (const Param& p : params) refs.push_back({p.value->data(), p.grad->data(), p.value->size()});
  const auto optimizer = make_optimizer(OptimizerConfig::defaults_for("adam"), refs);
  rows.use_row_updates(*optimizer);
  const std::vector<float> before(params[0].value->span().begin(), params[0].value->span().end());
  rows.train_batch(std::vector<int64_t>{0, 1, 2, 3});
  ASSERT_TRUE(rows.gradient_norm_known_finite());
  EXPECT_EQ(largest_magnitude(params[0].grad->span()), 0.0) << "the transposed weight's gradient was written";
  EXPECT_NE(std::vector<float>(params[0].value->span().begin(), params[0].value->span().end()), before);
  EXPECT_GT(largest_magnitude(params[1].grad->span()), 0.0);  // the first bias: by the step
  EXPECT_TRUE(optimizer->step());
  rows.end_training();
  // Weights so large that the gradients' norm may overflow: no voucher (the guard computes it).
  ImplicitRows again(net, interactions, ImplicitRowsOptions{0.5f, 7, true});
  for (const Param& p : net.params())
    if (p.name.ends_with("weight")) p.value->fill(1e37f);
  again.train_batch(std::vector<int64_t>{0, 1, 2, 3});
  EXPECT_FALSE(again.gradient_norm_known_finite());
}

TEST(GradientBound, SparseRowsVouchesOnlyWhenTheNormIsFinite) {
  const CsrMatrix ratings = random_ratings(20, 30, 3, 0.3);
  Autoencoder net(bound_spec(30, {11}), 5);
  SparseRows rows(net, ratings);
  EXPECT_FALSE(rows.gradient_norm_known_finite());  // no batch yet
  rows.train_batch(std::vector<int64_t>{0, 1, 2, 3});
  ASSERT_TRUE(rows.gradient_norm_known_finite());
  std::vector<std::span<float>> grads;
  for (const Param& p : rows.params()) grads.push_back(p.grad->span());
  EXPECT_TRUE(std::isfinite(global_grad_norm(grads)));
  // Weights so large that the gradients' norm may overflow: no voucher (the guard computes it).
  for (const Param& p : net.params())
    if (p.name.ends_with("weight")) p.value->fill(1e37f);
  const double loss = rows.train_batch(std::vector<int64_t>{0, 1, 2, 3});
  EXPECT_FALSE(rows.gradient_norm_known_finite()) << loss << " " << global_grad_norm(grads);
}

// The bound is kept from the backward that computed it for the trainer's question, and every
// later pass computes its own: a second batch with gradients 1e20 times larger is not vouched by
// the first one's bound.
TEST(GradientBound, EachBackwardHasItsOwnBound) {
  const CsrMatrix ratings = random_ratings(20, 30, 3, 0.3);
  Autoencoder net(bound_spec(30, {11}), 5);
  SparseNetwork sparse(net);
  std::vector<int64_t> rows;
  for (int64_t r = 0; r < ratings.rows(); ++r) rows.push_back(r);
  double bounds[2] = {};
  for (const float scale : {1.0f, 1e20f}) {
    const auto y = sparse.forward(ratings, ratings, rows, Mode::Train);
    std::vector<float> grad(y.size());
    masked_mse(y, sparse.targets(), MaskedNormalisation::Rated, static_cast<int64_t>(rows.size()), ratings.cols(), grad);
    for (float& g : grad) g *= scale;
    sparse.backward(grad);
    bounds[scale == 1.0f ? 0 : 1] = sparse.gradient_bound();
    EXPECT_EQ(sparse.gradient_bound(), bounds[scale == 1.0f ? 0 : 1]) << "asked twice";
    EXPECT_GE(sparse.gradient_bound(), largest_gradient(net));
  }
  EXPECT_GT(bounds[1], bounds[0] * 1e19);
}

}  // namespace
}  // namespace aekit::test
