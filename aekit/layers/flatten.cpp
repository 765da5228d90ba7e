#include <aekit/layers/flatten.h>

#include <aekit/core/error.h>

namespace aekit {

Flatten::Flatten(const ImageShape& input) : SameBytesLayer("flatten", input.size()), input_(input) {
  if (input.channels <= 0 || input.height <= 0 || input.width <= 0)
    fail("flatten: input ", input.str(), " is empty");
}

LayerPlan plan_flatten(const LayerSpec& spec, const Shape& in_shape) {
  spec.check_options({});
  return {{shape_size(in_shape)}, {}, {}};
}

BuiltLayer build_flatten(const LayerBuild& b) {
  b.spec.check_options({});
  const int64_t n = shape_size(b.in_shape);
  const ImageShape in = b.in_shape.size() == 3 ? ImageShape{b.in_shape[0], b.in_shape[1], b.in_shape[2]}
                                               : ImageShape{n, 1, 1};
  return {std::make_unique<Flatten>(in), {n}};
}

}  // namespace aekit
