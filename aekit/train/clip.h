#pragma once
// Gradient clipping by total norm, as torch.nn.utils.clip_grad_norm_ (norm_type 2): the 2-norm
// of all gradients seen as one vector; when it exceeds max_norm every gradient is scaled by
// max_norm / (total_norm + 1e-6). Returns the norm before clipping.
//
// It takes the gradients as mutable spans rather than ParamRefs, whose grad is read-only for the
// optimizer: the caller owns the gradient tensors (Layer::params() gives them as Tensor*, and
// Tensor::span() is the span to pass).
#include <span>

namespace aekit {

float clip_grad_norm(std::span<const std::span<float>> grads, float max_norm);

// The two halves of clip_grad_norm, for callers that need the norm anyway (the trainer checks it
// for finiteness before every update): the global 2-norm, and the scaling given that norm.
float global_grad_norm(std::span<const std::span<float>> grads);
void scale_to_max_norm(std::span<const std::span<float>> grads, float total_norm, float max_norm);
// The factor scale_to_max_norm multiplies every gradient by (1 when the norm is within max_norm),
// for callers that apply it on the fly (the trainer hands it to Optimizer::step).
float clip_coefficient(float total_norm, float max_norm);

}  // namespace aekit
