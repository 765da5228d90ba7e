#pragma once
// The compact architecture syntax for image autoencoders, as `--arch` and `--decoder` take it
// when the list holds layer tokens rather than sizes:
//   --input-shape 1x28x28 --arch conv16k3s2p1,relu,conv32k3s2p1,relu,flatten,dense32
// Tokens, separated by commas:
//   conv<C>k<K>[s<S>][p<P>][d<D>]          Conv2d to C channels: kernel K, stride S (1),
//                                          padding P (0), dilation D (1)
//   convt<C>k<K>[s<S>][p<P>][o<O>][d<D>]   ConvTranspose2d, output_padding O (0)
//   dense<N>                               Linear to N units (flattens an image)
//   maxpool<K>[s<S>][p<P>]                 MaxPool2d (stride defaults to K)
//   up<S>, bilinear<S>                     Upsample by S, nearest or bilinear
//   bn                                     BatchNorm2d
//   flatten, reshape<C>x<H>x<W>            image <-> vector
//   dropout<P>                             Dropout with probability P
//   relu, sigmoid, tanh, ...               the activation of the conv, convt or dense before it
// Each token becomes one LayerSpec (layer_spec.h), the same description `--encoder-layers` takes.
//
// Without --decoder the decoder mirrors the encoder: dense -> dense back to the size before it
// (then reshape when that was an image), flatten -> reshape, conv -> convt with the
// output_padding that restores the size exactly, maxpool -> nearest upsampling to the size before
// it (dropout and bn are not mirrored). Each mirrored conv or dense gets the activation of the
// encoder layer before its original, and the last one `output_activation`, so the reference
// encoder above mirrors to dense1568,relu,reshape32x7x7,convt16k3s2p1o1,relu,convt1k3s2p1o1,sigmoid.
#include <aekit/core/tensor.h>
#include <aekit/layers/layer_spec.h>

#include <string>
#include <vector>

namespace aekit {

// True when `text` is in this syntax (a layer token such as "conv16k3") rather than the dense
// shorthand's sizes ("784-128-64").
bool is_layer_token_list(const std::string& text);

// InputError naming `what` ("--arch") and the token when one does not parse.
std::vector<LayerSpec> parse_layer_tokens(const std::string& text, const std::string& what);

// The mirrored decoder of `encoder` applied to samples of `input_shape` ({C, H, W} or {F}).
// InputError when a layer cannot be mirrored (the message suggests --decoder).
std::vector<LayerSpec> mirror_decoder(const std::vector<LayerSpec>& encoder, const Shape& input_shape,
                                      const std::string& output_activation);

// "1x28x28" -> {1, 28, 28}; "784" -> {784}. InputError naming `what`.
Shape parse_input_shape(const std::string& text, const std::string& what);

}  // namespace aekit
