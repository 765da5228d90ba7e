// The latent scatter plot: the picture has the asked size, each class's colour is on it (and in
// its legend), and unlabelled points are drawn in one colour without a legend.
#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/latent/scatter_plot.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "../support/png_image.h"

namespace aekit {
namespace {

namespace fs = std::filesystem;

// Three clusters, labels 3, 7 and 9 (so the colours are the palette's first three).
void clusters(Tensor& points, std::vector<float>& labels) {
  Rng rng(1);
  points = Tensor({300, 2});
  labels.resize(300);
  const float centres[3][2] = {{0, 0}, {5, 1}, {2, 6}};
  const float names[3] = {3, 7, 9};
  for (int64_t i = 0; i < 300; ++i) {
    const int c = static_cast<int>(i % 3);
    points.row(i)[0] = centres[c][0] + rng.normal(0, 0.5f);
    points.row(i)[1] = centres[c][1] + rng.normal(0, 0.5f);
    labels[static_cast<size_t>(i)] = names[c];
  }
}

TEST(ScatterPlot, SizeClassColoursAndLegend) {
  Tensor points;
  std::vector<float> labels;
  clusters(points, labels);
  const std::string path = test::temp_png("scatter", "classes");
  ScatterStyle style;
  style.width = 640;
  style.height = 480;
  style.title = "three clusters";
  write_scatter_png(path, points.view(), labels, style);
  const test::PngImage png = test::read_png(path, 3);
  fs::remove(path);
  ASSERT_NE(png.pixels, nullptr);
  EXPECT_EQ(png.width, 640);
  EXPECT_EQ(png.height, 480);
  const int legend_x = 640 - 170;
  for (size_t c = 0; c < 3; ++c) {
    // 100 discs of radius 2 (about 12 pixels each, some overlapping) in the plot...
    EXPECT_GT(png.count_in_columns(class_color(c), 0, legend_x), 300) << "class " << c;
    // ...and a 16x16 swatch in the legend.
    EXPECT_GE(png.count_in_columns(class_color(c), legend_x, 640), 256) << "class " << c;
  }
  EXPECT_EQ(png.count(class_color(3)), 0);  // only three classes
  EXPECT_GT(png.count({40, 40, 40}), 100);  // text: title, ranges, axis names, legend labels
}

TEST(ScatterPlot, UnlabelledPointsHaveOneColourAndNoLegend) {
  Tensor points;
  std::vector<float> labels;
  clusters(points, labels);
  const std::string path = test::temp_png("scatter", "unlabelled");
  write_scatter_png(path, points.view(), {}, {});
  const test::PngImage png = test::read_png(path, 3);
  fs::remove(path);
  ASSERT_NE(png.pixels, nullptr);
  EXPECT_EQ(png.width, ScatterStyle{}.width);
  EXPECT_GT(png.count(class_color(0)), 1000);
  EXPECT_EQ(png.count(class_color(1)), 0);
}

TEST(ScatterPlot, BadArgumentsWriteNothing) {
  const std::string path = test::temp_png("scatter", "bad");
  Tensor three({4, 3});
  EXPECT_THROW(write_scatter_png(path, three.view(), {}, {}), InputError);
  Tensor two({4, 2});
  EXPECT_THROW(write_scatter_png(path, two.view(), std::vector<float>{1, 2}, {}), InputError);
  ScatterStyle tiny;
  tiny.width = 20;
  EXPECT_THROW(write_scatter_png(path, two.view(), {}, tiny), InputError);
  EXPECT_FALSE(fs::exists(path));
}

}  // namespace
}  // namespace aekit
