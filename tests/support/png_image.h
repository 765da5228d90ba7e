// Reading back the PNG files aekit writes, for tests that check what a picture shows.
#pragma once

#include <aekit/io/raster_image.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

namespace aekit::test {

// A decoded PNG: width x height pixels of `channels` bytes each, rows top to bottom.
struct PngImage {
  int width = 0, height = 0, channels = 0;
  std::unique_ptr<unsigned char, void (*)(void*)> pixels{nullptr, nullptr};

  const unsigned char* at(int x, int y) const { return pixels.get() + (static_cast<int64_t>(y) * width + x) * channels; }
  // How many pixels in columns [x0, x1) have colour c (the first three channels).
  int64_t count_in_columns(Rgb c, int x0, int x1) const;
  int64_t count(Rgb c) const { return count_in_columns(c, 0, width); }
  // Mean x of the pixels of colour c (-1 when there are none), and how many there are.
  std::pair<double, int64_t> where(Rgb c) const;
};

// Decodes `path` into `channels` channels per pixel (0: as stored). A file that does not decode
// fails the current test and gives an image with no pixels.
PngImage read_png(const std::string& path, int channels = 0);

// A path for a test picture in the temporary directory, unique to this process:
// <tmp>/aekit_<prefix>_<pid>_<name>.png.
std::string temp_png(const std::string& prefix, const std::string& name);

}  // namespace aekit::test
