#pragma once
// The layer registry: from a LayerSpec to a built layer. Every kind has a builder, written in its
// layer's own file and listed once in layer_registry.cpp.
//
// To add a layer kind:
//   1. aekit/layers/<kind>.h/.cpp: the class (the Layer contract in layer.h) and its builder
//        BuiltLayer build_<kind>(const LayerBuild& b);
//      which reads b.spec's options (b.spec.check_options({...}) first), sizes the layer from
//      b.in_shape, initialises parameters from b.init/b.rng, and returns the layer with its
//      output shape per sample;
//   2. one line in layer_registry.cpp: {"<kind>", build_<kind>, "what it is, its options"},
//   3. its gradient check (tests/gradcheck) and model-file round trip beside the others.
// The model file stores the spec; the model rebuilds the layer from it and then loads the
// parameters by name, so nothing else needs to change.
#include <aekit/core/rng.h>
#include <aekit/layers/init.h>
#include <aekit/layers/layer.h>
#include <aekit/layers/layer_spec.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aekit {

struct LayerBuild {
  const LayerSpec& spec;
  Shape in_shape;  // one sample: {features}, or {channels, height, width} for images
  Init init;       // the model's default initialisation (a layer option may override it)
  float init_sigma;
  Rng& rng;  // the model's generator: layers draw from it in order, so a seed fixes every weight
  // Loss terms are on the reconstruction loss's scale, which averages over the output's elements:
  // a term summed over a sample's units and averaged over the batch is multiplied by this
  // (1 / output features), so weights such as beta mean what they mean in the papers.
  double term_scale;
  // Layers already built, by name ("encoder.0"), for layers that share parameters (tied weights).
  std::function<Layer*(const std::string& name)> find;
  // The layer just before this one (null for the first), for terms that read its parameters.
  Layer* previous;
};

struct BuiltLayer {
  std::unique_ptr<Layer> layer;
  Shape out_shape;  // one sample
};

using LayerBuilder = BuiltLayer (*)(const LayerBuild&);

struct LayerKind {
  std::string kind;
  LayerBuilder build;
  std::string help;
};

const std::vector<LayerKind>& layer_kinds();
// InputError naming the kind and the valid ones when it is unknown, or the builder's error.
BuiltLayer build_layer(const LayerBuild& b);

// Initialises a layer's weight and bias (bias may be empty) by the spec's init/init_sigma options,
// or the model's defaults (layers/init.h).
void initialize_layer_weights(const LayerBuild& b, Tensor& weight, Tensor& bias);

inline int64_t shape_size(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

}  // namespace aekit
