#pragma once
// What defines an autoencoder's shape: layer sizes, activations, dropout, initialisation.
// It is stored in the model file's metadata as JSON, so a model file rebuilds its own network.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace aekit {

struct ModelSpec {
  std::vector<int64_t> encoder;  // input, hidden..., code: "784-128-64"
  std::vector<int64_t> decoder;  // code, hidden..., output; empty = mirror of the encoder
  std::string activation = "sigmoid";         // after every hidden layer, the code layer included
  std::string code_activation;                // empty = `activation`
  std::string output_activation = "sigmoid";  // after the last layer
  float dropout = 0.0f;                       // after each hidden activation (not code, not output)
  std::string init = "pytorch";
  float init_sigma = 0.1f;  // for init = normal

  // The decoder as used: `decoder`, or the encoder reversed when it is empty.
  std::vector<int64_t> decoder_sizes() const;
  int64_t input_size() const { return encoder.front(); }
  int64_t code_size() const { return encoder.back(); }
  // Throws InputError when sizes or names are invalid.
  void validate() const;

  nlohmann::json to_json() const;
  static ModelSpec from_json(const nlohmann::json& j, const std::string& source);
};

// "784-128-64" -> {784, 128, 64}; InputError naming `what` on a malformed list.
std::vector<int64_t> parse_sizes(const std::string& text, const std::string& what);
std::string sizes_string(const std::vector<int64_t>& sizes);

}  // namespace aekit
