#pragma once
// The model file's integrity check: a CRC-32 (zlib's polynomial) of the whole data buffer, stored
// in the metadata as "data_crc32": eight lowercase hex digits. CRC-32 detects every error burst of
// up to 32 bits, so any single damaged byte of the tensor data is always caught. The entry is a
// plain metadata string: safetensors readers that do not know it still read the file, and files
// written before it existed (which lack it) still load.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace aekit {

inline constexpr const char* kDataChecksumKey = "data_crc32";

// The header's check, "header_crc32": a CRC-32 of the metadata (every entry but the two
// checksums, in key order; the "checksums" list below included) and the tensor table (names, dtypes and shapes in file order; the
// offsets follow from them), so a damaged architecture or preprocessing entry is caught too. Files
// without it (written before it existed) still load.
inline constexpr const char* kHeaderChecksumKey = "header_crc32";

// Which checks the writer wrote, "checksums": "data_crc32 header_crc32". Without it a flipped byte
// in a checksum's key name ("data_crc33") would make the file read as one written before that check
// existed, silently unchecked. With it, a listed check that is missing is damage; and the entry is
// itself covered by the header's check, so a damaged entry (or its key) is caught there. Files
// without it (written before it existed) are checked by whichever checksums they hold, as before.
inline constexpr const char* kChecksumsKey = "checksums";
inline constexpr const char* kChecksumsWritten = "data_crc32 header_crc32";

struct TensorTableEntry {
  std::string name;
  bool integer = false;  // I64, else F32
  std::vector<int64_t> shape;
};

uint32_t header_checksum(const std::map<std::string, std::string>& metadata, const std::vector<TensorTableEntry>& tensors);

// The running CRC-32 of the bytes seen so far, `crc` being that of the bytes before (0 to start).
uint32_t crc32_update(uint32_t crc, const void* bytes, size_t count);

std::string checksum_text(uint32_t crc);                         // "0a1b2c3d"
std::optional<uint32_t> parse_checksum(const std::string& text);  // nullopt unless 8 hex digits

}  // namespace aekit
