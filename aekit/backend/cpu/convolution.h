#pragma once
// 2-D convolution and transposed convolution (deconvolution) on oneDNN's primitives: forward,
// backward data and backward weights. Layouts are PyTorch's, so no data is reordered on our side:
// images NCHW (see core/image_shape.h), Conv2d weights (out, in, kh, kw), ConvTranspose2d weights
// (in, out, kh, kw).
//
// Stateless for the caller: like cpu::linear_forward, primitives and their memory objects are
// cached per calling thread, keyed by the geometry, the operation and the OpenMP thread count, so
// results depend only on those.
#include <aekit/core/activation.h>
#include <aekit/core/tensor.h>

#include <cstdint>
#include <string>

namespace aekit::cpu {

// One convolution in PyTorch's terms. For a convolution `in` is its input and `out` its output;
// for a transposed convolution `in` is still its input (the smaller image) and `out` its output.
// Padding is `pad` on both sides as in PyTorch; a transposed convolution's output_padding is
// implied by out_h/out_w. Dilation 1 is a dense kernel.
struct ConvGeometry {
  int64_t batch = 0;
  int64_t in_channels = 0, in_h = 0, in_w = 0;
  int64_t out_channels = 0, out_h = 0, out_w = 0;
  int64_t kernel_h = 1, kernel_w = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_h = 0, pad_w = 0;
  int64_t dilation_h = 1, dilation_w = 1;
  bool operator<(const ConvGeometry& o) const;
};

// Convolution: y = act(conv(x, w) + bias). bias may be null. The activation is fused into the
// primitive as a oneDNN post-op (softplus, which has no exact one, runs as a second pass).
void conv2d_forward(const ConvGeometry& g, const float* x, const float* w, const float* bias, float* y,
                    Activation act = Activation::Identity);
void conv2d_backward_data(const ConvGeometry& g, const float* dy, const float* w, float* dx);
// dw (and dbias unless null) are overwritten with the gradients of the batch.
void conv2d_backward_weights(const ConvGeometry& g, const float* x, const float* dy, float* dw,
                             float* dbias);

// Transposed convolution, the same three operations.
void conv_transpose2d_forward(const ConvGeometry& g, const float* x, const float* w,
                              const float* bias, float* y, Activation act = Activation::Identity);
void conv_transpose2d_backward_data(const ConvGeometry& g, const float* dy, const float* w, float* dx);
void conv_transpose2d_backward_weights(const ConvGeometry& g, const float* x, const float* dy,
                                       float* dw, float* dbias);

// Whether oneDNN can express this transposed convolution: its right padding pad - output_padding
// must stay above -stride, which fails only when output_padding >= stride + pad (possible in
// PyTorch when dilation > stride).
bool conv_transpose2d_supported(const ConvGeometry& g);

// The kernels oneDNN picks for `g` (forward, backward data, backward weights), e.g.
// "fwd gemm:jit, bwd_d gemm:jit, bwd_w gemm:jit", for logs and `aekit info --system`.
std::string conv2d_description(const ConvGeometry& g);
std::string conv_transpose2d_description(const ConvGeometry& g);

}  // namespace aekit::cpu
