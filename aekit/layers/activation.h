#pragma once
// Element-wise activations by name. Every derivative is written in terms of the activation's
// OUTPUT, so a layer keeps only y for its backward pass (no copy of the pre-activation). The enum
// and PyTorch's constants are in aekit/core/activation.h, below the backend that uses them.
#include <aekit/core/activation.h>

#include <string>
#include <vector>

namespace aekit {

Activation parse_activation(const std::string& name);  // InputError listing the valid names
std::string activation_name(Activation a);
std::vector<std::string> activation_names();

}  // namespace aekit
