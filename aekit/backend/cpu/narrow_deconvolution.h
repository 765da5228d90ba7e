#pragma once
// The forward pass of a transposed convolution with few output channels (an image decoder's last
// layer: 1 channel for grey images, 3 for colour), computed here instead of by oneDNN. oneDNN 2.6
// has two ways for it and both waste most of their time: its direct kernels compute a whole
// channel block (16 channels on AVX-512) per output channel, and its im2col + GEMM kernel needs
// NCHW, so a channel-blocked input is reordered first (0.38 + 0.1 ms per batch of 128 for the
// reference model's 16x14x14 -> 1x28x28 layer, a tenth of its training step).
//
// Here the weights in PyTorch's (in, out, kh, kw) order are, per input channel, one row of
// out*kh*kw taps: each input pixel multiplies its channels (contiguous in the blocked layout) into
// all its taps at once, a vector multiply-add per input channel, and the taps are then added into
// the output pixels they land on, which the bias starts; the activation follows while the image
// is in cache. For that addition an input row's taps are stored transposed (each tap's values for
// the row's pixels side by side) and the output is built per phase (the columns of one remainder
// modulo the stride side by side, then interleaved into the image), so that each tap adds whole
// vectors where it added one float at a time at a stride (that was 42% of the kernel's time, now
// it is a few percent; bench/narrow_deconv_bench: 378-390 us against 429-514 us, runs
// interleaved, loaded machine). The order of the additions into each output value is unchanged. Each image is computed by one thread in a fixed order, so the result does not
// depend on the thread count. One parallel region in all, where oneDNN's way took four (the
// input's reorder, the deconvolution, the bias and the activation). CPU time per batch of the
// reference model's layer (bench/narrow_deconv_bench, 1 thread, runs interleaved on a loaded
// machine): 299-310 us here, 373-496 us oneDNN's way.
// On an NCHW input (channels strided) it was no faster than oneDNN's GEMM, so that case stays there.
#include <aekit/backend/cpu/convolution.h>

namespace aekit::cpu {

// Whether narrow_deconvolution_forward computes `g` (and is the faster choice): the input is
// channel-blocked, the output does not fill the channel blocks of this CPU, and
// out_channels * kernel_h * kernel_w is at most 64.
bool narrow_deconvolution_fits(const ConvGeometry& g);

// y = act(conv_transpose(x, w) + bias) for a geometry that fits; bias may be null.
void narrow_deconvolution_forward(const ConvGeometry& g, const float* x, const float* w, const float* bias,
                                  float* y, Activation act);

}  // namespace aekit::cpu
