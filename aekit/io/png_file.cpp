#include <aekit/io/png_file.h>

#include <aekit/core/error.h>
#include <aekit/data/atomic_file.h>

#include <climits>
#include <ostream>

// The one place stb_image_write's implementation is compiled; static keeps its symbols private to
// this file so it cannot clash with another copy elsewhere in a program.
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#define STBI_WRITE_NO_STDIO
#include <stb_image_write.h>

namespace aekit {

void check_png_size(const std::string& path, int64_t width, int64_t height, int channels) {
  if (width <= 0 || height <= 0) fail(path, ": image size must be positive, got ", width, "x", height);
  // stb_image_write indexes bytes with int; stay well inside it.
  const int64_t limit = INT_MAX / 4 / channels;
  if (width > limit || height > limit || width * height > limit)
    fail(path, ": image of ", width, "x", height, " pixels is too large for a PNG");
}

void write_png(const std::string& path, int64_t width, int64_t height, int channels, const unsigned char* pixels) {
  AEKIT_ASSERT(channels >= 1 && channels <= 4, "write_png: ", channels, " channels");
  check_png_size(path, width, height, channels);
  write_file_atomically(path, [&](std::ostream& out) {
    auto sink = [](void* context, void* data, int size) {
      static_cast<std::ostream*>(context)->write(static_cast<const char*>(data), size);
    };
    if (!stbi_write_png_to_func(sink, &out, static_cast<int>(width), static_cast<int>(height), channels, pixels,
                                static_cast<int>(width) * channels))
      fail(path, ": PNG encoding failed");
  });
}

}  // namespace aekit
