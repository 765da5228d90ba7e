#pragma once
// Element-wise activations. Every derivative here is written in terms of the activation's OUTPUT,
// so a layer keeps only y for its backward pass (no copy of the pre-activation).
#include <cstdint>
#include <string>
#include <vector>

namespace aekit {

enum class Activation { Identity, Sigmoid, Tanh, Relu, LeakyRelu, Elu, Selu, Softplus };

Activation parse_activation(const std::string& name);  // InputError listing the valid names
std::string activation_name(Activation a);
std::vector<std::string> activation_names();

// PyTorch's constants: leaky_relu negative_slope 0.01, elu alpha 1, selu's alpha and scale,
// softplus beta 1 with the linear regime above threshold 20.
inline constexpr float kLeakySlope = 0.01f;
inline constexpr float kEluAlpha = 1.0f;
inline constexpr float kSeluAlpha = 1.6732632423543772f;
inline constexpr float kSeluScale = 1.0507009873554805f;
inline constexpr float kSoftplusThreshold = 20.0f;

}  // namespace aekit
