#include <aekit/layers/activation.h>

#include <aekit/core/error.h>

#include <array>
#include <utility>

namespace aekit {

namespace {
constexpr std::array<std::pair<Activation, const char*>, 8> kNames{{
    {Activation::Identity, "identity"},
    {Activation::Sigmoid, "sigmoid"},
    {Activation::Tanh, "tanh"},
    {Activation::Relu, "relu"},
    {Activation::LeakyRelu, "leaky_relu"},
    {Activation::Elu, "elu"},
    {Activation::Selu, "selu"},
    {Activation::Softplus, "softplus"},
}};
}  // namespace

std::vector<std::string> activation_names() {
  std::vector<std::string> names;
  for (const auto& [a, name] : kNames) names.emplace_back(name);
  return names;
}

Activation parse_activation(const std::string& name) {
  for (const auto& [a, n] : kNames)
    if (name == n) return a;
  if (name == "linear" || name == "none") return Activation::Identity;
  std::string valid;
  for (const auto& [a, n] : kNames) valid += (valid.empty() ? "" : ", ") + std::string(n);
  fail("unknown activation '", name, "' (valid: ", valid, ")");
}

std::string activation_name(Activation a) {
  for (const auto& [act, n] : kNames)
    if (act == a) return n;
  AEKIT_ASSERT(false, "activation without a name");
  return {};
}

}  // namespace aekit
