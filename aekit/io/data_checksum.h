#pragma once
// The model file's integrity check: a CRC-32 (zlib's polynomial) of the whole data buffer, stored
// in the metadata as "data_crc32": eight lowercase hex digits. CRC-32 detects every error burst of
// up to 32 bits, so any single damaged byte of the tensor data is always caught. The entry is a
// plain metadata string: safetensors readers that do not know it still read the file, and files
// written before it existed (which lack it) still load.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace aekit {

inline constexpr const char* kDataChecksumKey = "data_crc32";

// The running CRC-32 of the bytes seen so far, `crc` being that of the bytes before (0 to start).
uint32_t crc32_update(uint32_t crc, const void* bytes, size_t count);

std::string checksum_text(uint32_t crc);                         // "0a1b2c3d"
std::optional<uint32_t> parse_checksum(const std::string& text);  // nullopt unless 8 hex digits

}  // namespace aekit
