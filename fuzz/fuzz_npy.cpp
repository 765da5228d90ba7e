// The .npy reader: any bytes give a tensor or an InputError.
#include <aekit/core/error.h>
#include <aekit/data/npy.h>

#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    aekit::read_npy(in, "fuzz.npy");
  } catch (const aekit::InputError&) {
  }
  return 0;
}
