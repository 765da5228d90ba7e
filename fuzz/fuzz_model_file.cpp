// Model files are untrusted: the safetensors reader and the model built from its metadata must
// turn any bytes into a model or an InputError, never a crash, a sanitizer report or a huge allocation.
#include <aekit/core/error.h>
#include <aekit/io/model_file.h>
#include <aekit/models/trained_model.h>

#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    const aekit::ModelFile file = aekit::read_model(in, "fuzz.aek");
    aekit::TrainedModel model = aekit::from_model_file(file, "fuzz.aek");
    (void)model;
  } catch (const aekit::InputError&) {
  }
  return 0;
}
