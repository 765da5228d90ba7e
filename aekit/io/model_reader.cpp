// read_model: the safetensors reader (layout in model_file.h).
#include <aekit/io/model_file.h>

#include <aekit/core/error.h>
#include <aekit/io/data_checksum.h>
#include <aekit/io/safetensors_header.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <algorithm>
#include <optional>
#include <sstream>
#include <vector>

namespace aekit {

namespace {

static_assert(std::endian::native == std::endian::little,
              "the data buffer is read straight into memory and must be little-endian");

// Headers beyond this are not models; it also caps what a damaged length field can make us allocate.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;

// Bytes from the current position to the end, so every length in the file can be checked against
// what is really there before anything is allocated or read.
uint64_t remaining_bytes(std::istream& in, const std::string& source) {
  const std::streampos start = in.tellg();
  in.seekg(0, std::ios::end);
  const std::streampos end = in.tellg();
  in.seekg(start);
  if (start < 0 || end < 0 || !in) fail(source, ": cannot read the model: the stream is not seekable or failed");
  return static_cast<uint64_t>(end - start);
}

void read_exactly(std::istream& in, char* out, uint64_t bytes, const std::string& source) {
  in.read(out, static_cast<std::streamsize>(bytes));
  if (static_cast<uint64_t>(in.gcount()) != bytes) fail(source, ": truncated: read failed at ", bytes, " bytes");
}

void check_finite(const NamedTensor& t, const std::string& source) {
  const std::span<const float> values = t.tensor.span();
  for (size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      fail(source, ": tensor '", t.name, "' holds ", values[i], " at element ", i, " (damaged or diverged model)");
}

}  // namespace

ModelFile read_model(std::istream& in, const std::string& source) {
  using io_detail::with_thousands;
  const uint64_t size = remaining_bytes(in, source);
  if (size < 8)
    fail(source, ": not an aekit model file (", size, " bytes, too short for the 8-byte safetensors header length)");
  uint64_t header_length = 0;
  read_exactly(in, reinterpret_cast<char*>(&header_length), 8, source);
  if (header_length > size - 8)
    fail(source, ": not an aekit model file (safetensors header length ", header_length,
         " exceeds the file size of ", with_thousands(size), " bytes)");
  if (header_length > kMaxHeaderBytes)
    fail(source, ": not an aekit model file (safetensors header length ", with_thousands(header_length),
         " exceeds the cap of ", with_thousands(kMaxHeaderBytes), " bytes)");
  std::string header_text(header_length, '\0');
  read_exactly(in, header_text.data(), header_length, source);
  const io_detail::SafetensorsHeader header =
      io_detail::parse_safetensors_header(header_text, size - 8 - header_length, source);

  // The checks the writer says it wrote must all be there: a damaged key name is not an old file.
  // Names it does not know (a newer writer's checks) are passed over; the list itself is covered
  // by the header's checksum.
  if (auto it = header.metadata.find(kChecksumsKey); it != header.metadata.end()) {
    std::istringstream names(it->second);
    for (std::string name; names >> name;)
      if ((name == kDataChecksumKey || name == kHeaderChecksumKey) && !header.metadata.count(name))
        fail(source, ": metadata lacks '", name, "', which its '", kChecksumsKey,
             "' entry says was written (damaged file)");
  }
  // Files written before the checksums existed have none and load as they did.
  if (auto it = header.metadata.find(kHeaderChecksumKey); it != header.metadata.end()) {
    const std::optional<uint32_t> stored = parse_checksum(it->second);
    if (!stored)
      fail(source, ": metadata '", kHeaderChecksumKey, "' is '", it->second, "', not 8 lowercase hex digits (damaged file)");
    std::vector<TensorTableEntry> table;
    for (const io_detail::TensorEntry& t : header.tensors) table.push_back({t.name, t.integer, t.shape});
    const uint32_t crc = header_checksum(header.metadata, table);
    if (crc != *stored)
      fail(source, ": the header (metadata or tensor table) is damaged (CRC-32 ", checksum_text(crc),
           ", the file's metadata says ", checksum_text(*stored), ")");
  }
  std::optional<uint32_t> stored_checksum;
  if (auto it = header.metadata.find(kDataChecksumKey); it != header.metadata.end()) {
    stored_checksum = parse_checksum(it->second);
    if (!stored_checksum)
      fail(source, ": metadata '", kDataChecksumKey, "' is '", it->second, "', not 8 lowercase hex digits (damaged file)");
  }

  ModelFile model;
  model.metadata = header.metadata;
  model.tensors.reserve(header.tensors.size());
  uint32_t crc = 0;
  for (const io_detail::TensorEntry& entry : header.tensors) {
    // The layout is contiguous and starts at 0 (checked), so the tensors are read in one pass.
    NamedTensor t{entry.name, Tensor(entry.shape), entry.integer};
    if (entry.integer) {
      // A count: int64 in the file (the header checked 8 bytes a value), float in memory.
      std::vector<int64_t> values(static_cast<size_t>(t.tensor.size()));
      read_exactly(in, reinterpret_cast<char*>(values.data()), entry.end - entry.begin, source);
      crc = crc32_update(crc, values.data(), entry.end - entry.begin);
      std::copy(values.begin(), values.end(), t.tensor.data());
    } else {
      read_exactly(in, reinterpret_cast<char*>(t.tensor.data()), entry.end - entry.begin, source);
      crc = crc32_update(crc, t.tensor.data(), entry.end - entry.begin);
    }
    model.tensors.push_back(std::move(t));
  }
  // Before the values are looked at: a damaged byte is named as damage, not as a NaN weight.
  if (stored_checksum && *stored_checksum != crc)
    fail(source, ": tensor data is damaged (CRC-32 ", checksum_text(crc), ", the file's metadata says ",
         checksum_text(*stored_checksum), ")");
  model.metadata.erase(kDataChecksumKey);  // the file's own checks, not the model's metadata
  model.metadata.erase(kHeaderChecksumKey);
  model.metadata.erase(kChecksumsKey);
  for (const NamedTensor& t : model.tensors) check_finite(t, source);
  return model;
}

}  // namespace aekit
