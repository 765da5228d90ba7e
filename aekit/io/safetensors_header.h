#pragma once
// The JSON header of a safetensors file, validated. Internal to the model file reader; kept apart
// so that every rule about the header (types, dtypes, shapes, offsets) lives in one place.
#include <aekit/core/tensor.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace aekit::io_detail {

struct TensorEntry {
  std::string name;
  Shape shape;
  bool integer = false;  // dtype I64 (8 bytes a value), else F32
  uint64_t begin = 0;  // byte offsets relative to the start of the data buffer
  uint64_t end = 0;
};

struct SafetensorsHeader {
  std::map<std::string, std::string> metadata;
  std::vector<TensorEntry> tensors;  // in buffer order: contiguous, first at 0, last ends at the buffer end
};

// Parses `json` and checks it describes exactly `buffer_size` bytes of F32 and I64 tensor data. Throws a
// one-line InputError starting with `source` on any violation.
SafetensorsHeader parse_safetensors_header(std::string_view json, uint64_t buffer_size,
                                           const std::string& source);

// 1234567 -> "1,234,567": the byte counts in messages are easier to compare this way.
std::string with_thousands(uint64_t n);

}  // namespace aekit::io_detail
