#pragma once
// The dense shorthand: today's flags (--arch 784-128-64, --decoder, --activation,
// --code-activation, --output-activation, --dropout) describe a stack of dense layers. to_spec()
// expands them into the layer list a ModelSpec holds. Model files written before layer specs
// stored this struct's JSON ("type": "dense_autoencoder"); from_json still reads it.
#include <aekit/models/model_spec.h>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace aekit {

struct DenseArch {
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

  // dense(out=...) layers with dropout(p=...) after each hidden one, as the flags mean.
  ModelSpec to_spec() const;
  // The legacy architecture JSON ("type": "dense_autoencoder").
  static DenseArch from_json(const nlohmann::json& j, const std::string& source);
};

// "784-128-64" -> {784, 128, 64}; InputError naming `what` on a malformed list.
std::vector<int64_t> parse_sizes(const std::string& text, const std::string& what);
std::string sizes_string(const std::vector<int64_t>& sizes);

}  // namespace aekit
