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
#include <utility>
#include <vector>

namespace aekit {

// Caps on what a description may ask for, checked before anything is built: a model file is
// untrusted input and its architecture must not be able to request terabytes.
inline constexpr int64_t kMaxFeatures = int64_t{1} << 28;  // values per sample, at every layer
inline constexpr size_t kMaxLayers = 1024;                  // layers in the encoder or the decoder
// Every layer's output of one sample together (the activations a forward pass keeps): without this
// budget a file of weightless layers (upsample(scale=1) a thousand times) could ask for 2^28 values
// per layer per sample. Inference works in chunks of rows sized to the same budget (autoencoder.h).
inline constexpr int64_t kMaxActivationValues = int64_t{1} << 28;

struct ModelSpec {
  Shape input_shape;  // one sample: {features} or {channels, height, width}
  std::vector<LayerSpec> encoder;
  std::vector<LayerSpec> decoder;
  std::string init = "pytorch";  // default initialisation of layers with weights
  float init_sigma = 0.1f;       // for init = normal

  int64_t input_size() const;
  // InputError when the description is structurally invalid (layers are checked when built).
  void validate() const;
  // The name and shape of every tensor a model file of this network holds, from the layer
  // registry's planners: the parameters as Autoencoder::params() names and orders them
  // ("encoder.0.weight" [out, in], ...), then the buffers as Autoencoder::buffers() does
  // ("encoder.1.running_mean"). Nothing is allocated, so a model file's tensors are checked against
  // its architecture before the network is built. InputError as building would give.
  std::vector<std::pair<std::string, Shape>> tensor_shapes() const;
  nlohmann::json to_json() const;
  static ModelSpec from_json(const nlohmann::json& j, const std::string& source);
  bool operator==(const ModelSpec&) const = default;
};

}  // namespace aekit
