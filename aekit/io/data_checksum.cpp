#include <aekit/io/data_checksum.h>

#include <zlib.h>

#include <algorithm>
#include <cstdio>

namespace aekit {

uint32_t crc32_update(uint32_t crc, const void* bytes, size_t count) {
  const auto* p = static_cast<const Bytef*>(bytes);
  uLong value = crc;
  while (count > 0) {  // zlib takes uInt lengths: feed tensors larger than 4 GiB in pieces
    const auto piece = static_cast<uInt>(std::min<size_t>(count, 1u << 30));
    value = crc32(value, p, piece);
    p += piece;
    count -= piece;
  }
  return static_cast<uint32_t>(value);
}

uint32_t header_checksum(const std::map<std::string, std::string>& metadata, const std::vector<TensorTableEntry>& tensors) {
  // Each field is followed by a NUL so that the boundaries count: "ab" + "c" and "a" + "bc" differ.
  uint32_t crc = 0;
  const auto field = [&crc](const std::string& text) {
    crc = crc32_update(crc, text.data(), text.size());
    crc = crc32_update(crc, "", 1);
  };
  for (const auto& [key, value] : metadata) {
    if (key == kDataChecksumKey || key == kHeaderChecksumKey) continue;
    field(key);
    field(value);
  }
  for (const TensorTableEntry& t : tensors) {
    field(t.name);
    field(t.integer ? "I64" : "F32");
    std::string dims;
    for (int64_t d : t.shape) dims += std::to_string(d) + ",";
    field(dims);
  }
  return crc;
}

std::string checksum_text(uint32_t crc) {
  char text[9];
  std::snprintf(text, sizeof(text), "%08x", static_cast<unsigned>(crc));
  return text;
}

std::optional<uint32_t> parse_checksum(const std::string& text) {
  if (text.size() != 8) return std::nullopt;
  uint32_t value = 0;
  for (char c : text) {
    uint32_t digit = 0;
    if (c >= '0' && c <= '9') digit = static_cast<uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f') digit = static_cast<uint32_t>(c - 'a' + 10);
    else return std::nullopt;
    value = value << 4 | digit;
  }
  return value;
}

}  // namespace aekit
