#pragma once
// PyTorch keeps hyper-parameters as Python floats (doubles) and derives step scalars from them in
// double (1 - beta1, lr / bias_correction1, ...) before casting the result to float for the
// tensor op. aekit stores them as float, so to derive the same scalars it first recovers the
// double the user most likely typed: the shortest decimal that reads back as this float
// (0.9f -> 0.9, not 0.89999997615814). Then float(1 - 0.9) equals PyTorch's scalar bit for bit.
#include <charconv>

namespace aekit::detail {

inline double python_float(float value) {
  char text[32];
  const auto printed = std::to_chars(text, text + sizeof text, value);
  double result = value;
  std::from_chars(text, printed.ptr, result);
  return result;
}

}  // namespace aekit::detail
