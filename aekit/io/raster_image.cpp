#include <aekit/io/raster_image.h>

#include <aekit/io/png_file.h>

#include <algorithm>
#include <cmath>

// stb_easy_font defines its functions static: private to this file.
#include <stb_easy_font.h>

namespace aekit {

namespace {
constexpr int kFontHeight = 7;  // capital letters and digits; descenders reach below
}

RasterImage::RasterImage(int64_t width, int64_t height, Rgb background, const std::string& what)
    : width_(width), height_(height) {
  check_png_size(what, width, height, 3);
  pixels_.resize(static_cast<size_t>(width * height * 3));
  for (size_t i = 0; i < pixels_.size(); i += 3) {
    pixels_[i] = background.r;
    pixels_[i + 1] = background.g;
    pixels_[i + 2] = background.b;
  }
}

Rgb RasterImage::at(int64_t x, int64_t y) const {
  const unsigned char* p = pixels_.data() + (y * width_ + x) * 3;
  return {p[0], p[1], p[2]};
}

void RasterImage::fill_rect(int64_t x, int64_t y, int64_t w, int64_t h, Rgb color) {
  const int64_t x0 = std::max<int64_t>(x, 0), x1 = std::min(x + w, width_);
  const int64_t y0 = std::max<int64_t>(y, 0), y1 = std::min(y + h, height_);
  for (int64_t row = y0; row < y1; ++row) {
    unsigned char* p = pixels_.data() + (row * width_ + x0) * 3;
    for (int64_t col = x0; col < x1; ++col, p += 3) {
      p[0] = color.r;
      p[1] = color.g;
      p[2] = color.b;
    }
  }
}

void RasterImage::fill_disc(double cx, double cy, double radius, Rgb color) {
  const auto y0 = static_cast<int64_t>(std::floor(cy - radius)), y1 = static_cast<int64_t>(std::ceil(cy + radius));
  const auto x0 = static_cast<int64_t>(std::floor(cx - radius)), x1 = static_cast<int64_t>(std::ceil(cx + radius));
  const double r2 = radius * radius;
  for (int64_t y = std::max<int64_t>(y0, 0); y <= std::min(y1, height_ - 1); ++y)
    for (int64_t x = std::max<int64_t>(x0, 0); x <= std::min(x1, width_ - 1); ++x) {
      const double dx = static_cast<double>(x) + 0.5 - cx, dy = static_cast<double>(y) + 0.5 - cy;
      if (dx * dx + dy * dy <= r2) fill_rect(x, y, 1, 1, color);
    }
}

void RasterImage::draw_text(int64_t x, int64_t y, const std::string& text, Rgb color, int scale) {
  struct Vertex {
    float x, y, z;
    unsigned char rgba[4];
  };
  std::vector<Vertex> vertices(text.size() * 70 + 4);  // ~270 bytes a character, by the header's estimate
  std::string copy = text;                               // the API takes char*
  const int quads = stb_easy_font_print(0, 0, copy.data(), nullptr, vertices.data(),
                                        static_cast<int>(vertices.size() * sizeof(Vertex)));
  for (int q = 0; q < quads; ++q) {
    const Vertex& a = vertices[static_cast<size_t>(q) * 4];
    const Vertex& c = vertices[static_cast<size_t>(q) * 4 + 2];  // the opposite corner
    const auto left = static_cast<int64_t>(std::lround(std::min(a.x, c.x) * scale));
    const auto top = static_cast<int64_t>(std::lround(std::min(a.y, c.y) * scale));
    const auto w = static_cast<int64_t>(std::lround(std::fabs(c.x - a.x) * scale));
    const auto h = static_cast<int64_t>(std::lround(std::fabs(c.y - a.y) * scale));
    fill_rect(x + left, y + top, w, h, color);
  }
}

int64_t RasterImage::text_width(const std::string& text, int scale) {
  std::string copy = text;
  return static_cast<int64_t>(stb_easy_font_width(copy.data())) * scale;
}

int64_t RasterImage::text_height(int scale) { return int64_t{kFontHeight} * scale; }

void RasterImage::save_png(const std::string& path) const { write_png(path, width_, height_, 3, pixels_.data()); }

}  // namespace aekit
