#include <aekit/layers/reshape.h>

#include <aekit/core/error.h>

namespace aekit {

Reshape::Reshape(int64_t in_features, const ImageShape& output)
    : SameBytesLayer("reshape", in_features), output_(output) {
  if (output.channels <= 0 || output.height <= 0 || output.width <= 0)
    fail("reshape to ", output.str(), ": every dimension must be positive");
  if (output.size() != in_features)
    fail("reshape to ", output.str(), ": ", in_features, " features cannot become ", output.str(), " = ",
         output.size(), " values");
}

namespace {

ImageShape reshape_output(const LayerSpec& spec) {
  spec.check_options({"channels", "height", "width"});
  const ImageShape out{spec.integer("channels"), spec.integer("height"), spec.integer("width")};
  for (int64_t d : {out.channels, out.height, out.width})
    if (d <= 0 || d > (int64_t{1} << 20)) fail("reshape to ", out.str(), ": every dimension must be in [1, 2^20]");
  return out;
}

}  // namespace

LayerPlan plan_reshape(const LayerSpec& spec, const Shape& in_shape) {
  const ImageShape out = reshape_output(spec);
  // Each dimension is at most 2^20: the product cannot overflow.
  if (out.size() != shape_size(in_shape))
    fail("reshape to ", out.str(), ": ", shape_size(in_shape), " features cannot become ", out.str(), " = ", out.size(),
         " values");
  return {{out.channels, out.height, out.width}, {}, {}};
}

BuiltLayer build_reshape(const LayerBuild& b) {
  const ImageShape out = reshape_output(b.spec);
  auto layer = std::make_unique<Reshape>(shape_size(b.in_shape), out);
  return {std::move(layer), {out.channels, out.height, out.width}};
}

}  // namespace aekit
