#include "png_image.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

// The only translation unit of the tests with stb_image's implementation.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#include <stb/stb_image.h>

namespace aekit::test {

int64_t PngImage::count_in_columns(Rgb c, int x0, int x1) const {
  if (channels < 3) return 0;
  int64_t n = 0;
  for (int y = 0; y < height; ++y)
    for (int x = x0; x < x1; ++x) {
      const unsigned char* p = at(x, y);
      n += p[0] == c.r && p[1] == c.g && p[2] == c.b;
    }
  return n;
}

std::pair<double, int64_t> PngImage::where(Rgb c) const {
  if (channels < 3) return {-1, 0};
  double sum = 0;
  int64_t n = 0;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const unsigned char* p = at(x, y);
      if (p[0] == c.r && p[1] == c.g && p[2] == c.b) {
        sum += x;
        ++n;
      }
    }
  return {n ? sum / static_cast<double>(n) : -1, n};
}

PngImage read_png(const std::string& path, int channels) {
  PngImage png;
  png.pixels = {nullptr, stbi_image_free};
  int stored = 0;
  png.pixels.reset(stbi_load(path.c_str(), &png.width, &png.height, &stored, channels));
  png.channels = channels ? channels : stored;
  EXPECT_NE(png.pixels, nullptr) << path << ": " << stbi_failure_reason();
  return png;
}

std::string temp_png(const std::string& prefix, const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("aekit_" + prefix + "_" + std::to_string(::getpid()) + "_" + name + ".png"))
      .string();
}

}  // namespace aekit::test
