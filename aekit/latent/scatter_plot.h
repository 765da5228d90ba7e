#pragma once
// A 2-D scatter plot of points coloured by label, with a legend, as PNG: the picture of a latent
// space. Labels are class values (digits 0-9 for MNIST); each distinct value gets a colour of the
// Tableau palette (matplotlib's tab10, then tab20's light shades) in increasing order.
#include <aekit/core/tensor.h>
#include <aekit/io/raster_image.h>

#include <span>
#include <string>
#include <vector>

namespace aekit {

struct ScatterStyle {
  int64_t width = 860;   // whole picture, pixels
  int64_t height = 700;
  double point_radius = 2.0;
  std::string title;
  std::string x_label = "z1", y_label = "z2";
};

// The colour of the i-th class (cycling after 20).
Rgb class_color(size_t i);

// points: n x 2; labels: n values or empty (one colour, no legend). Points are drawn in a fixed
// shuffled order so no class hides behind another. Throws InputError naming `path` when the
// points are not n x 2 with n > 0, the label count differs, or the picture is too small or large.
void write_scatter_png(const std::string& path, ConstMatrixView points, std::span<const float> labels,
                       const ScatterStyle& style = {});

}  // namespace aekit
