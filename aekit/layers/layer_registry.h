#pragma once
// The layer registry: from a LayerSpec to a built layer. Every kind has a builder, written in its
// layer's own file and listed once in layer_registry.cpp.
//
// To add a layer kind:
//   1. aekit/layers/<kind>.h/.cpp: the class (the Layer contract in layer.h), its planner
//        LayerPlan plan_<kind>(const LayerSpec& spec, const Shape& in_shape);
//      which checks the options (spec.check_options({...}) first) and answers the output shape
//      and the parameters' names and shapes without allocating anything, and its builder
//        BuiltLayer build_<kind>(const LayerBuild& b);
//      which builds the layer the plan describes (calling the planner for its sizes), initialises
//      parameters from b.init/b.rng, and returns the layer with its output shape per sample;
//   2. one line in layer_registry.cpp: {"<kind>", build_<kind>, plan_<kind>, "what it is, its options"},
//   3. its gradient check (tests/gradcheck), model-file round trip, and an example spec in
//      tests/unit/layer_plan_test.cpp (which fails for a registered kind it does not cover).
// The model file stores the spec; the model rebuilds the layer from it and then loads the
// parameters by name, so nothing else needs to change. A model file is untrusted: its layers are
// planned, and the plan compared with the stored tensors, before any layer is built (see
// ModelSpec::tensor_shapes), so a planner must never allocate by the sizes it is given and
// must reject sizes whose products overflow (aekit/core/checked_size.h). build_layer asserts that
// every built layer matches its plan.
#include <aekit/core/checked_size.h>
#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/layers/init.h>
#include <aekit/layers/layer.h>
#include <aekit/layers/layer_spec.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
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
  // Every layer built before this one, in order (previous is the last): for terms that read a run
  // of layers below them (the contractive penalty over a chain of dense layers).
  std::vector<Layer*> earlier;
};

// What a layer will be, computed from its spec and input shape alone.
struct LayerPlan {
  Shape out_shape;  // one sample
  // Its parameters as Layer::params() will list them: local names ("weight", "bias") and shapes;
  // and its buffers as Layer::buffers() will (BatchNorm2d's running statistics).
  std::vector<std::pair<std::string, Shape>> params;
  std::vector<std::pair<std::string, Shape>> buffers;
};

using LayerPlanner = LayerPlan (*)(const LayerSpec& spec, const Shape& in_shape);

struct BuiltLayer {
  std::unique_ptr<Layer> layer;
  Shape out_shape;  // one sample
};

using LayerBuilder = BuiltLayer (*)(const LayerBuild&);

struct LayerKind {
  std::string kind;
  LayerBuilder build;
  LayerPlanner plan;
  std::string help;
};

const std::vector<LayerKind>& layer_kinds();
// InputError naming the kind and the valid ones when it is unknown, or the builder's error.
BuiltLayer build_layer(const LayerBuild& b);
// The kind's plan for this input; InputError as build_layer would give, without allocating.
LayerPlan plan_layer(const LayerSpec& spec, const Shape& in_shape);

// Initialises a layer's weight and bias (bias may be empty) by the spec's init/init_sigma options,
// or the model's defaults (layers/init.h).
void initialize_layer_weights(const LayerBuild& b, Tensor& weight, Tensor& bias);
// For planners of layers with weights: InputError on a bad init or init_sigma option (an
// init_sigma outside the float range would be undefined behaviour when narrowed).
void check_init_options(const LayerSpec& spec);

// Elements per sample of a shape that has been checked (plan_layer's and the model's shapes are).
inline int64_t shape_size(const Shape& s) {
  const std::optional<uint64_t> n = checked_product(s);
  AEKIT_ASSERT(n.has_value(), "unchecked shape ", shape_string(s));
  return static_cast<int64_t>(*n);
}

}  // namespace aekit
