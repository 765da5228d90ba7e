#pragma once
// The oneDNN eltwise post-op of each activation, shared by the primitives that fuse an activation
// into their output (matmul, convolution, deconvolution). Backend-internal: includes oneDNN.
#include <aekit/core/activation.h>

#include <oneapi/dnnl/dnnl.hpp>

namespace aekit::cpu {

// Appends act's post-op; false (nothing appended) when oneDNN has no exact equivalent (softplus:
// PyTorch's threshold), in which case the caller applies the activation itself.
bool append_activation(dnnl::post_ops& po, Activation act);

}  // namespace aekit::cpu
