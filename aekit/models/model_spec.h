#pragma once
// The model description: the shape of one input sample and two lists of layer specs, the encoder
// (input to code) and the decoder (code to output, which must have the input's size). The model
// file stores it as JSON and the Autoencoder rebuilds its network from it.
//   {"type": "autoencoder", "input_shape": [784], "init": "pytorch", "init_sigma": 0.1,
//    "encoder": [{"kind": "dense", "out": 128, "activation": "sigmoid"}, ...],
//    "decoder": [...]}
// Files written before layer specs hold the dense shorthand (DenseArch, "type":
// "dense_autoencoder"); from_json expands it into the same layers.
#include <aekit/core/tensor.h>
#include <aekit/layers/layer_spec.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace aekit {

struct ModelSpec {
  Shape input_shape;  // one sample: {features} or {channels, height, width}
  std::vector<LayerSpec> encoder;
  std::vector<LayerSpec> decoder;
  std::string init = "pytorch";  // default initialisation of layers with weights
  float init_sigma = 0.1f;       // for init = normal

  int64_t input_size() const;
  // InputError when the description is structurally invalid (layers are checked when built).
  void validate() const;
  nlohmann::json to_json() const;
  static ModelSpec from_json(const nlohmann::json& j, const std::string& source);
  bool operator==(const ModelSpec&) const = default;
};

}  // namespace aekit
