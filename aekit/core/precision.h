#pragma once
// The arithmetic of a training run's matrix products. fp32 everywhere by default; bf16 runs the
// products with bfloat16 inputs and fp32 accumulation and output (oneDNN on CPUs with
// AVX512_BF16), while weights, gradients, optimizer state and element-wise work stay fp32, and
// the model file is always fp32.
#include <string>

namespace aekit {

enum class Precision { Fp32, Bf16 };

Precision parse_precision(const std::string& name);  // "fp32" or "bf16"; InputError otherwise
const char* precision_name(Precision p);

}  // namespace aekit
