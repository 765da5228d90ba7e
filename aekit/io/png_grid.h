#pragma once
// Image grids as 8-bit PNG, greyscale or colour: originals above their reconstructions, samples
// from a generator, learned filters. Values are intensities in [0, 1] (0 = black), clamped; NaN is
// black.
#include <aekit/core/tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace aekit {

// rows[r] holds images one per matrix row (each row: image_height * image_width values, row-major)
// and becomes grid row r, its images side by side. Grid rows may hold different numbers of images
// (ragged): the grid is as wide as the longest row and shorter rows leave background on the right.
// `padding` pixels of mid-grey separate the tiles and frame the grid; `scale` enlarges each image
// by pixel repetition (nearest neighbour) so 28x28 digits stay visible. Written atomically.
// Throws InputError if rows is empty, a view holds no images or has the wrong row length, or the
// picture would be too large for PNG.
void write_png_grid(const std::string& path, const std::vector<ConstMatrixView>& rows, int64_t image_height,
                    int64_t image_width, int padding = 2, int scale = 1);

// The same grid in colour: each matrix row is one RGB image stored as three planes (red, green,
// blue; NCHW's C x H x W with C = 3, 3 * image_height * image_width values). Written as an RGB PNG.
void write_rgb_png_grid(const std::string& path, const std::vector<ConstMatrixView>& rows, int64_t image_height,
                        int64_t image_width, int padding = 2, int scale = 1);

}  // namespace aekit
