#include <aekit/layers/layer_spec.h>

#include <aekit/core/error.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace aekit {

namespace {

const nlohmann::json& required(const LayerSpec& spec, const std::string& key) {
  auto it = spec.options.find(key);
  if (it == spec.options.end()) fail("layer ", spec.kind, ": missing option '", key, "'");
  return *it;
}

int64_t as_integer(const LayerSpec& spec, const std::string& key, const nlohmann::json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15) return static_cast<int64_t>(d);
  }
  fail("layer ", spec.kind, ": option '", key, "' must be an integer, got ", v.dump());
}

double as_number(const LayerSpec& spec, const std::string& key, const nlohmann::json& v) {
  if (v.is_number() && std::isfinite(v.get<double>())) return v.get<double>();
  fail("layer ", spec.kind, ": option '", key, "' must be a finite number, got ", v.dump());
}

std::string trim(std::string s) {
  auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), space));
  s.erase(std::find_if_not(s.rbegin(), s.rend(), space).base(), s.end());
  return s;
}

nlohmann::json text_value(const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  int64_t i = 0;
  auto [iend, iec] = std::from_chars(text.data(), text.data() + text.size(), i);
  if (iec == std::errc() && iend == text.data() + text.size()) return i;
  double d = 0;
  auto [dend, dec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (dec == std::errc() && dend == text.data() + text.size()) return d;
  return text;
}

bool valid_name(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-' || c == '.';
  });
}

}  // namespace

int64_t LayerSpec::integer(const std::string& key) const { return as_integer(*this, key, required(*this, key)); }
int64_t LayerSpec::integer(const std::string& key, int64_t fallback) const {
  return options.contains(key) ? integer(key) : fallback;
}
double LayerSpec::number(const std::string& key) const { return as_number(*this, key, required(*this, key)); }
double LayerSpec::number(const std::string& key, double fallback) const {
  return options.contains(key) ? number(key) : fallback;
}
std::string LayerSpec::text(const std::string& key, const std::string& fallback) const {
  auto it = options.find(key);
  if (it == options.end()) return fallback;
  if (!it->is_string()) fail("layer ", kind, ": option '", key, "' must be text, got ", it->dump());
  return it->get<std::string>();
}
bool LayerSpec::flag(const std::string& key, bool fallback) const {
  auto it = options.find(key);
  if (it == options.end()) return fallback;
  if (!it->is_boolean()) fail("layer ", kind, ": option '", key, "' must be true or false, got ", it->dump());
  return it->get<bool>();
}

void LayerSpec::check_options(const std::vector<std::string>& known) const {
  for (const auto& [key, value] : options.items())
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string list;
      for (const auto& k : known) {
        if (!list.empty()) list += ", ";
        list += k;
      }
      fail("layer ", kind, ": unknown option '", key, "' (", kind, " takes ", list.empty() ? "none" : list, ")");
    }
}

nlohmann::json LayerSpec::to_json() const {
  nlohmann::json j = options;
  j["kind"] = kind;
  return j;
}

LayerSpec LayerSpec::from_json(const nlohmann::json& j) {
  if (!j.is_object()) fail("a layer must be a JSON object, got ", j.dump());
  auto kind = j.find("kind");
  if (kind == j.end() || !kind->is_string()) fail("a layer has no \"kind\" text: ", j.dump());
  LayerSpec spec{kind->get<std::string>(), j};
  spec.options.erase("kind");
  return spec;
}

std::string LayerSpec::to_text() const {
  std::string s = kind + "(";
  bool first = true;
  for (const auto& [key, value] : options.items()) {
    if (!first) s += ", ";
    s += key;
    s += '=';
    s += value.is_string() ? value.get<std::string>() : value.dump();
    first = false;
  }
  return s + ")";
}

std::vector<LayerSpec> parse_layer_specs(const std::string& text, const std::string& what) {
  std::vector<LayerSpec> specs;
  size_t pos = 0;
  auto skip_separators = [&] {
    while (pos < text.size() && (std::isspace(static_cast<unsigned char>(text[pos])) || text[pos] == ';')) ++pos;
  };
  skip_separators();
  while (pos < text.size()) {
    const size_t open = text.find('(', pos);
    const size_t close = open == std::string::npos ? open : text.find(')', open);
    if (close == std::string::npos)
      fail(what, " '", text, "': expected layers such as dense(out=128, activation=relu)");
    LayerSpec spec{trim(text.substr(pos, open - pos)), nlohmann::json::object()};
    if (!valid_name(spec.kind)) fail(what, " '", text, "': '", spec.kind, "' is not a layer kind");
    const std::string inside = text.substr(open + 1, close - open - 1);
    size_t start = 0;
    while (start <= inside.size() && !trim(inside.substr(start)).empty()) {
      size_t comma = inside.find(',', start);
      if (comma == std::string::npos) comma = inside.size();
      const std::string item = inside.substr(start, comma - start);
      const size_t eq = item.find('=');
      const std::string key = eq == std::string::npos ? "" : trim(item.substr(0, eq));
      const std::string value = eq == std::string::npos ? "" : trim(item.substr(eq + 1));
      if (!valid_name(key) || value.empty())
        fail(what, ": layer ", spec.kind, ": '", trim(item), "' is not key=value");
      if (spec.options.contains(key)) fail(what, ": layer ", spec.kind, " sets '", key, "' twice");
      // The model file stores a layer as one JSON object whose "kind" is the layer's kind.
      if (key == "kind") fail(what, ": layer ", spec.kind, ": 'kind' is not an option name");
      spec.options[key] = text_value(value);
      start = comma + 1;
    }
    specs.push_back(std::move(spec));
    pos = close + 1;
    skip_separators();
  }
  if (specs.empty()) fail(what, ": no layers given");
  return specs;
}

std::string layer_specs_text(const std::vector<LayerSpec>& specs) {
  std::string s;
  for (const LayerSpec& spec : specs) {
    if (!s.empty()) s += ' ';
    s += spec.to_text();
  }
  return s;
}

}  // namespace aekit
