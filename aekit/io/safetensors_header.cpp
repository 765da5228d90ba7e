#include <aekit/io/safetensors_header.h>

#include <aekit/core/checked_size.h>
#include <aekit/core/error.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <set>

namespace aekit::io_detail {

namespace {

// ordered_json keeps the header's key order, so tensors that share an offset (empty ones) keep
// the order they were written in.
using json = nlohmann::ordered_json;

constexpr int kMaxDims = 4;  // Tensor's limit

const char* type_name(const json& value) {
  return value.is_number_integer() ? "an integer" : value.is_number() ? "a number" : value.type_name();
}

// nlohmann keeps the last of duplicate keys silently; a model with two tensors under one name is
// damaged, so duplicates are collected while parsing (one key set per open object).
json parse_rejecting_duplicates(std::string_view text, const std::string& source) {
  std::vector<std::set<std::string>> open_objects;
  std::string duplicate;
  auto watch = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) open_objects.emplace_back();
    if (event == json::parse_event_t::object_end) open_objects.pop_back();
    if (event == json::parse_event_t::key && !open_objects.back().insert(parsed.get<std::string>()).second &&
        duplicate.empty())
      duplicate = parsed.get<std::string>();
    return true;
  };
  json header;
  try {
    header = json::parse(text.begin(), text.end(), watch);
  } catch (const json::parse_error& e) {
    fail(source, ": not an aekit model file (safetensors header is not valid JSON: error at byte ",
         e.byte, " of the header)");
  } catch (const json::out_of_range&) {
    // A number such as 1E500 parses as JSON but overflows a double: nlohmann throws out_of_range,
    // which escaped as an internal error (exit 1) until the header-byte flip test found it.
    fail(source, ": not an aekit model file (safetensors header holds a number out of range)");
  }
  if (!duplicate.empty()) fail(source, ": duplicate key '", duplicate, "' in the safetensors header");
  return header;
}

std::map<std::string, std::string> parse_metadata(const json& value, const std::string& source) {
  if (!value.is_object())
    fail(source, ": __metadata__ is ", type_name(value), ", expected an object of strings");
  std::map<std::string, std::string> metadata;
  for (const auto& [key, item] : value.items()) {
    if (!item.is_string())
      fail(source, ": __metadata__ '", key, "' is ", type_name(item), ", expected a string");
    metadata.emplace(key, item.get<std::string>());
  }
  return metadata;
}

const json& field(const json& entry, const char* key, const std::string& name, const std::string& source) {
  auto it = entry.find(key);
  if (it == entry.end()) fail(source, ": tensor '", name, "' has no \"", key, "\"");
  return *it;
}

// A non-negative integer that fits in int64 (shapes) / uint64 (offsets) without wrapping.
uint64_t non_negative(const json& value, const std::string& what, const std::string& name,
                      const std::string& source) {
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  if (value.is_number_integer())
    fail(source, ": tensor '", name, "' has a negative ", what, " (", value.get<int64_t>(), ")");
  fail(source, ": tensor '", name, "' has a ", what, " that is ", type_name(value), ", expected an integer");
}

TensorEntry parse_entry(const std::string& name, const json& entry, const std::string& source) {
  if (!entry.is_object()) fail(source, ": tensor '", name, "' is ", type_name(entry), ", expected an object");
  const json& dtype = field(entry, "dtype", name, source);
  if (!dtype.is_string()) fail(source, ": tensor '", name, "' has a dtype that is ", type_name(dtype));
  if (dtype != "F32" && dtype != "I64")
    fail(source, ": tensor '", name, "' has dtype ", dtype.get<std::string>(), "; aekit reads F32 and I64 only");

  TensorEntry out{name, {}, dtype == "I64", 0, 0};
  const json& shape = field(entry, "shape", name, source);
  if (!shape.is_array()) fail(source, ": tensor '", name, "' has a shape that is ", type_name(shape));
  if (shape.size() > kMaxDims)
    fail(source, ": tensor '", name, "' has ", shape.size(), " dimensions; aekit tensors have at most ", kMaxDims);
  for (const json& d : shape) {
    const uint64_t dim = non_negative(d, "dimension", name, source);
    if (dim > kMaxSize) fail(source, ": tensor '", name, "' has a shape whose size overflows (dimension ", dim, ")");
    out.shape.push_back(static_cast<int64_t>(dim));
  }
  const std::optional<uint64_t> count = checked_product(out.shape);
  const std::optional<uint64_t> bytes = count ? checked_mul(*count, out.integer ? sizeof(int64_t) : sizeof(float)) : std::nullopt;
  if (!bytes) fail(source, ": tensor '", name, "' has a shape whose size overflows (", shape_string(out.shape), ")");

  const json& offsets = field(entry, "data_offsets", name, source);
  if (!offsets.is_array() || offsets.size() != 2)
    fail(source, ": tensor '", name, "' has data_offsets that are not [begin, end]");
  out.begin = non_negative(offsets[0], "data offset", name, source);
  out.end = non_negative(offsets[1], "data offset", name, source);
  if (out.end < out.begin || out.end - out.begin != *bytes)
    fail(source, ": tensor '", name, "' has shape ", shape_string(out.shape), " (", with_thousands(*bytes),
         " bytes) but data_offsets [", out.begin, ", ", out.end, "]");
  return out;
}

// Tensors must tile the buffer exactly: any gap, overlap or overhang means the header and the data
// disagree, and reading on would hand out garbage or read past the file.
void check_layout(const std::vector<TensorEntry>& tensors, uint64_t buffer_size, const std::string& source) {
  uint64_t described = 0;
  for (const TensorEntry& t : tensors) described = std::max(described, t.end);
  if (described > buffer_size)
    fail(source, ": truncated: header describes ", with_thousands(described), " bytes of tensor data, file has ",
         with_thousands(buffer_size));
  uint64_t expected = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const TensorEntry& t = tensors[i];
    if (t.begin < expected)
      fail(source, ": tensors '", tensors[i - 1].name, "' and '", t.name, "' overlap in the data buffer");
    if (t.begin > expected)
      fail(source, ": gap in the data buffer before tensor '", t.name, "' (bytes ", expected, " to ", t.begin, ")");
    expected = t.end;
  }
  if (described < buffer_size)
    fail(source, ": ", with_thousands(buffer_size - described), " unexpected bytes after the tensor data (header describes ",
         with_thousands(described), " bytes, file has ", with_thousands(buffer_size), ")");
}

}  // namespace

std::string with_thousands(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

SafetensorsHeader parse_safetensors_header(std::string_view text, uint64_t buffer_size, const std::string& source) {
  json header = parse_rejecting_duplicates(text, source);
  if (!header.is_object())
    fail(source, ": not an aekit model file (safetensors header is ", type_name(header), ", not a JSON object)");
  SafetensorsHeader out;
  for (const auto& [key, value] : header.items()) {
    if (key == "__metadata__")
      out.metadata = parse_metadata(value, source);
    else
      out.tensors.push_back(parse_entry(key, value, source));
  }
  // Buffer order is file order. An empty tensor shares its offset with the next one and must sort
  // before it, hence (begin, end); the stable sort keeps header order among empty tensors.
  std::stable_sort(out.tensors.begin(), out.tensors.end(), [](const TensorEntry& a, const TensorEntry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  check_layout(out.tensors, buffer_size, source);
  return out;
}

}  // namespace aekit::io_detail
