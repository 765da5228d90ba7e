#pragma once
// Numbers read from untrusted JSON (model metadata), checked before any conversion: nlohmann's
// get<int64_t>() of 1e300 or get<float>() of 1e300 narrows out of range, which is undefined
// behaviour, and an unsigned 2^64-1 would wrap to -1.
#include <aekit/core/checked_size.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace aekit {

// The integer `v` holds when it is an integer (not a float) in [lo, hi]; nullopt otherwise.
inline std::optional<int64_t> json_integer(const nlohmann::json& v, int64_t lo, int64_t hi) {
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    const auto i = static_cast<int64_t>(u);
    return i >= lo && i <= hi ? std::optional<int64_t>(i) : std::nullopt;
  }
  if (!v.is_number_integer()) return std::nullopt;
  const int64_t i = v.get<int64_t>();
  return i >= lo && i <= hi ? std::optional<int64_t>(i) : std::nullopt;
}

// The float `v` holds when it is a number in the float range; nullopt otherwise.
inline std::optional<float> json_float(const nlohmann::json& v) {
  if (!v.is_number()) return std::nullopt;
  return checked_float(v.get<double>());
}

// The floats of an array of numbers in the float range; nullopt when `v` is anything else.
inline std::optional<std::vector<float>> json_float_list(const nlohmann::json& v) {
  if (!v.is_array()) return std::nullopt;
  std::vector<float> out;
  out.reserve(v.size());
  for (const nlohmann::json& e : v) {
    const std::optional<float> f = json_float(e);
    if (!f) return std::nullopt;
    out.push_back(*f);
  }
  return out;
}

}  // namespace aekit
