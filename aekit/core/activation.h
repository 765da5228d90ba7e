#pragma once
// The element-wise activations as the kernels know them: an enum and PyTorch's constants. It
// lives in core so that backend/ (which fuses activations into its products) depends on core/
// only; names, parsing and the layer-level view are in aekit/layers/activation.h.
namespace aekit {

enum class Activation { Identity, Sigmoid, Tanh, Relu, LeakyRelu, Elu, Selu, Softplus };

// PyTorch's constants: leaky_relu negative_slope 0.01, elu alpha 1, selu's alpha and scale,
// softplus beta 1 with the linear regime above threshold 20.
inline constexpr float kLeakySlope = 0.01f;
inline constexpr float kEluAlpha = 1.0f;
inline constexpr float kSeluAlpha = 1.6732632423543772f;
inline constexpr float kSeluScale = 1.0507009873554805f;
inline constexpr float kSoftplusThreshold = 20.0f;

}  // namespace aekit
