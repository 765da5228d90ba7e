#include <aekit/io/png_grid.h>

#include <aekit/core/checked_size.h>
#include <aekit/core/error.h>
#include <aekit/io/png_file.h>

#include <algorithm>
#include <climits>

namespace aekit {

namespace {

constexpr unsigned char kBackground = 128;

unsigned char to_pixel(float v) {
  if (!(v > 0.0f)) return 0;  // also maps NaN to black
  if (v >= 1.0f) return 255;
  return static_cast<unsigned char>(v * 255.0f + 0.5f);
}

void check_arguments(const std::string& path, const std::vector<ConstMatrixView>& rows, int64_t channels,
                     int64_t height, int64_t width, int padding, int scale) {
  if (height <= 0 || width <= 0)
    fail(path, ": image size must be positive, got ", height, "x", width);
  if (padding < 0) fail(path, ": grid padding must be >= 0, got ", padding);
  if (scale < 1) fail(path, ": grid scale must be >= 1, got ", scale);
  if (rows.empty()) fail(path, ": image grid has no rows");
  const std::optional<uint64_t> pixels = checked_mul(static_cast<uint64_t>(height), static_cast<uint64_t>(width));
  const std::optional<uint64_t> values = pixels ? checked_mul(*pixels, static_cast<uint64_t>(channels)) : std::nullopt;
  if (!values) fail(path, ": image size ", height, "x", width, " overflows");
  const std::string size = channels == 1 ? std::to_string(height) + "x" + std::to_string(width)
                                         : std::to_string(channels) + "x" + std::to_string(height) + "x" +
                                               std::to_string(width);
  for (size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].rows <= 0) fail(path, ": image grid row ", r, " holds no images");
    if (static_cast<uint64_t>(rows[r].cols) != *values)
      fail(path, ": image grid row ", r, " has images of ", rows[r].cols, " values, expected ", size, " = ", *values);
  }
}

// The grid with `channels` (1: grey, 3: RGB from three planes) bytes per pixel.
void write_grid(const std::string& path, const std::vector<ConstMatrixView>& rows, int channels, int64_t image_height,
                int64_t image_width, int padding, int scale) {
  check_arguments(path, rows, channels, image_height, image_width, padding, scale);
  int64_t columns = 0;
  for (const ConstMatrixView& row : rows) columns = std::max(columns, row.rows);
  // stb_image_write indexes with int; stay well inside it. Every step is checked, so a crafted
  // image size cannot wrap to a small grid that the copy below then overruns.
  constexpr uint64_t kLimit = INT_MAX / 4;
  auto extent = [&](int64_t size, int64_t count) -> std::optional<uint64_t> {  // padding + count * (size * scale + padding)
    auto tile = checked_mul(static_cast<uint64_t>(size), static_cast<uint64_t>(scale), kLimit);
    auto step = tile ? checked_add(*tile, static_cast<uint64_t>(padding), kLimit) : std::nullopt;
    auto all = step ? checked_mul(*step, static_cast<uint64_t>(count), kLimit) : std::nullopt;
    return all ? checked_add(*all, static_cast<uint64_t>(padding), kLimit) : std::nullopt;
  };
  const std::optional<uint64_t> h = extent(image_height, static_cast<int64_t>(rows.size()));
  const std::optional<uint64_t> w = extent(image_width, columns);
  const std::optional<uint64_t> area = h && w ? checked_mul(*h, *w, kLimit) : std::nullopt;
  if (!area)
    fail(path, ": image grid of ", rows.size(), " x ", columns, " images of ", image_height, "x", image_width,
         " pixels (scale ", scale, ") is too large for a PNG");
  const int64_t tile_h = image_height * scale, tile_w = image_width * scale;
  const int64_t total_h = static_cast<int64_t>(*h), total_w = static_cast<int64_t>(*w);
  check_png_size(path, total_w, total_h, channels);

  const int64_t plane = image_height * image_width;
  std::vector<unsigned char> pixels(static_cast<size_t>(total_w * total_h * channels), kBackground);
  for (size_t r = 0; r < rows.size(); ++r) {
    for (int64_t c = 0; c < rows[r].rows; ++c) {
      const float* image = rows[r].row(c);
      const int64_t top = padding + static_cast<int64_t>(r) * (tile_h + padding);
      const int64_t left = padding + c * (tile_w + padding);
      for (int64_t y = 0; y < tile_h; ++y) {
        unsigned char* out = pixels.data() + ((top + y) * total_w + left) * channels;
        const float* in = image + (y / scale) * image_width;
        for (int64_t x = 0; x < tile_w; ++x)
          for (int k = 0; k < channels; ++k) out[x * channels + k] = to_pixel(in[k * plane + x / scale]);
      }
    }
  }

  write_png(path, total_w, total_h, channels, pixels.data());
}

}  // namespace

void write_png_grid(const std::string& path, const std::vector<ConstMatrixView>& rows, int64_t image_height,
                    int64_t image_width, int padding, int scale) {
  write_grid(path, rows, 1, image_height, image_width, padding, scale);
}

void write_rgb_png_grid(const std::string& path, const std::vector<ConstMatrixView>& rows, int64_t image_height,
                        int64_t image_width, int padding, int scale) {
  write_grid(path, rows, 3, image_height, image_width, padding, scale);
}

}  // namespace aekit
