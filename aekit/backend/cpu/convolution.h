#pragma once
// 2-D convolution and transposed convolution (deconvolution) on oneDNN's primitives: forward,
// backward data and backward weights. The caller's buffers are in PyTorch's layouts: images NCHW
// (see core/image_shape.h) unless the geometry says an image is Blocked (below), Conv2d weights
// (out, in, kh, kw), ConvTranspose2d weights (in, out, kh, kw).
//
// The primitives themselves are created with format_tag::any, so oneDNN picks its fastest kernel
// (on AVX-512 the direct jit kernels on channel-blocked layouts, about twice as fast here as the
// im2col + GEMM kernels it must use on plain NCHW); each plain buffer whose layout differs from the
// chosen one is reordered into (or out of) a scratch buffer the cached primitive owns. Between two
// consecutive convolutions the image can stay blocked (ImageLayout::Blocked), which saves both
// reorders.
//
// Stateless for the caller: like cpu::linear_forward, primitives and their memory objects are
// cached per calling thread, keyed by the geometry, the operation and the OpenMP thread count, so
// results depend only on those.
#include <aekit/core/activation.h>
#include <aekit/core/tensor.h>

#include <cstdint>
#include <string>

namespace aekit::cpu {

// How a batch of images is laid out in the caller's buffer. Plain: NCHW. Blocked: oneDNN's
// channel-blocked layout for this CPU (nChw16c on AVX-512, nChw8c on AVX2: channels in groups of
// `image_channel_block()`, the group's channels innermost), only for channel counts that are a
// multiple of the block, so that the buffer has exactly N*C*H*W floats with each image still
// contiguous in its own row; the values of one image are only permuted. Element-wise work
// (activations and their derivatives) is the same in either layout.
enum class ImageLayout { Plain, Blocked };

// The channel block of ImageLayout::Blocked on this CPU, 0 when there is none (no AVX2).
int64_t image_channel_block();
// Whether a batch with this many channels may be kept Blocked.
bool can_block_channels(int64_t channels);

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
  // Layout of the input image buffers (x, dx) and of the output ones (y, dy).
  ImageLayout in_layout = ImageLayout::Plain, out_layout = ImageLayout::Plain;
  bool operator<(const ConvGeometry& o) const;
};

// The derivative of the activation a forward fused, for a backward that starts from the gradient
// of the activation's output dy: dz = dy * act'(y), with y the forward's output.
struct ActivationGradient {
  Activation act = Activation::Identity;
  const float* y = nullptr;  // the forward's output: g.batch output images
  float* dz = nullptr;       // receives dz (may be dy itself), the gradient backward data then takes
};

// Convolution: y = act(conv(x, w) + bias). bias may be null. The activation is fused into the
// primitive as a oneDNN post-op (softplus, which has no exact one, runs as a second pass).
void conv2d_forward(const ConvGeometry& g, const float* x, const float* w, const float* bias, float* y,
                    Activation act = Activation::Identity);
void conv2d_backward_data(const ConvGeometry& g, const float* dy, const float* w, float* dx);
// dw (and dbias unless null) are overwritten with the gradients of the batch. With `activation`,
// dy is the gradient of the activation's output: each thread first writes dz for the part of the
// batch whose weight gradient it computes, then computes it from dz while that part is still in
// cache (no pass and no parallel region of its own for the derivative), and returns with all of
// activation->dz written.
void conv2d_backward_weights(const ConvGeometry& g, const float* x, const float* dy, float* dw,
                             float* dbias, const ActivationGradient* activation = nullptr);

// Transposed convolution, the same three operations.
void conv_transpose2d_forward(const ConvGeometry& g, const float* x, const float* w,
                              const float* bias, float* y, Activation act = Activation::Identity);
void conv_transpose2d_backward_data(const ConvGeometry& g, const float* dy, const float* w, float* dx);
void conv_transpose2d_backward_weights(const ConvGeometry& g, const float* x, const float* dy,
                                       float* dw, float* dbias, const ActivationGradient* activation = nullptr);

// Whether oneDNN can express this transposed convolution: its right padding pad - output_padding
// must stay above -stride, which fails only when output_padding >= stride + pad (possible in
// PyTorch when dilation > stride).
bool conv_transpose2d_supported(const ConvGeometry& g);

// The kernels oneDNN picks for `g` (forward, backward data, backward weights), e.g.
// "fwd gemm:jit, bwd_d gemm:jit, bwd_w gemm:jit", for logs and `aekit info --system`.
std::string conv2d_description(const ConvGeometry& g);
std::string conv_transpose2d_description(const ConvGeometry& g);

}  // namespace aekit::cpu
