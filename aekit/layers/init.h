#pragma once
// Weight initialisations as in PyTorch, for any layer with a weight of two or more dimensions and a
// bias: fan_in = weight.dim(1) * receptive field, fan_out = weight.dim(0) * receptive field, the
// receptive field being the product of the dimensions after the second (1 for nn.Linear's
// (out, in); kh * kw for nn.Conv2d's (out, in, kh, kw) and nn.ConvTranspose2d's (in, out, kh, kw),
// whose fan_in is thus out * kh * kw, as PyTorch computes it):
//   pytorch         the layers' default: W, b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))
//   xavier_uniform  W ~ U(-a, a), a = sqrt(6 / (in + out)); b = 0
//   xavier_uniform_small_bias  W as xavier_uniform; b ~ N(0, 0.001^2) truncated at two standard
//                   deviations: TensorFlow's xavier_initializer and
//                   truncated_normal_initializer(stddev=0.001), as Liang et al.'s Mult-VAE code
//   xavier_normal   W ~ N(0, 2 / (in + out)); b = 0
//   he_uniform      W ~ U(-a, a), a = sqrt(6 / in) (kaiming_uniform_, relu gain); b = 0
//   he_normal       W ~ N(0, 2 / in); b = 0
//   normal          W ~ N(0, sigma^2); b = 0 (the seeds' normal_(0.0, 0.1))
#include <aekit/core/rng.h>
#include <aekit/core/tensor.h>

#include <string>
#include <vector>

namespace aekit {

enum class Init { PyTorch, XavierUniform, XavierUniformSmallBias, XavierNormal, HeUniform, HeNormal, Normal };

Init parse_init(const std::string& name);  // InputError listing the valid names
std::string init_name(Init init);

// bias may be empty (a layer without one).
void initialize_weights(Init init, float sigma, Tensor& weight, Tensor& bias, Rng& rng);

}  // namespace aekit
