#include <aekit/layers/layer_reference.h>

#include <aekit/core/checked_size.h>
#include <aekit/core/error.h>

namespace aekit {

namespace {

using ReferencePlanner = std::vector<LayerReference> (*)(const LayerSpec&, const Shape&);

// One line per kind that refers to other layers by name.
const std::map<std::string, ReferencePlanner>& reference_planners() {
  static const std::map<std::string, ReferencePlanner> planners = {
      {"tied_dense", tied_dense_references},
  };
  return planners;
}

}  // namespace

std::vector<LayerReference> layer_references(const LayerSpec& spec, const Shape& in_shape) {
  const auto it = reference_planners().find(spec.kind);
  return it == reference_planners().end() ? std::vector<LayerReference>{} : it->second(spec, in_shape);
}

void check_layer_references(const std::vector<LayerReference>& references, const std::map<std::string, NamedLayer>& named) {
  for (const LayerReference& r : references) {
    const auto it = named.find(r.name);
    if (it == named.end())
      fail(r.option, "=", r.name, " names no layer before this one (layers with parameters are named encoder.K and "
           "decoder.K, K counting from 0)");
    const NamedLayer& target = it->second;
    if (target.kind != r.kind) fail(r.option, "=", r.name, " is a ", target.kind, " layer; it must be a ", r.kind, " layer");
    if (target.in != r.in || target.out != r.out)
      fail(r.option, "=", r.name, " maps ", target.in, " -> ", target.out, " values, but this layer needs one that maps ", r.in,
           " -> ", r.out);
  }
}

std::vector<LayerReference> tied_dense_references(const LayerSpec& spec, const Shape& in_shape) {
  const std::optional<uint64_t> in = checked_product(in_shape);
  if (!in) fail("layer tied_dense: input shape ", shape_string(in_shape), " overflows");
  // The tied layer's transpose takes this layer's input and gives its output: the layer maps out -> in.
  return {{"tie", spec.text("tie", ""), "dense", spec.integer("out"), static_cast<int64_t>(*in)}};
}

}  // namespace aekit
