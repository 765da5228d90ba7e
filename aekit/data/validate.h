#pragma once
// Checks shared by every dataset reader. NaN and infinity are rejected at load time: one of them
// in the input silently turns every weight it reaches into NaN, far from the file that caused it.
#include <aekit/core/tensor.h>

#include <string>

namespace aekit {

// Throws InputError "<source>: value at [i, j] is NaN (...)" for the first non-finite element.
void check_finite(const Tensor& t, const std::string& source);

}  // namespace aekit
