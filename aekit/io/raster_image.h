#pragma once
// An RGB picture to draw charts on: filled rectangles and discs, and text in stb_easy_font's
// small built-in bitmap font (ASCII), saved as PNG. Coordinates are pixels, x rightwards, y down;
// everything is clipped to the picture.
#include <cstdint>
#include <string>
#include <vector>

namespace aekit {

struct Rgb {
  unsigned char r = 0, g = 0, b = 0;
  bool operator==(const Rgb&) const = default;
};

class RasterImage {
 public:
  // InputError (naming `what`) when the size is not positive or too large for a PNG.
  RasterImage(int64_t width, int64_t height, Rgb background, const std::string& what);

  int64_t width() const { return width_; }
  int64_t height() const { return height_; }
  Rgb at(int64_t x, int64_t y) const;

  void fill_rect(int64_t x, int64_t y, int64_t w, int64_t h, Rgb color);
  void fill_disc(double cx, double cy, double radius, Rgb color);
  // Text with its top-left corner at (x, y), each font pixel drawn as scale x scale.
  void draw_text(int64_t x, int64_t y, const std::string& text, Rgb color, int scale = 1);
  static int64_t text_width(const std::string& text, int scale = 1);
  static int64_t text_height(int scale = 1);

  void save_png(const std::string& path) const;

 private:
  int64_t width_, height_;
  std::vector<unsigned char> pixels_;  // RGB, row-major
};

}  // namespace aekit
