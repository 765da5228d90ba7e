// The RBM's contrastive-divergence update is the gradient of -F(v0) + F(vk) (the free energy of
// the data batch against the negative batch, vk held fixed), checked by finite differences for
// every pairing of Bernoulli and Gaussian units; and its conditional means are what the dense
// layers it unrolls into compute.
#include "gradcheck.h"

#include <aekit/layers/dense.h>
#include <aekit/pretrain/rbm.h>

#include <cmath>

namespace aekit::test {
namespace {

void check_cd_gradient(Units visible, Units hidden) {
  Rng rng(4);
  Rbm rbm(5, 3, visible, hidden, rng);
  for (float& b : rbm.visible_bias().span()) b = rng.uniform(-0.5f, 0.5f);
  for (float& c : rbm.hidden_bias().span()) c = rng.uniform(-0.5f, 0.5f);
  for (float& w : rbm.weight().span()) w *= 5.0f;  // away from the linear regime of the sigmoid
  const Tensor v0 = random_tensor({4, 5}, rng, 0.0f, 1.0f);
  const Tensor vk = random_tensor({4, 5}, rng, 0.0f, 1.0f);
  Tensor gw, gb, gc;
  rbm.cd_gradient(v0.view(), vk.view(), gw, gb, gc);
  auto objective = [&] { return -rbm.free_energy(v0.view()) + rbm.free_energy(vk.view()); };
  const std::string what = std::string(units_name(visible)) + "-" + units_name(hidden);
  expect_gradient_matches(what + " weight", rbm.weight(), gw, objective, 1e-2, 1e-4, 1e-2);
  expect_gradient_matches(what + " visible bias", rbm.visible_bias(), gb, objective, 1e-2, 1e-4, 1e-2);
  expect_gradient_matches(what + " hidden bias", rbm.hidden_bias(), gc, objective, 1e-2, 1e-4, 1e-2);
}

TEST(RbmGradcheck, BernoulliBernoulli) { check_cd_gradient(Units::Bernoulli, Units::Bernoulli); }
TEST(RbmGradcheck, GaussianVisible) { check_cd_gradient(Units::Gaussian, Units::Bernoulli); }
TEST(RbmGradcheck, GaussianHidden) { check_cd_gradient(Units::Bernoulli, Units::Gaussian); }

TEST(RbmGradcheck, MeansAreTheUnrolledDenseLayers) {
  Rng rng(2);
  Rbm rbm(6, 4, Units::Bernoulli, Units::Bernoulli, rng);
  for (float& b : rbm.visible_bias().span()) b = rng.uniform(-1.0f, 1.0f);
  for (float& c : rbm.hidden_bias().span()) c = rng.uniform(-1.0f, 1.0f);
  const Tensor v = random_tensor({3, 6}, rng, 0.0f, 1.0f);
  Tensor h, back;
  rbm.hidden_mean(v.view(), h);
  Dense up(6, 4, Activation::Sigmoid);
  up.weight() = rbm.weight();
  up.bias() = rbm.hidden_bias();
  Tensor y;
  up.forward(v.view(), y, Mode::Infer);
  for (int64_t i = 0; i < h.size(); ++i) EXPECT_NEAR(h[i], y[i], 1e-6);
  rbm.visible_mean(h.view(), back);
  for (float p : back.span()) {
    EXPECT_GT(p, 0.0f);
    EXPECT_LT(p, 1.0f);
  }
  // One deterministic up-down pass is what reconstruction_error measures.
  double sse = 0;
  for (int64_t i = 0; i < v.size(); ++i) sse += (back[i] - v[i]) * (back[i] - v[i]);
  EXPECT_NEAR(rbm.reconstruction_error(v.view()), sse / static_cast<double>(v.size()), 1e-7);  // float products
}

}  // namespace
}  // namespace aekit::test
