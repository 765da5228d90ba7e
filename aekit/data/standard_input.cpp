#include <aekit/data/standard_input.h>

#include <aekit/core/error.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace aekit {

bool is_standard_stream(const std::string& path) { return path == "-"; }

std::string input_display_name(const std::string& path) { return is_standard_stream(path) ? "stdin" : path; }

const std::string& standard_input_bytes() {
  static const std::string bytes = [] {
    std::string text;
    char block[1 << 16];
    for (;;) {
      const size_t got = std::fread(block, 1, sizeof block, stdin);
      text.append(block, got);
      if (got < sizeof block) break;
    }
    if (std::ferror(stdin)) fail("stdin: read error: ", std::strerror(errno));
    return text;
  }();
  return bytes;
}

bool standard_input_is_npy() {
  static constexpr char kMagic[] = "\x93NUMPY";
  return standard_input_bytes().compare(0, sizeof kMagic - 1, kMagic) == 0;
}

}  // namespace aekit
