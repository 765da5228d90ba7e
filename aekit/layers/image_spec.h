#pragma once
// Reading the image layers' settings from a LayerSpec (layer_spec.h), shared by their builders:
// sizes given as one number (square) or as "HxW", and the image a layer is applied to.
#include <aekit/core/image_shape.h>
#include <aekit/layers/extent2.h>
#include <aekit/layers/layer_spec.h>

#include <string>

namespace aekit {

// The option `key` as an Extent2: a number (3) or text "HxW" ("3x5"); `fallback` when absent.
// InputError naming the layer and the option otherwise.
Extent2 extent_option(const LayerSpec& spec, const std::string& key, Extent2 fallback);

// The image (C x H x W) a layer of `spec` gets, from one sample's shape; InputError saying what to
// do when the samples are not images.
ImageShape image_input(const LayerSpec& spec, const Shape& sample_shape);

// {C, H, W}, the registry's shape of one sample.
inline Shape sample_shape(const ImageShape& s) { return {s.channels, s.height, s.width}; }

}  // namespace aekit
