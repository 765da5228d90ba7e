#include <aekit/models/dense_arch.h>

#include <aekit/core/error.h>
#include <aekit/core/json_checked.h>
#include <aekit/layers/activation.h>
#include <aekit/layers/init.h>

#include <charconv>
#include <nlohmann/json.hpp>

namespace aekit {

std::vector<int64_t> parse_sizes(const std::string& text, const std::string& what) {
  std::vector<int64_t> sizes;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    int64_t v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || v <= 0 || v > (int64_t{1} << 24))
      fail(what, " '", text, "': expected sizes such as 784-128-64 (positive integers joined by '-')");
    sizes.push_back(v);
    p = next;
    if (p < end) {
      if (*p != '-' && *p != ',') fail(what, " '", text, "': unexpected '", *p, "' (join sizes with '-')");
      ++p;
      if (p == end) fail(what, " '", text, "' ends with a separator");
    }
  }
  if (sizes.size() < 2) fail(what, " '", text, "' needs at least two sizes (input and code)");
  return sizes;
}

std::string sizes_string(const std::vector<int64_t>& sizes) {
  std::string s;
  for (size_t i = 0; i < sizes.size(); ++i) s += (i ? "-" : "") + std::to_string(sizes[i]);
  return s;
}

std::vector<int64_t> DenseArch::decoder_sizes() const {
  if (!decoder.empty()) return decoder;
  return {encoder.rbegin(), encoder.rend()};
}

void DenseArch::validate() const {
  if (encoder.size() < 2) fail("architecture needs at least an input size and a code size");
  auto dec = decoder_sizes();
  if (dec.size() < 2) fail("decoder needs at least a code size and an output size");
  if (dec.front() != code_size())
    fail("decoder starts at ", dec.front(), " but the code has ", code_size(), " units");
  if (dec.back() != input_size())
    fail("decoder ends at ", dec.back(), " but the input has ", input_size(), " features");
  parse_activation(activation);
  if (!code_activation.empty()) parse_activation(code_activation);
  parse_activation(output_activation);
  parse_init(init);
  if (!(dropout >= 0.0f && dropout < 1.0f)) fail("dropout must be in [0, 1), got ", dropout);
}

ModelSpec DenseArch::to_spec() const {
  validate();
  ModelSpec spec;
  spec.input_shape = {input_size()};
  spec.init = init;
  spec.init_sigma = init_sigma;
  auto dense = [](int64_t out, const std::string& activation) {
    return LayerSpec{"dense", {{"out", out}, {"activation", activation}}};
  };
  auto dropout_after_hidden = [&](std::vector<LayerSpec>& layers) {
    if (dropout > 0.0f) layers.push_back({"dropout", {{"p", dropout}}});
  };
  for (size_t i = 1; i < encoder.size(); ++i) {
    const bool is_code = i + 1 == encoder.size();
    spec.encoder.push_back(dense(encoder[i], is_code && !code_activation.empty() ? code_activation : activation));
    if (!is_code) dropout_after_hidden(spec.encoder);
  }
  const auto dec = decoder_sizes();
  for (size_t i = 1; i < dec.size(); ++i) {
    const bool is_output = i + 1 == dec.size();
    spec.decoder.push_back(dense(dec[i], is_output ? output_activation : activation));
    if (!is_output) dropout_after_hidden(spec.decoder);
  }
  return spec;
}

namespace {

// A list of layer sizes, checked to be integers in range before any conversion, and at most as
// many as a model may have layers.
std::vector<int64_t> sizes_from_json(const nlohmann::json& j, const char* key, const std::string& source) {
  const nlohmann::json& v = j.at(key);
  if (!v.is_array()) fail(source, ": architecture '", key, "' is not a list of sizes");
  if (v.size() > kMaxLayers)
    fail(source, ": architecture '", key, "' has ", v.size(), " sizes; at most ", kMaxLayers, " are supported");
  std::vector<int64_t> sizes;
  for (const nlohmann::json& s : v) {
    const std::optional<int64_t> size = json_integer(s, 1, kMaxFeatures);
    if (!size) fail(source, ": architecture '", key, "' has size ", s.dump(), "; sizes must be integers in 1..", kMaxFeatures);
    sizes.push_back(*size);
  }
  return sizes;
}

float float_from_json(const nlohmann::json& j, const char* key, const std::string& source) {
  const std::optional<float> f = json_float(j.at(key));
  if (!f) fail(source, ": architecture '", key, "' is ", j.at(key).dump(), ", not a number in the float range");
  return *f;
}

}  // namespace

DenseArch DenseArch::from_json(const nlohmann::json& j, const std::string& source) {
  DenseArch spec;
  try {
    if (j.at("type").get<std::string>() != "dense_autoencoder")
      fail(source, ": unsupported model type '", j.at("type").get<std::string>(), "'");
    if (!j.is_object()) fail(source, ": architecture metadata is not a JSON object");
    spec.encoder = sizes_from_json(j, "encoder", source);
    spec.decoder = sizes_from_json(j, "decoder", source);
    spec.activation = j.at("activation").get<std::string>();
    spec.code_activation = j.at("code_activation").get<std::string>();
    spec.output_activation = j.at("output_activation").get<std::string>();
    spec.dropout = float_from_json(j, "dropout", source);
    spec.init = j.at("init").get<std::string>();
    spec.init_sigma = float_from_json(j, "init_sigma", source);
  } catch (const nlohmann::json::exception& e) {
    fail(source, ": architecture metadata is malformed (", e.what(), ")");
  }
  try {
    spec.validate();
  } catch (const InputError& e) {
    fail(source, ": ", e.what());
  }
  return spec;
}

}  // namespace aekit
