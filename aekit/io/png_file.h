#pragma once
// PNG files from 8-bit pixel buffers, written atomically: the one place stb_image_write is used.
#include <cstdint>
#include <string>

namespace aekit {

// `pixels` holds height rows of width * channels bytes (1 = grey, 3 = RGB, 4 = RGBA). Throws
// InputError naming `path` when the size is not positive or too large for a PNG, or the write fails.
void write_png(const std::string& path, int64_t width, int64_t height, int channels, const unsigned char* pixels);

// Fails the same way write_png would for this size, before a caller allocates the pixels.
void check_png_size(const std::string& path, int64_t width, int64_t height, int channels);

}  // namespace aekit
