// write_model: the safetensors writer (layout in model_file.h).
#include <aekit/io/model_file.h>

#include <aekit/core/error.h>
#include <aekit/io/data_checksum.h>

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

#include <bit>
#include <cmath>
#include <set>
#include <vector>

namespace aekit {

namespace {

static_assert(std::endian::native == std::endian::little,
              "the data buffer is written straight from memory and must be little-endian");

// Everything is checked before the first byte goes out, so a rejected model leaves the stream
// empty (and save_model's previous file untouched).
void check_writable(const ModelFile& model) {
  std::set<std::string> names;
  for (const NamedTensor& t : model.tensors) {
    if (t.name == "__metadata__") fail("model tensor name '__metadata__' is reserved by safetensors");
    if (!names.insert(t.name).second) fail("model has two tensors named '", t.name, "'");
    // A default-constructed Tensor has shape [] and no data; written as shape [] it would read
    // back as a one-element scalar.
    if (t.tensor.ndim() == 0 && t.tensor.size() == 0) fail("model tensor '", t.name, "' has no shape");
    const std::span<const float> values = t.tensor.span();
    for (size_t i = 0; i < values.size(); ++i) {
      if (!std::isfinite(values[i]))
        fail("model tensor '", t.name, "' holds ", values[i], " at element ", i, "; refusing to save non-finite weights");
      if (t.integer && std::trunc(values[i]) != values[i])
        fail("model tensor '", t.name, "' is a count but holds ", values[i], " at element ", i);
    }
  }
}

// The bytes a tensor is stored as: its floats, or for a count its values as int64.
struct StoredBytes {
  std::vector<int64_t> integers;
  const char* data = nullptr;
  uint64_t size = 0;
};

StoredBytes stored_bytes(const NamedTensor& t) {
  StoredBytes b;
  if (!t.integer) {
    b.data = reinterpret_cast<const char*>(t.tensor.data());
    b.size = static_cast<uint64_t>(t.tensor.size()) * sizeof(float);
    return b;
  }
  b.integers.assign(t.tensor.span().begin(), t.tensor.span().end());  // whole numbers (checked)
  b.data = reinterpret_cast<const char*>(b.integers.data());
  b.size = b.integers.size() * sizeof(int64_t);
  return b;
}

// CRC-32 of the data buffer as it will be written: the tensors' bytes in file order.
uint32_t data_checksum(const ModelFile& model) {
  uint32_t crc = 0;
  for (const NamedTensor& t : model.tensors) {
    const StoredBytes b = stored_bytes(t);
    crc = crc32_update(crc, b.data, b.size);
  }
  return crc;
}

std::string header_json(const ModelFile& model) {
  nlohmann::ordered_json header;  // ordered: the header lists tensors in file order
  header["__metadata__"] = nlohmann::ordered_json::object();
  std::map<std::string, std::string> metadata = model.metadata;
  metadata[kChecksumsKey] = kChecksumsWritten;  // covered by the header's checksum, so computed with it
  for (const auto& [key, value] : metadata) header["__metadata__"][key] = value;
  // Always this data's own checksum, whatever a loaded-and-changed model's metadata says.
  header["__metadata__"][kDataChecksumKey] = checksum_text(data_checksum(model));
  std::vector<TensorTableEntry> table;
  for (const NamedTensor& t : model.tensors) table.push_back({t.name, t.integer, t.tensor.shape()});
  header["__metadata__"][kHeaderChecksumKey] = checksum_text(header_checksum(metadata, table));
  uint64_t offset = 0;
  for (const NamedTensor& t : model.tensors) {
    const uint64_t bytes = static_cast<uint64_t>(t.tensor.size()) * (t.integer ? sizeof(int64_t) : sizeof(float));
    header[t.name] = {{"dtype", t.integer ? "I64" : "F32"},
                      {"shape", t.tensor.shape()},
                      {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  try {
    return header.dump();
  } catch (const nlohmann::json::type_error&) {  // thrown for strings that are not valid UTF-8
    fail("model metadata or a tensor name is not valid UTF-8");
  }
}

}  // namespace

void write_model(std::ostream& out, const ModelFile& model) {
  check_writable(model);
  errno = 0;  // so a failed write below names its own cause (a full disk: "No space left on device")
  std::string header = header_json(model);
  // Trailing spaces align the data buffer to 8 bytes, as the safetensors format recommends.
  header.append((8 - header.size() % 8) % 8, ' ');
  const uint64_t length = header.size();
  out.write(reinterpret_cast<const char*>(&length), sizeof(length));
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  for (const NamedTensor& t : model.tensors) {
    const StoredBytes b = stored_bytes(t);
    out.write(b.data, static_cast<std::streamsize>(b.size));
  }
  if (!out) fail("could not write the model: ", errno != 0 ? std::strerror(errno) : "output stream failed");
}

}  // namespace aekit
