#pragma once
// LayerSpec: one layer of a model description, a kind ("dense", "dropout", ...) and its options.
// A model file stores the list of them; the layer registry (layer_registry.h) builds layers from
// them. Two spellings:
//   JSON (the model file)   {"kind": "dense", "out": 128, "activation": "relu"}
//   text (flags, configs)   dense(out=128, activation=relu)
// Text values are numbers when they parse as numbers, true/false as booleans, text otherwise.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace aekit {

struct LayerSpec {
  std::string kind;
  nlohmann::json options = nlohmann::json::object();  // every key but "kind"

  // Typed option access; InputError naming the layer and the option on a missing or wrong value.
  int64_t integer(const std::string& key) const;
  int64_t integer(const std::string& key, int64_t fallback) const;
  double number(const std::string& key) const;
  double number(const std::string& key, double fallback) const;
  std::string text(const std::string& key, const std::string& fallback) const;
  bool flag(const std::string& key, bool fallback) const;
  // InputError when an option is not in `known` (catches typos such as "activaton").
  void check_options(const std::vector<std::string>& known) const;

  nlohmann::json to_json() const;
  static LayerSpec from_json(const nlohmann::json& j);  // InputError when malformed
  std::string to_text() const;
  bool operator==(const LayerSpec&) const = default;
};

// "dense(out=128, activation=relu) dropout(p=0.2)": layers separated by spaces or ';'.
std::vector<LayerSpec> parse_layer_specs(const std::string& text, const std::string& what);
std::string layer_specs_text(const std::vector<LayerSpec>& specs);

}  // namespace aekit
