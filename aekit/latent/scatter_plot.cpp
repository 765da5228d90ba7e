#include <aekit/latent/scatter_plot.h>

#include <aekit/core/error.h>
#include <aekit/core/rng.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace aekit {

namespace {

constexpr Rgb kBackground{255, 255, 255};
constexpr Rgb kInk{40, 40, 40};
constexpr Rgb kFrame{150, 150, 150};
constexpr Rgb kUnlabelled{31, 119, 180};
constexpr int kTextScale = 2;
constexpr int64_t kLeft = 70, kTop = 50, kBottom = 60, kLegendWidth = 170;

// matplotlib's tab10, then the light shades of tab20.
constexpr Rgb kPalette[] = {
    {31, 119, 180},  {255, 127, 14},  {44, 160, 44},   {214, 39, 40},   {148, 103, 189},
    {140, 86, 75},   {227, 119, 194}, {127, 127, 127}, {188, 189, 34},  {23, 190, 207},
    {174, 199, 232}, {255, 187, 120}, {152, 223, 138}, {255, 152, 150}, {197, 176, 213},
    {196, 156, 148}, {247, 182, 210}, {199, 199, 199}, {219, 219, 141}, {158, 218, 229},
};

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

struct Range {
  double low, high;
  double to_unit(double v) const { return high > low ? (v - low) / (high - low) : 0.5; }
};

Range padded_range(ConstMatrixView points, int column) {
  double low = points.row(0)[column], high = low;
  for (int64_t r = 1; r < points.rows; ++r) {
    low = std::min<double>(low, points.row(r)[column]);
    high = std::max<double>(high, points.row(r)[column]);
  }
  const double pad = 0.03 * (high - low);
  return {low - pad, high + pad};
}

void draw_legend(RasterImage& image, const std::vector<float>& classes, int64_t left, int64_t top) {
  const int64_t line = RasterImage::text_height(kTextScale) + 12;
  const int64_t fits = std::max<int64_t>((image.height() - top - 20) / line, 1);
  const auto shown = std::min<int64_t>(static_cast<int64_t>(classes.size()), fits);
  for (int64_t i = 0; i < shown; ++i) {
    const int64_t y = top + i * line;
    const bool truncated = i + 1 == shown && shown < static_cast<int64_t>(classes.size());
    if (truncated) {
      image.draw_text(left, y, "+" + std::to_string(classes.size() - static_cast<size_t>(i)) + " more", kInk, kTextScale);
      break;
    }
    image.fill_rect(left, y, 16, 16, class_color(static_cast<size_t>(i)));
    image.draw_text(left + 26, y + 1, number_text(classes[static_cast<size_t>(i)]), kInk, kTextScale);
  }
}

}  // namespace

Rgb class_color(size_t i) { return kPalette[i % std::size(kPalette)]; }

void write_scatter_png(const std::string& path, ConstMatrixView points, std::span<const float> labels,
                       const ScatterStyle& style) {
  if (points.rows <= 0 || points.cols != 2)
    fail(path, ": a scatter plot needs n x 2 points, got ", points.rows, " x ", points.cols);
  if (!labels.empty() && static_cast<int64_t>(labels.size()) != points.rows)
    fail(path, ": ", labels.size(), " labels for ", points.rows, " points");
  const int64_t right = labels.empty() ? 30 : kLegendWidth;
  if (style.width < kLeft + right + 50 || style.height < kTop + kBottom + 50)
    fail(path, ": a scatter plot of ", style.width, "x", style.height, " pixels is too small");
  RasterImage image(style.width, style.height, kBackground, path);

  const int64_t plot_w = style.width - kLeft - right, plot_h = style.height - kTop - kBottom;
  const Range xr = padded_range(points, 0), yr = padded_range(points, 1);
  // Frame, then the range at each end of each axis and the axis names.
  image.fill_rect(kLeft - 1, kTop - 1, plot_w + 2, 1, kFrame);
  image.fill_rect(kLeft - 1, kTop + plot_h, plot_w + 2, 1, kFrame);
  image.fill_rect(kLeft - 1, kTop - 1, 1, plot_h + 2, kFrame);
  image.fill_rect(kLeft + plot_w, kTop - 1, 1, plot_h + 2, kFrame);
  const int64_t text_h = RasterImage::text_height(kTextScale);
  const int64_t below = kTop + plot_h + 8;
  image.draw_text(kLeft, below, number_text(xr.low), kInk, kTextScale);
  const std::string x_high = number_text(xr.high);
  image.draw_text(kLeft + plot_w - RasterImage::text_width(x_high, kTextScale), below, x_high, kInk, kTextScale);
  image.draw_text(kLeft + plot_w / 2 - RasterImage::text_width(style.x_label, kTextScale) / 2, below + text_h + 10,
                  style.x_label, kInk, kTextScale);
  image.draw_text(4, kTop + plot_h - text_h, number_text(yr.low), kInk, kTextScale);
  image.draw_text(4, kTop, number_text(yr.high), kInk, kTextScale);
  image.draw_text(4, kTop + plot_h / 2 - text_h / 2, style.y_label, kInk, kTextScale);
  if (!style.title.empty()) image.draw_text(kLeft, 14, style.title, kInk, kTextScale);

  std::vector<float> classes(labels.begin(), labels.end());
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());

  std::vector<int64_t> order(static_cast<size_t>(points.rows));
  std::iota(order.begin(), order.end(), 0);
  Rng rng(0);
  shuffle(order.begin(), order.end(), rng);
  for (int64_t r : order) {
    const double x = kLeft + xr.to_unit(points.row(r)[0]) * static_cast<double>(plot_w);
    const double y = kTop + (1.0 - yr.to_unit(points.row(r)[1])) * static_cast<double>(plot_h);
    Rgb color = kUnlabelled;
    if (!labels.empty()) {
      const auto it = std::lower_bound(classes.begin(), classes.end(), labels[static_cast<size_t>(r)]);
      color = class_color(static_cast<size_t>(it - classes.begin()));
    }
    image.fill_disc(x, y, style.point_radius, color);
  }
  if (!labels.empty()) draw_legend(image, classes, kLeft + plot_w + 24, kTop);
  image.save_png(path);
}

}  // namespace aekit
