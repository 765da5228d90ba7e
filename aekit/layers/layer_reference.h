#pragma once
// Layers that use another layer by name (tied_dense's tie=encoder.K shares that dense layer's
// weight) state what they need of it, so that a model description is checked before anything is
// built: the named layer must come earlier in the network, be of the stated kind and map the
// stated sizes. ModelSpec::tensor_shapes runs the check on every plan (the Autoencoder plans its
// spec before building it), so a model file whose tie names a missing layer, a convolution or a
// layer of other sizes is one clear error, never a half-built network.
//
// A kind that refers to other layers adds one line to the table in layer_reference.cpp.
#include <aekit/core/tensor.h>
#include <aekit/layers/layer_spec.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace aekit {

struct LayerReference {
  std::string option;  // the option naming it, "tie"
  std::string name;    // "encoder.0"
  std::string kind;    // the kind it must have, "dense"
  int64_t in = 0;      // the values per sample it must take and give
  int64_t out = 0;
};

// What a planned layer looks like to a layer referring to it.
struct NamedLayer {
  std::string kind;
  int64_t in = 0, out = 0;
};

// The references of a layer with this spec and input (none for most kinds); InputError on a bad
// option, as its planner would give.
std::vector<LayerReference> layer_references(const LayerSpec& spec, const Shape& in_shape);
// InputError naming the option and the layer unless every reference is to an earlier layer in
// `named` of the right kind and sizes.
void check_layer_references(const std::vector<LayerReference>& references, const std::map<std::string, NamedLayer>& named);

// tied_dense: its tie= layer is dense and maps out -> (this layer's input size).
std::vector<LayerReference> tied_dense_references(const LayerSpec& spec, const Shape& in_shape);

}  // namespace aekit
