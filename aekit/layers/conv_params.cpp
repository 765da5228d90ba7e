#include <aekit/layers/conv_params.h>

#include <aekit/core/error.h>
#include <aekit/layers/activation.h>
#include <aekit/layers/image_spec.h>

namespace aekit {

namespace {

void check_settings(const ConvParams& p, const std::string& layer) {
  if (p.in_channels <= 0 || p.out_channels <= 0)
    fail(p.describe(layer), ": channel counts must be positive");
  if (p.kernel.h <= 0 || p.kernel.w <= 0) fail(p.describe(layer), ": kernel must be positive");
  if (p.stride.h <= 0 || p.stride.w <= 0) fail(p.describe(layer), ": stride must be positive");
  if (p.padding.h < 0 || p.padding.w < 0) fail(p.describe(layer), ": padding must not be negative");
  if (p.dilation.h <= 0 || p.dilation.w <= 0) fail(p.describe(layer), ": dilation must be positive");
  if (p.output_padding.h < 0 || p.output_padding.w < 0)
    fail(p.describe(layer), ": output_padding must not be negative");
}

void check_input(const ConvParams& p, const ImageShape& in, const std::string& layer) {
  if (in.channels != p.in_channels)
    fail(p.describe(layer), ": input ", in.str(), " has ", in.channels, " channels, the layer expects ",
         p.in_channels);
  if (in.height <= 0 || in.width <= 0) fail(p.describe(layer), ": input ", in.str(), " is empty");
}

int64_t span(int64_t kernel, int64_t dilation) { return dilation * (kernel - 1) + 1; }

}  // namespace

std::string ConvParams::describe(const std::string& layer) const {
  std::string s = layer + "(" + std::to_string(in_channels) + "->" + std::to_string(out_channels) +
                  ", kernel " + kernel.str();
  if (!(stride == Extent2{1})) s += ", stride " + stride.str();
  if (!(padding == Extent2{0})) s += ", padding " + padding.str();
  if (!(output_padding == Extent2{0})) s += ", output_padding " + output_padding.str();
  if (!(dilation == Extent2{1})) s += ", dilation " + dilation.str();
  if (!bias) s += ", no bias";
  if (activation != Activation::Identity) s += ", " + activation_name(activation);
  return s + ")";
}

ImageShape conv2d_output_shape(const ConvParams& p, const ImageShape& in) {
  const std::string layer = "conv2d";
  check_settings(p, layer);
  if (!(p.output_padding == Extent2{0})) fail(p.describe(layer), ": output_padding is for transposed convolutions");
  check_input(p, in, layer);
  const int64_t padded_h = in.height + 2 * p.padding.h, padded_w = in.width + 2 * p.padding.w;
  const int64_t span_h = span(p.kernel.h, p.dilation.h), span_w = span(p.kernel.w, p.dilation.w);
  if (padded_h < span_h || padded_w < span_w)
    fail(p.describe(layer), ": input ", in.str(), " padded to ", padded_h, "x", padded_w,
         " is smaller than the dilated kernel ", span_h, "x", span_w);
  return {p.out_channels, (padded_h - span_h) / p.stride.h + 1, (padded_w - span_w) / p.stride.w + 1};
}

ImageShape conv_transpose2d_output_shape(const ConvParams& p, const ImageShape& in) {
  const std::string layer = "conv_transpose2d";
  check_settings(p, layer);
  check_input(p, in, layer);
  // PyTorch's rule: output_padding is smaller than the stride or the dilation.
  if ((p.output_padding.h >= p.stride.h && p.output_padding.h >= p.dilation.h) ||
      (p.output_padding.w >= p.stride.w && p.output_padding.w >= p.dilation.w))
    fail(p.describe(layer), ": output_padding must be smaller than either the stride or the dilation");
  const int64_t out_h = (in.height - 1) * p.stride.h - 2 * p.padding.h + span(p.kernel.h, p.dilation.h) +
                        p.output_padding.h;
  const int64_t out_w = (in.width - 1) * p.stride.w - 2 * p.padding.w + span(p.kernel.w, p.dilation.w) +
                        p.output_padding.w;
  if (out_h <= 0 || out_w <= 0)
    fail(p.describe(layer), ": input ", in.str(), " gives an empty output ", out_h, "x", out_w);
  const ImageShape out{p.out_channels, out_h, out_w};
  if (!cpu::conv_transpose2d_supported(conv_geometry(p, in, out, 1)))
    fail(p.describe(layer), ": output_padding at least stride + padding is not supported (oneDNN "
         "cannot express it); raise the padding or the stride");
  return out;
}

cpu::ConvGeometry conv_geometry(const ConvParams& p, const ImageShape& in, const ImageShape& out, int64_t n) {
  cpu::ConvGeometry g;
  g.batch = n;
  g.in_channels = in.channels, g.in_h = in.height, g.in_w = in.width;
  g.out_channels = out.channels, g.out_h = out.height, g.out_w = out.width;
  g.kernel_h = p.kernel.h, g.kernel_w = p.kernel.w;
  g.stride_h = p.stride.h, g.stride_w = p.stride.w;
  g.pad_h = p.padding.h, g.pad_w = p.padding.w;
  g.dilation_h = p.dilation.h, g.dilation_w = p.dilation.w;
  return g;
}

ConvParams conv_params_from_spec(const LayerSpec& spec, int64_t in_channels) {
  std::vector<std::string> known{"out", "kernel", "stride", "padding", "dilation", "bias", "activation", "init",
                                 "init_sigma"};
  if (spec.kind == "conv_transpose2d") known.push_back("output_padding");
  spec.check_options(known);
  ConvParams p;
  p.in_channels = in_channels;
  p.out_channels = spec.integer("out");
  if (p.out_channels <= 0 || p.out_channels > (int64_t{1} << 16))
    fail("layer ", spec.kind, ": out must be in [1, 65536], got ", p.out_channels);
  if (!spec.options.contains("kernel")) fail("layer ", spec.kind, ": missing option 'kernel'");
  p.kernel = extent_option(spec, "kernel", p.kernel);
  p.stride = extent_option(spec, "stride", p.stride);
  p.padding = extent_option(spec, "padding", p.padding);
  p.output_padding = extent_option(spec, "output_padding", p.output_padding);
  p.dilation = extent_option(spec, "dilation", p.dilation);
  p.bias = spec.flag("bias", p.bias);
  p.activation = parse_activation(spec.text("activation", "identity"));
  return p;
}

}  // namespace aekit
