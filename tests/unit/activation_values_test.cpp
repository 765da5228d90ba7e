// Activation outputs against their definitions (PyTorch's constants), computed in double.
#include <aekit/backend/cpu/elementwise.h>
#include <aekit/core/error.h>
#include <aekit/layers/activation.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

namespace aekit {
namespace {

double reference(Activation a, double z) {
  switch (a) {
    case Activation::Identity: return z;
    case Activation::Sigmoid: return 1 / (1 + std::exp(-z));
    case Activation::Tanh: return std::tanh(z);
    case Activation::Relu: return z > 0 ? z : 0;
    case Activation::LeakyRelu: return z > 0 ? z : 0.01 * z;
    case Activation::Elu: return z > 0 ? z : std::expm1(z);
    case Activation::Selu: return 1.0507009873554805 * (z > 0 ? z : 1.6732632423543772 * std::expm1(z));
    case Activation::Softplus: return z > 20 ? z : std::log1p(std::exp(z));
  }
  return 0;
}

TEST(ActivationValues, MatchDefinitionsWithBias) {
  for (const std::string& name : activation_names()) {
    const Activation act = parse_activation(name);
    Tensor y({1, 401});
    float bias[401];
    for (int i = 0; i < 401; ++i) {
      y[i] = -15.0f + 0.075f * static_cast<float>(i);
      bias[i] = 0.25f;
    }
    Tensor z = y;
    cpu::bias_activation(y.view(), bias, act);
    for (int i = 0; i < 401; ++i) {
      const double expected = reference(act, static_cast<double>(z[i]) + 0.25);
      ASSERT_NEAR(y[i], expected, 2e-6 * std::max(1.0, std::abs(expected))) << name << " at z=" << z[i] + 0.25f;
    }
  }
}

TEST(ActivationValues, NamesRoundTripAndUnknownIsAnError) {
  for (const std::string& name : activation_names()) EXPECT_EQ(activation_name(parse_activation(name)), name);
  EXPECT_THROW(parse_activation("swish"), InputError);
}

}  // namespace
}  // namespace aekit
