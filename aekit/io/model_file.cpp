#include <aekit/io/model_file.h>

#include <aekit/core/error.h>
#include <aekit/data/atomic_file.h>

#include <filesystem>
#include <fstream>

namespace aekit {

const Tensor* ModelFile::find(const std::string& name) const {
  for (const NamedTensor& t : tensors)
    if (t.name == name) return &t.tensor;
  return nullptr;
}

const Tensor& ModelFile::tensor(const std::string& name, const std::string& source) const {
  if (const Tensor* t = find(name)) return *t;
  fail(source, ": model has no tensor '", name, "'");
}

void check_aekit_format(const ModelFile& model, const std::string& source) {
  auto format = model.metadata.find("format");
  if (format == model.metadata.end() || format->second != kModelFormat)
    fail(source, ": not an aekit model file (safetensors metadata \"format\" is ",
         format == model.metadata.end() ? "missing" : "'" + format->second + "'", ", expected '",
         kModelFormat, "')");
  auto version = model.metadata.find("format_version");
  if (version == model.metadata.end())
    fail(source, ": aekit model file has no \"format_version\" in its metadata");
  if (version->second != kModelFormatVersion)
    fail(source, ": aekit model format version '", version->second, "' is not supported (this aekit reads version ",
         kModelFormatVersion, ")");
}

void save_model(const std::string& path, const ModelFile& model) {
  write_file_atomically(path, [&](std::ostream& out) {
    try {
      write_model(out, model);
    } catch (const InputError& e) {  // write_model knows no path; name the file being saved
      fail(path, ": ", e.what());
    }
  });
}

ModelFile load_model(const std::string& path) {
  // An ifstream "opens" a directory and then fails on the first read; say what is wrong instead.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(path, ": is a directory, not a model file");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, ": cannot open the model file (missing or unreadable)");
  return read_model(in, path);
}

}  // namespace aekit
