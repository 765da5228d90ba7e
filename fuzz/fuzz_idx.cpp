// The IDX reader, raw and gzip (it detects gzip by content): read_idx takes a path, so each input
// is written to one scratch file per process first.
#include <aekit/core/error.h>
#include <aekit/data/idx.h>

#include <unistd.h>

#include <cstdio>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/aekit-fuzz-idx-" + std::to_string(getpid());
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  try {
    aekit::read_idx(path);
  } catch (const aekit::InputError&) {
  }
  return 0;
}
