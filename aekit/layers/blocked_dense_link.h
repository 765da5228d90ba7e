#pragma once
// A dense layer beside a convolution reads (or writes) the image in the convolution's blocked
// layout, so that no reorder to NCHW and back runs between them. In the reference model
// (conv32k3s2p1, flatten, dense32 ... dense1568, reshape32x7x7, convt16k3s2p1o1) that saves six
// reorders of a 128 x 1568 batch a step: the encoder's last convolution reorders its output, and
// twice its output's gradient (backward data and backward weights each), to NCHW; the decoder's
// first transposed convolution its input twice (forward, backward weights) and its input
// gradient once. The dense layer instead permutes its 50 K weights (dense.h): a blocked image is
// a permutation of the NCHW one, sample by sample, so x_blocked W_permuted^T = x W^T.
#include <aekit/core/image_shape.h>
#include <aekit/layers/layer.h>

#include <cstdint>
#include <vector>

namespace aekit {

// The column of each NCHW feature (c, h, w), in order, within one sample of the blocked layout
// (cpu::ImageLayout::Blocked): channels in groups of the block, each group's pixels in turn, the
// group's channels innermost. `image` must have a channel count that can be blocked.
std::vector<int64_t> blocked_image_positions(const ImageShape& image);

// When `producer` is a convolution whose output `consumer`, a dense layer, reads next (or
// `producer` a dense layer whose output the convolution `consumer` reads next), with only
// flatten/reshape between them (they do not run inside a network), and the image's channels can
// be blocked: from now on the convolution passes the image (and takes its gradient) blocked and
// the dense layer reads or writes its features at their blocked positions. Returns whether they
// do. As for link_blocked_images (conv_layer.h), nobody else may read that image: the network
// links only within one half, never the code, and never under a contractive penalty, which reads
// a dense layer's input in the features' own order.
bool link_blocked_dense(Layer& producer, Layer& consumer);

}  // namespace aekit
