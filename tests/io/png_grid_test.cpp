// PNG grids: written, read back with stb_image, checked pixel by pixel where it matters.
#include <aekit/core/error.h>
#include <aekit/io/png_grid.h>

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <limits>
#include <memory>
#include <vector>

#include "../support/png_image.h"

namespace aekit {
namespace {

namespace fs = std::filesystem;

// Two grid rows, ragged (3 images above 2), 2x3 images, padding 1, scale 2: tiles are 4x6 pixels.
TEST(PngGrid, LayoutScaleClampAndRaggedRows) {
  Tensor originals({3, 6});
  for (int64_t i = 0; i < originals.size(); ++i) originals[i] = static_cast<float>(i) / 17.0f;
  Tensor reconstructions({2, 6});
  reconstructions.fill(0.5f);
  reconstructions[0] = -3.0f;                                       // clamps to black
  reconstructions[1] = 7.0f;                                        // clamps to white
  reconstructions[2] = std::numeric_limits<float>::quiet_NaN();    // drawn black

  const std::string path = test::temp_png("png", "layout");
  write_png_grid(path, {originals.view(), reconstructions.view()}, 2, 3, /*padding=*/1, /*scale=*/2);
  test::PngImage png = test::read_png(path);
  fs::remove(path);
  ASSERT_NE(png.pixels, nullptr);

  EXPECT_EQ(png.channels, 1);
  EXPECT_EQ(png.width, 1 + 3 * (6 + 1));
  EXPECT_EQ(png.height, 1 + 2 * (4 + 1));
  EXPECT_EQ(*png.at(0, 0), 128);  // frame
  // Row 0, image 0 starts at (1, 1); each source pixel covers 2x2 output pixels.
  EXPECT_EQ(*png.at(1, 1), 0);
  EXPECT_EQ(*png.at(2, 2), 0);
  EXPECT_EQ(*png.at(3, 1), 15);  // 1/17 * 255
  EXPECT_EQ(*png.at(6, 4), 75);  // image pixel (1, 2) = 5/17
  EXPECT_EQ(*png.at(7, 1), 128); // padding between tiles
  // Row 0, image 2 starts at x = 1 + 2 * 7 = 15; its first value is 12/17.
  EXPECT_EQ(*png.at(15, 1), 180);
  // Row 1 starts at y = 1 + 5 = 6.
  EXPECT_EQ(*png.at(1, 6), 0);
  EXPECT_EQ(*png.at(3, 6), 255);
  EXPECT_EQ(*png.at(5, 7), 0);
  EXPECT_EQ(*png.at(1, 8), 128);  // 0.5
  // Row 1 holds only two images: the third tile is background.
  EXPECT_EQ(*png.at(15, 6), 128);
  EXPECT_EQ(*png.at(20, 9), 128);
}

// One 2x2 RGB image stored as three planes, padding 1, scale 1: pixel (x, y) of the image is at
// (1 + x, 1 + y) and takes its red, green and blue from the three planes.
TEST(PngGrid, RgbGridTakesEachChannelFromItsPlane) {
  Tensor image({1, 12});
  const float planes[12] = {1, 0, 0, 1,          // red: top-left and bottom-right
                            0, 1, 0, 0.5f,       // green
                            0, 0, 1, 0};         // blue
  std::copy_n(planes, 12, image.data());
  const std::string path = test::temp_png("png", "rgb");
  write_rgb_png_grid(path, {image.view()}, 2, 2, /*padding=*/1, /*scale=*/1);
  test::PngImage png = test::read_png(path);
  fs::remove(path);
  ASSERT_NE(png.pixels, nullptr);
  EXPECT_EQ(png.channels, 3);
  EXPECT_EQ(png.width, 4);
  EXPECT_EQ(png.height, 4);
  auto rgb = [&](int x, int y) {
    const unsigned char* p = png.pixels.get() + (y * png.width + x) * 3;
    return std::vector<int>{p[0], p[1], p[2]};
  };
  EXPECT_EQ(rgb(0, 0), (std::vector<int>{128, 128, 128}));  // frame
  EXPECT_EQ(rgb(1, 1), (std::vector<int>{255, 0, 0}));
  EXPECT_EQ(rgb(2, 1), (std::vector<int>{0, 255, 0}));
  EXPECT_EQ(rgb(1, 2), (std::vector<int>{0, 0, 255}));
  EXPECT_EQ(rgb(2, 2), (std::vector<int>{255, 128, 0}));
  // A row of 12 values is one 2x2 RGB image, not a 2x3 or 3x2 one.
  EXPECT_THROW(write_rgb_png_grid(path, {image.view()}, 2, 3), InputError);
  EXPECT_THROW(write_png_grid(path, {image.view()}, 2, 2), InputError);
}

TEST(PngGrid, RejectsBadInput) {
  const std::string path = test::temp_png("png", "bad");
  Tensor images({2, 12});
  EXPECT_THROW(write_png_grid(path, {}, 3, 4), InputError);
  EXPECT_THROW(write_png_grid(path, {images.view()}, 3, 3), InputError);   // 12 values are not 3x3
  EXPECT_THROW(write_png_grid(path, {images.view(), ConstMatrixView()}, 3, 4), InputError);
  EXPECT_THROW(write_png_grid(path, {images.view()}, 3, 4, 2, 0), InputError);
  EXPECT_THROW(write_png_grid(path, {images.view()}, 3, 4, -1), InputError);
  EXPECT_THROW(write_png_grid(path, {images.view()}, 3, 4, 2, 1 << 20), InputError);  // too large
  EXPECT_FALSE(fs::exists(path));
  EXPECT_THROW(write_png_grid((fs::temp_directory_path() / "aekit-no-such-dir" / "g.png").string(), {images.view()}, 3, 4),
               InputError);
}

}  // namespace
}  // namespace aekit
