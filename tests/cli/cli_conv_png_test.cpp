// `aekit reconstruct --png` on image models of any channel count: the model's C x H x W input
// shape decides the picture. 3 channels are drawn in colour (an RGB PNG), 1 in grey, any other
// count in grey with each image's channels side by side.
#include "cli_runner.h"

#include <aekit/core/rng.h>
#include <aekit/data/npy.h>

namespace aekit::test {

namespace {

// n random images of channels x 8 x 8 as an N x (C*64) float matrix in [0, 1].
void write_images(const std::string& path, int n, int channels) {
  Rng rng(4);
  Tensor x({n, channels * 64});
  for (float& v : x.span()) v = rng.uniform();
  write_npy(path, x, NpyDtype::Float32);
}

struct PngHeader {
  uint32_t width = 0, height = 0;
  int colour_type = -1;  // 0 grey, 2 RGB
};

PngHeader png_header(const std::string& path) {
  const std::string png = slurp(path);
  EXPECT_GT(png.size(), 26u);
  if (png.size() <= 26) return {};
  EXPECT_EQ(png.substr(1, 3), "PNG");
  auto be32 = [&](size_t at) {
    return (uint32_t(uint8_t(png[at])) << 24) | (uint32_t(uint8_t(png[at + 1])) << 16) |
           (uint32_t(uint8_t(png[at + 2])) << 8) | uint32_t(uint8_t(png[at + 3]));
  };
  return {be32(16), be32(20), png[25]};
}

// Trains a small conv model on C x 8 x 8 images and draws 4 of them, 2 a row: 2 grid rows of
// originals and 2 of reconstructions, tiles of 8 x 8 pixels per channel drawn at scale 2 with 2
// pixels of padding.
PngHeader reconstruct_png(int channels) {
  ScratchDir dir;
  write_images(dir / "img.npy", 32, channels);
  const std::string shape = std::to_string(channels) + "x8x8";
  auto train = run_aekit(dir, "train --data img.npy --input-shape " + shape +
                                  " --arch conv4k3s2p1,relu,flatten,dense4 --epochs 1 --batch-size 16 --out m.aek");
  EXPECT_EQ(train.exit_code, 0) << train.err;
  auto recon = run_aekit(dir, "reconstruct m.aek --data img.npy --png grid.png --count 4 --per-row 2");
  EXPECT_EQ(recon.exit_code, 0) << recon.err;
  return png_header(dir / "grid.png");
}

}  // namespace

TEST(CliConvPng, ThreeChannelModelsDrawInColour) {
  const PngHeader h = reconstruct_png(3);
  EXPECT_EQ(h.colour_type, 2);
  EXPECT_EQ(h.width, 2u + 2 * (16 + 2));
  EXPECT_EQ(h.height, 2u + 4 * (16 + 2));
}

TEST(CliConvPng, OtherChannelCountsDrawTheirChannelsSideBySide) {
  const PngHeader two = reconstruct_png(2);
  EXPECT_EQ(two.colour_type, 0);
  EXPECT_EQ(two.width, 2u + 2 * (2 * 16 + 2));
  EXPECT_EQ(two.height, 2u + 4 * (16 + 2));
  const PngHeader one = reconstruct_png(1);
  EXPECT_EQ(one.colour_type, 0);
  EXPECT_EQ(one.width, 2u + 2 * (16 + 2));
}

}  // namespace aekit::test
