#include <aekit/models/model_spec.h>

#include <aekit/core/checked_size.h>
#include <aekit/core/error.h>
#include <aekit/core/json_checked.h>
#include <aekit/layers/init.h>
#include <aekit/layers/layer_reference.h>
#include <aekit/layers/layer_registry.h>
#include <aekit/models/dense_arch.h>

#include <map>
#include <optional>

namespace aekit {

namespace {

std::vector<LayerSpec> layers_from_json(const nlohmann::json& j, const std::string& key) {
  if (!j.contains(key) || !j.at(key).is_array()) fail("architecture has no \"", key, "\" list of layers");
  if (j.at(key).size() > kMaxLayers)
    fail("architecture has ", j.at(key).size(), " ", key, " layers; at most ", kMaxLayers, " are supported");
  std::vector<LayerSpec> layers;
  for (const nlohmann::json& layer : j.at(key)) layers.push_back(LayerSpec::from_json(layer));
  return layers;
}

// Checked to be integers in range before any conversion (a float such as 1e300 must not be cast).
Shape dimensions_from_json(const nlohmann::json& v, const char* key) {
  if (!v.is_array() || v.size() > 3) fail("architecture '", key, "' is not a list of 1 to 3 dimensions");
  Shape shape;
  for (const nlohmann::json& d : v) {
    const std::optional<int64_t> dim = json_integer(d, 1, kMaxFeatures);
    if (!dim)
      fail("architecture '", key, "' has dimension ", d.dump(), "; dimensions must be integers in 1..", kMaxFeatures);
    shape.push_back(*dim);
  }
  return shape;
}

nlohmann::json layers_to_json(const std::vector<LayerSpec>& layers) {
  nlohmann::json list = nlohmann::json::array();
  for (const LayerSpec& layer : layers) list.push_back(layer.to_json());
  return list;
}

// Values per sample of a shape, or nullopt when a dimension is not positive or the product
// exceeds kMaxFeatures.
std::optional<int64_t> sample_size(const Shape& shape) {
  for (int64_t d : shape)
    if (d <= 0) return std::nullopt;
  const std::optional<uint64_t> n = checked_product(shape, static_cast<uint64_t>(kMaxFeatures));
  if (!n) return std::nullopt;
  return static_cast<int64_t>(*n);
}

}  // namespace

int64_t ModelSpec::input_size() const {
  const std::optional<int64_t> n = sample_size(input_shape);
  AEKIT_ASSERT(n.has_value(), "input_size() of an invalid input shape ", shape_string(input_shape));
  return *n;
}

void ModelSpec::validate() const {
  if (input_shape.empty() || input_shape.size() > 3) fail("input shape must have 1 to 3 dimensions");
  if (!sample_size(input_shape)) fail("input shape ", shape_string(input_shape), " is not a valid size");
  if (encoder.empty()) fail("the encoder has no layers");
  if (decoder.empty()) fail("the decoder has no layers");
  if (encoder.size() > kMaxLayers || decoder.size() > kMaxLayers)
    fail("the model has more than ", kMaxLayers, " layers in its encoder or decoder");
  parse_init(init);
  if (!checked_float(init_sigma)) fail("init_sigma ", init_sigma, " is not a finite float");
}

std::vector<std::pair<std::string, Shape>> ModelSpec::tensor_shapes() const {
  validate();
  std::vector<std::pair<std::string, Shape>> shapes, buffers;
  std::map<std::string, NamedLayer> named_layers;  // for the layers that refer to others (tie=)
  Shape shape = input_shape;
  // The naming rule of Autoencoder::add_half: k counts the layers of a half that have parameters
  // or buffers.
  int64_t activations = 0;  // values per sample of every layer's output so far
  auto add_half = [&](const std::vector<LayerSpec>& specs, const std::string& half) {
    int named = 0;
    for (size_t i = 0; i < specs.size(); ++i) {
      LayerPlan plan;
      try {
        plan = plan_layer(specs[i], shape);
        if (!sample_size(plan.out_shape))
          fail("output shape ", shape_string(plan.out_shape), " is not a valid size (at most ", kMaxFeatures,
               " values per sample)");
        activations += *sample_size(plan.out_shape);  // each term at most 2^28, at most 2048 terms: no overflow
        if (activations > kMaxActivationValues)
          fail("the layers' outputs so far add up to ", activations, " values per sample, more than the budget of ",
               kMaxActivationValues);
        for (const auto* list : {&plan.params, &plan.buffers})
          for (const auto& [name, tensor_shape] : *list)
            if (!checked_product(tensor_shape)) fail("tensor ", name, " has a shape whose size overflows");
        check_layer_references(layer_references(specs[i], shape), named_layers);
      } catch (const InputError& e) {
        fail(half, " layer ", i + 1, " (", specs[i].to_text(), "): ", e.what());
      }
      if (!plan.params.empty() || !plan.buffers.empty()) {
        const std::string name = half + "." + std::to_string(named++);
        named_layers[name] = {specs[i].kind, *sample_size(shape), *sample_size(plan.out_shape)};
        const std::string prefix = name + ".";
        for (auto& [name, s] : plan.params) shapes.emplace_back(prefix + name, std::move(s));
        for (auto& [name, s] : plan.buffers) buffers.emplace_back(prefix + name, std::move(s));
      }
      shape = std::move(plan.out_shape);
    }
  };
  add_half(encoder, "encoder");
  add_half(decoder, "decoder");
  if (*sample_size(shape) != input_size())
    fail("the decoder ends with ", *sample_size(shape), " values per sample but the input has ", input_size());
  shapes.insert(shapes.end(), buffers.begin(), buffers.end());
  return shapes;
}

nlohmann::json ModelSpec::to_json() const {
  return {{"type", "autoencoder"},
          {"input_shape", input_shape},
          {"init", init},
          {"init_sigma", init_sigma},
          {"encoder", layers_to_json(encoder)},
          {"decoder", layers_to_json(decoder)}};
}

ModelSpec ModelSpec::from_json(const nlohmann::json& j, const std::string& source) {
  if (!j.is_object() || !j.contains("type") || !j.at("type").is_string())
    fail(source, ": architecture metadata has no \"type\"");
  const std::string type = j.at("type").get<std::string>();
  if (type == "dense_autoencoder") return DenseArch::from_json(j, source).to_spec();
  if (type != "autoencoder") fail(source, ": unsupported model type '", type, "'");
  ModelSpec spec;
  try {
    spec.input_shape = dimensions_from_json(j.at("input_shape"), "input_shape");
    spec.init = j.at("init").get<std::string>();
    const std::optional<float> sigma = json_float(j.at("init_sigma"));
    if (!sigma) fail("architecture 'init_sigma' ", j.at("init_sigma").dump(), " is not a float");
    spec.init_sigma = *sigma;
    spec.encoder = layers_from_json(j, "encoder");
    spec.decoder = layers_from_json(j, "decoder");
    spec.validate();
  } catch (const nlohmann::json::exception& e) {
    fail(source, ": architecture metadata is malformed (", e.what(), ")");
  } catch (const InputError& e) {
    fail(source, ": ", e.what());
  }
  return spec;
}

}  // namespace aekit
