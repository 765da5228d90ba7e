#include <aekit/models/model_spec.h>

#include <aekit/core/error.h>
#include <aekit/layers/init.h>
#include <aekit/models/dense_arch.h>

namespace aekit {

namespace {

constexpr int64_t kMaxFeatures = int64_t{1} << 28;

std::vector<LayerSpec> layers_from_json(const nlohmann::json& j, const std::string& key) {
  if (!j.contains(key) || !j.at(key).is_array()) fail("architecture has no \"", key, "\" list of layers");
  std::vector<LayerSpec> layers;
  for (const nlohmann::json& layer : j.at(key)) layers.push_back(LayerSpec::from_json(layer));
  return layers;
}

nlohmann::json layers_to_json(const std::vector<LayerSpec>& layers) {
  nlohmann::json list = nlohmann::json::array();
  for (const LayerSpec& layer : layers) list.push_back(layer.to_json());
  return list;
}

}  // namespace

int64_t ModelSpec::input_size() const {
  int64_t n = 1;
  for (int64_t d : input_shape) n *= d;
  return n;
}

void ModelSpec::validate() const {
  if (input_shape.empty() || input_shape.size() > 3) fail("input shape must have 1 to 3 dimensions");
  int64_t n = 1;
  for (int64_t d : input_shape) {
    if (d <= 0 || d > kMaxFeatures / n) fail("input shape ", shape_string(input_shape), " is not a valid size");
    n *= d;
  }
  if (encoder.empty()) fail("the encoder has no layers");
  if (decoder.empty()) fail("the decoder has no layers");
  parse_init(init);
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
    spec.input_shape = j.at("input_shape").get<Shape>();
    spec.init = j.at("init").get<std::string>();
    spec.init_sigma = j.at("init_sigma").get<float>();
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
