#include <aekit/models/conv_arch.h>

#include <aekit/core/error.h>
#include <aekit/layers/activation.h>
#include <aekit/layers/conv_params.h>
#include <aekit/layers/image_spec.h>
#include <aekit/layers/layer_registry.h>
#include <aekit/models/autoencoder.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <sstream>

namespace aekit {

namespace {

const std::regex kConv(R"((conv|convt)(\d+)((?:[kspdo]\d+)*))");
const std::regex kSetting(R"(([kspdo])(\d+))");
const std::regex kDense(R"(dense(\d+))");
const std::regex kPool(R"(maxpool(\d+)((?:[sp]\d+)*))");
const std::regex kUpsample(R"((up|bilinear)(\d+))");
const std::regex kReshape(R"(reshape(\d+)x(\d+)x(\d+))");
const std::regex kDropout(R"(dropout(0?\.\d+|0|1))");

LayerSpec spec(const std::string& kind, nlohmann::json options = nlohmann::json::object()) {
  LayerSpec s;
  s.kind = kind;
  s.options = std::move(options);
  return s;
}

int64_t number(const std::string& digits, const std::string& what, const std::string& token) {
  if (digits.size() > 6) fail(what, ": '", token, "': ", digits, " is too large");
  return std::stoll(digits);
}

LayerSpec conv_token(const std::smatch& m, const std::string& what, const std::string& token) {
  const bool transposed = m[1] == "convt";
  nlohmann::json o{{"out", number(m[2], what, token)}};
  const std::string settings = m[3];
  std::string seen;
  for (std::sregex_iterator it(settings.begin(), settings.end(), kSetting), end; it != end; ++it) {
    const char letter = (*it)[1].str()[0];
    if (seen.find(letter) != std::string::npos) fail(what, ": '", token, "' gives ", letter, " twice");
    seen += letter;
    const int64_t v = number((*it)[2], what, token);
    switch (letter) {
      case 'k': o["kernel"] = v; break;
      case 's': o["stride"] = v; break;
      case 'p': o["padding"] = v; break;
      case 'd': o["dilation"] = v; break;
      case 'o':
        if (!transposed) fail(what, ": '", token, "': output padding (o) is for convt");
        o["output_padding"] = v;
        break;
    }
  }
  if (!o.contains("kernel")) fail(what, ": '", token, "' needs a kernel size, e.g. ", m[1].str(), m[2].str(), "k3");
  return spec(transposed ? "conv_transpose2d" : "conv2d", o);
}

bool is_activation(const std::string& token) {
  const auto names = activation_names();
  return std::find(names.begin(), names.end(), token) != names.end();
}

std::vector<std::string> split_tokens(const std::string& text) {
  std::vector<std::string> tokens;
  std::string token;
  std::istringstream in(text);
  while (std::getline(in, token, ',')) {
    token.erase(std::remove_if(token.begin(), token.end(), [](unsigned char c) { return std::isspace(c); }),
                token.end());
    std::transform(token.begin(), token.end(), token.begin(), [](unsigned char c) { return std::tolower(c); });
    tokens.push_back(token);
  }
  return tokens;
}

bool has_activation_option(const LayerSpec& s) {
  return s.kind == "conv2d" || s.kind == "conv_transpose2d" || s.kind == "dense";
}

// The input shape of each encoder layer, from building them through the layer registry (so the
// shapes are the network's own, and a layer that does not fit fails here as it would in the
// network, with the same message).
std::vector<Shape> input_shapes(const std::vector<LayerSpec>& encoder, const Shape& input_shape) {
  std::vector<Shape> shapes;
  std::vector<std::unique_ptr<Layer>> built;
  Rng rng(0);
  Shape shape = input_shape;
  for (size_t i = 0; i < encoder.size(); ++i) {
    shapes.push_back(shape);
    try {
      std::vector<Layer*> earlier;
      for (const auto& layer : built) earlier.push_back(layer.get());
      BuiltLayer b = build_layer({encoder[i], shape, Init::PyTorch, 0.1f, rng, 1.0,
                                  [](const std::string&) -> Layer* { return nullptr; },
                                  built.empty() ? nullptr : built.back().get(), std::move(earlier)});
      shape = std::move(b.out_shape);
      built.push_back(std::move(b.layer));
    } catch (const InputError& e) {
      fail("encoder layer ", i + 1, " (", encoder[i].to_text(), "): ", e.what());
    }
  }
  return shapes;
}

}  // namespace

bool is_layer_token_list(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](unsigned char c) { return std::isalpha(c); });
}

std::vector<LayerSpec> parse_layer_tokens(const std::string& text, const std::string& what) {
  std::vector<LayerSpec> specs;
  for (const std::string& token : split_tokens(text)) {
    std::smatch m;
    if (token.empty()) fail(what, ": empty layer in '", text, "'");
    if (is_activation(token)) {
      if (specs.empty() || !has_activation_option(specs.back()) || specs.back().options.contains("activation"))
        fail(what, ": activation '", token, "' must follow a conv, convt or dense layer without one");
      specs.back().options["activation"] = token;
    } else if (std::regex_match(token, m, kConv)) {
      specs.push_back(conv_token(m, what, token));
    } else if (std::regex_match(token, m, kDense)) {
      specs.push_back(spec("dense", {{"out", number(m[1], what, token)}}));
    } else if (std::regex_match(token, m, kPool)) {
      nlohmann::json o{{"kernel", number(m[1], what, token)}};
      const std::string settings = m[2];
      for (std::sregex_iterator it(settings.begin(), settings.end(), kSetting), end; it != end; ++it)
        o[(*it)[1] == "s" ? "stride" : "padding"] = number((*it)[2], what, token);
      specs.push_back(spec("max_pool2d", o));
    } else if (std::regex_match(token, m, kUpsample)) {
      specs.push_back(spec("upsample", {{"scale", number(m[2], what, token)},
                                        {"mode", m[1] == "up" ? "nearest" : "bilinear"}}));
    } else if (std::regex_match(token, m, kReshape)) {
      specs.push_back(spec("reshape", {{"channels", number(m[1], what, token)},
                                       {"height", number(m[2], what, token)},
                                       {"width", number(m[3], what, token)}}));
    } else if (std::regex_match(token, m, kDropout)) {
      specs.push_back(spec("dropout", {{"p", std::stod(m[1])}}));
    } else if (token == "flatten") {
      specs.push_back(spec("flatten"));
    } else if (token == "bn") {
      specs.push_back(spec("batch_norm2d"));
    } else {
      fail(what, ": unknown layer '", token, "' (conv<C>k<K>[s<S>][p<P>][d<D>], convt<C>k<K>[s][p][o][d], "
           "dense<N>, maxpool<K>, up<S>, bilinear<S>, bn, flatten, reshape<C>x<H>x<W>, dropout<P>, "
           "or an activation)");
    }
  }
  if (specs.empty()) fail(what, ": no layers in '", text, "'");
  return specs;
}

std::vector<LayerSpec> mirror_decoder(const std::vector<LayerSpec>& encoder, const Shape& input_shape,
                                      const std::string& output_activation) {
  const std::vector<Shape> in_shapes = input_shapes(encoder, input_shape);  // of encoder layer i
  // The activation of the nearest weighted layer before layer i, or the output activation.
  auto activation_before = [&](size_t i) -> std::string {
    for (size_t j = i; j-- > 0;)
      if (has_activation_option(encoder[j])) return encoder[j].text("activation", "identity");
    return output_activation;
  };
  std::vector<LayerSpec> decoder;
  for (size_t i = encoder.size(); i-- > 0;) {
    const LayerSpec& s = encoder[i];
    const Shape& before = in_shapes[i];
    if (s.kind == "dense") {
      decoder.push_back(spec("dense", {{"out", shape_size(before)}, {"activation", activation_before(i)}}));
      if (before.size() == 3)
        decoder.push_back(spec("reshape", {{"channels", before[0]}, {"height", before[1]}, {"width", before[2]}}));
    } else if (s.kind == "flatten") {
      if (before.size() == 3)
        decoder.push_back(spec("reshape", {{"channels", before[0]}, {"height", before[1]}, {"width", before[2]}}));
    } else if (s.kind == "conv2d") {
      const ImageShape in = image_input(s, before);
      const ConvParams p = conv_params_from_spec(s, in.channels);
      const ImageShape out = conv2d_output_shape(p, in);
      // The transposed convolution's size before output_padding; the remainder restores `in`.
      const int64_t h = (out.height - 1) * p.stride.h - 2 * p.padding.h + p.dilation.h * (p.kernel.h - 1) + 1;
      const int64_t w = (out.width - 1) * p.stride.w - 2 * p.padding.w + p.dilation.w * (p.kernel.w - 1) + 1;
      nlohmann::json o = s.options;
      o["out"] = in.channels;
      o["activation"] = activation_before(i);
      if (in.height - h != in.width - w)
        o["output_padding"] = std::to_string(in.height - h) + "x" + std::to_string(in.width - w);
      else if (in.height != h)
        o["output_padding"] = in.height - h;
      decoder.push_back(spec("conv_transpose2d", o));
    } else if (s.kind == "max_pool2d") {
      decoder.push_back(spec("upsample", {{"height", before.at(1)}, {"width", before.at(2)}, {"mode", "nearest"}}));
    } else if (s.kind == "dropout" || s.kind == "batch_norm2d") {
      continue;
    } else {
      fail("cannot mirror ", s.kind, " layers; give the decoder with --decoder");
    }
  }
  return decoder;
}

Shape parse_input_shape(const std::string& text, const std::string& what) {
  Shape shape;
  std::istringstream in(text);
  std::string part;
  while (std::getline(in, part, 'x')) {
    if (part.empty() || part.size() > 9 || !std::all_of(part.begin(), part.end(), ::isdigit) || std::stoll(part) <= 0)
      fail(what, ": '", text, "' is not a shape such as 1x28x28 or 784");
    shape.push_back(std::stoll(part));
  }
  if (shape.size() != 1 && shape.size() != 3) fail(what, ": '", text, "' must be CxHxW or a feature count");
  return shape;
}

}  // namespace aekit
