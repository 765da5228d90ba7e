#pragma once
// Weight initialisations for a dense layer with weight (out x in) and bias (out), as in PyTorch:
//   pytorch         nn.Linear's default: W, b ~ U(-1/sqrt(in), 1/sqrt(in))
//   xavier_uniform  W ~ U(-a, a), a = sqrt(6 / (in + out)); b = 0
//   xavier_normal   W ~ N(0, 2 / (in + out)); b = 0
//   he_uniform      W ~ U(-a, a), a = sqrt(6 / in) (kaiming_uniform_, relu gain); b = 0
//   he_normal       W ~ N(0, 2 / in); b = 0
//   normal          W ~ N(0, sigma^2); b = 0 (the seeds' normal_(0.0, 0.1))
#include <aekit/core/rng.h>
#include <aekit/core/tensor.h>

#include <string>
#include <vector>

namespace aekit {

enum class Init { PyTorch, XavierUniform, XavierNormal, HeUniform, HeNormal, Normal };

Init parse_init(const std::string& name);  // InputError listing the valid names
std::string init_name(Init init);

void initialize_dense(Init init, float sigma, Tensor& weight, Tensor& bias, Rng& rng);

}  // namespace aekit
