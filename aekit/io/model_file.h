#pragma once
// The aekit model file: the safetensors layout, so that any safetensors reader can open it.
//
//   8 bytes    little-endian uint64 N, the header length
//   N bytes    UTF-8 JSON object, padded with trailing spaces so that 8 + N is a multiple of 8:
//                "__metadata__": {string: string}  (architecture, preprocessing, settings, version)
//                "<tensor name>": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}
//   the rest   the data buffer: the tensors' values, little-endian, row-major, contiguous, in file
//              order, with no gaps; offsets are relative to the start of the buffer. Values are
//              float32 ("F32"), except counts, which are int64 ("I64") as PyTorch stores them;
//              in memory every tensor is float.
//
// Reading validates the whole header against the file size before reading any tensor data, so a
// damaged or foreign file is a one-line InputError naming the source, never a crash.
#include <aekit/core/tensor.h>

#include <istream>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace aekit {

struct NamedTensor {
  std::string name;
  Tensor tensor;
  // Stored as I64: the values must be whole numbers (a count). Files written before counts were
  // stored this way hold them as F32 and load the same.
  bool integer = false;
};

struct ModelFile {
  std::map<std::string, std::string> metadata;  // the safetensors __metadata__
  std::vector<NamedTensor> tensors;             // in file order
  // The tensor called `name`; InputError naming `source` if there is none.
  const Tensor& tensor(const std::string& name, const std::string& source) const;
  // The tensor called `name`, or null.
  const Tensor* find(const std::string& name) const;
};

// Writes `model` as safetensors. Throws InputError (and writes nothing) if two tensors share a
// name, a name is "__metadata__", a tensor has no shape, a tensor holds NaN or Inf, or an integer
// tensor holds a value that is not a whole number.
void write_model(std::ostream& out, const ModelFile& model);
// Reads a model from the current position of `in` to its end; `source` names the file in errors.
ModelFile read_model(std::istream& in, const std::string& source);

// File wrappers. save_model is atomic: on any failure the previous file at `path` is untouched.
void save_model(const std::string& path, const ModelFile& model);
ModelFile load_model(const std::string& path);

// The check that makes a generic safetensors file an aekit model: metadata "format" is
// "aekit-model" and "format_version" is "1". Separate from read_model so generic safetensors files
// (e.g. weights exported by other tools) can still be read.
inline constexpr const char* kModelFormat = "aekit-model";
inline constexpr const char* kModelFormatVersion = "1";
void check_aekit_format(const ModelFile& model, const std::string& source);

}  // namespace aekit
