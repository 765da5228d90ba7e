// Dense layer: dL/dx, dL/dW and dL/db by finite differences, for every activation.
#include "gradcheck.h"

#include <aekit/layers/dense.h>
#include <aekit/layers/init.h>

namespace aekit::test {
namespace {

class DenseGradcheck : public ::testing::TestWithParam<Activation> {};

TEST_P(DenseGradcheck, MatchesFiniteDifferences) {
  const Activation act = GetParam();
  Rng rng(42);
  Dense layer(5, 4, act);
  initialize_weights(Init::XavierUniform, 0, layer.weight(), layer.bias(), rng);
  for (float& b : layer.bias().span()) b = rng.uniform(-0.5f, 0.5f);
  Tensor x = random_tensor({3, 5}, rng, -2.0f, 2.0f);
  Tensor r = random_tensor({3, 4}, rng);
  Tensor y;
  auto objective = [&] {
    layer.forward(x.view(), y, Mode::Train);
    return weighted_sum(y, r);
  };
  objective();
  Tensor dx;
  layer.backward(r.view(), &dx);
  const Tensor dw = *layer.params()[0].grad;
  const Tensor db = *layer.params()[1].grad;
  const std::string name = activation_name(act);
  expect_gradient_matches(name + " dx", x, dx, objective);
  expect_gradient_matches(name + " dW", layer.weight(), dw, objective);
  expect_gradient_matches(name + " db", layer.bias(), db, objective);
}

INSTANTIATE_TEST_SUITE_P(AllActivations, DenseGradcheck,
                         ::testing::Values(Activation::Identity, Activation::Sigmoid, Activation::Tanh,
                                           Activation::Relu, Activation::LeakyRelu, Activation::Elu,
                                           Activation::Selu, Activation::Softplus),
                         [](const auto& info) { return activation_name(info.param); });

TEST(DenseGradcheck, LogitsModeSkipsTheActivation) {
  Rng rng(1);
  Dense layer(3, 2, Activation::Sigmoid);
  initialize_weights(Init::PyTorch, 0, layer.weight(), layer.bias(), rng);
  Tensor x = random_tensor({2, 3}, rng);
  Tensor with, without;
  layer.forward(x.view(), with, Mode::Infer);
  layer.set_emit_logits(true);
  layer.forward(x.view(), without, Mode::Infer);
  for (int64_t i = 0; i < with.size(); ++i) EXPECT_NEAR(with[i], 1.0f / (1.0f + std::exp(-without[i])), 1e-6f);
  Tensor r = random_tensor({2, 2}, rng);
  auto objective = [&] {
    layer.forward(x.view(), without, Mode::Train);
    return weighted_sum(without, r);
  };
  objective();
  Tensor dx;
  layer.backward(r.view(), &dx);
  expect_gradient_matches("logits dx", x, dx, objective);
}

}  // namespace
}  // namespace aekit::test
