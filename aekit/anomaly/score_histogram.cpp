#include <aekit/anomaly/score_histogram.h>

#include <aekit/anomaly/threshold.h>
#include <aekit/core/error.h>
#include <aekit/io/raster_image.h>
#include <aekit/latent/scatter_plot.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace aekit {

namespace {

constexpr Rgb kBackground{255, 255, 255};
constexpr Rgb kInk{40, 40, 40};
constexpr Rgb kFrame{150, 150, 150};
constexpr int kTextScale = 2;
constexpr int64_t kLeft = 80, kRight = 30, kTop = 64, kBottom = 70;
// The largest score may lie this far beyond the 99th percentile (in units of the 1-99 spread)
// before the axis stops at the percentile.
constexpr double kTailAllowance = 0.5;

// The latent plots' palette: normal blue, anomalous orange, the threshold red.
Rgb normal_color() { return class_color(0); }
Rgb anomalous_color() { return class_color(1); }
Rgb threshold_color() { return class_color(3); }

std::string number_text(double v, const char* prefix = "") {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%.4g", prefix, v);
  return buf;
}

}  // namespace

ScoreHistogram bin_scores(std::span<const double> scores, std::span<const int> labels, int bins,
                          std::optional<double> threshold) {
  if (scores.empty()) fail("no scores to draw");
  if (!labels.empty() && labels.size() != scores.size())
    fail(labels.size(), " labels for ", scores.size(), " scores");
  if (bins < 1) fail("a histogram needs at least one bin, got ", bins);
  ScoreHistogram h;
  const auto [min, max] = std::minmax_element(scores.begin(), scores.end());
  const double p99 = quantile(scores, 0.99);
  h.low = *min;
  h.high = *max > p99 + kTailAllowance * (p99 - h.low) ? p99 : *max;
  if (threshold) {
    h.low = std::min(h.low, *threshold);
    if (*threshold >= h.high) h.high = *threshold + 0.02 * (*threshold - h.low);
  }
  if (!(h.high > h.low)) h.high = h.low + std::max(std::fabs(h.low) * 0.01, 1e-12);  // all scores equal
  h.normal.assign(static_cast<size_t>(bins), 0);
  h.anomalous.assign(static_cast<size_t>(bins), 0);
  const double width = (h.high - h.low) / bins;
  for (size_t i = 0; i < scores.size(); ++i) {
    h.clipped += scores[i] > h.high;
    const double position = std::floor((scores[i] - h.low) / width);
    const auto bin = static_cast<size_t>(std::clamp(position, 0.0, static_cast<double>(bins - 1)));
    (!labels.empty() && labels[i] == 1 ? h.anomalous : h.normal)[bin] += 1;
  }
  return h;
}

void write_score_histogram_png(const std::string& path, std::span<const double> scores, std::span<const int> labels,
                               std::optional<double> threshold, const HistogramStyle& style) {
  if (style.width < kLeft + kRight + style.bins || style.height < kTop + kBottom + 50)
    fail(path, ": a histogram of ", style.width, "x", style.height, " pixels with ", style.bins,
         " bins is too small");
  ScoreHistogram h;
  try {
    h = bin_scores(scores, labels, style.bins, threshold);
  } catch (const InputError& e) {
    fail(path, ": ", e.what());
  }
  RasterImage image(style.width, style.height, kBackground, path);
  const bool labelled = !labels.empty();
  int64_t n_normal = 0, n_anomalous = 0;
  for (size_t b = 0; b < h.normal.size(); ++b) {
    n_normal += h.normal[b];
    n_anomalous += h.anomalous[b];
  }
  // Bar heights: counts, or with labels each class's share of its own samples.
  auto height_of = [&](int64_t count, int64_t total) {
    return labelled ? static_cast<double>(count) / static_cast<double>(std::max<int64_t>(total, 1))
                    : static_cast<double>(count);
  };
  double tallest = 0;
  for (size_t b = 0; b < h.normal.size(); ++b)
    tallest = std::max({tallest, height_of(h.normal[b], n_normal), height_of(h.anomalous[b], n_anomalous)});
  tallest = std::max(tallest, 1e-12);

  const int64_t plot_w = style.width - kLeft - kRight, plot_h = style.height - kTop - kBottom;
  const double bin_w = static_cast<double>(plot_w) / style.bins;
  auto bar = [&](size_t b, double value, double from, double to, Rgb color) {  // from, to: parts of the bin
    const auto x0 = static_cast<int64_t>(std::lround(kLeft + (static_cast<double>(b) + from) * bin_w));
    const auto x1 = static_cast<int64_t>(std::lround(kLeft + (static_cast<double>(b) + to) * bin_w));
    const auto bar_h = static_cast<int64_t>(std::lround(value / tallest * static_cast<double>(plot_h)));
    image.fill_rect(x0, kTop + plot_h - bar_h, std::max<int64_t>(x1 - x0, 1), bar_h, color);
  };
  for (size_t b = 0; b < h.normal.size(); ++b) {
    if (labelled) {
      bar(b, height_of(h.normal[b], n_normal), 0.0, 0.5, normal_color());
      bar(b, height_of(h.anomalous[b], n_anomalous), 0.5, 1.0, anomalous_color());
    } else {
      bar(b, height_of(h.normal[b], n_normal), 0.05, 0.95, normal_color());
    }
  }
  // Frame: the axes' lines.
  image.fill_rect(kLeft - 1, kTop + plot_h, plot_w + 2, 1, kFrame);
  image.fill_rect(kLeft - 1, kTop - 1, 1, plot_h + 2, kFrame);

  const int64_t text_h = RasterImage::text_height(kTextScale);
  if (threshold) {
    const auto x = static_cast<int64_t>(
        std::lround(kLeft + (*threshold - h.low) / (h.high - h.low) * static_cast<double>(plot_w)));
    image.fill_rect(x - 1, kTop - 6, 2, plot_h + 6, threshold_color());
    const std::string text = "threshold " + number_text(*threshold);
    const int64_t text_w = RasterImage::text_width(text, kTextScale);
    image.draw_text(std::min(x + 6, kLeft + plot_w - text_w), kTop - 6 - text_h - 4, text, threshold_color(),
                    kTextScale);
  }
  if (labelled) {
    const int64_t x = kLeft + plot_w - 260, line = text_h + 12;
    image.fill_rect(x, kTop + 10, 16, 16, normal_color());
    image.draw_text(x + 26, kTop + 11, "normal (" + std::to_string(n_normal) + ")", kInk, kTextScale);
    image.fill_rect(x, kTop + 10 + line, 16, 16, anomalous_color());
    image.draw_text(x + 26, kTop + 11 + line, "anomalous (" + std::to_string(n_anomalous) + ")", kInk, kTextScale);
  }
  // Axis ends and names.
  const int64_t below = kTop + plot_h + 8;
  image.draw_text(kLeft, below, number_text(h.low), kInk, kTextScale);
  const std::string high = number_text(h.high, h.clipped > 0 ? ">" : "");
  image.draw_text(kLeft + plot_w - RasterImage::text_width(high, kTextScale), below, high, kInk, kTextScale);
  std::string x_label = style.x_label;
  if (h.clipped > 0)
    x_label += " (" + std::to_string(h.clipped) + " above " + number_text(h.high) + " in the last bar)";
  image.draw_text(kLeft + plot_w / 2 - RasterImage::text_width(x_label, kTextScale) / 2, below + text_h + 12, x_label,
                  kInk, kTextScale);
  image.draw_text(4, kTop, labelled ? number_text(tallest) : std::to_string(static_cast<int64_t>(tallest)), kInk,
                  kTextScale);
  image.draw_text(4, kTop + plot_h - text_h, "0", kInk, kTextScale);
  image.draw_text(4, kTop + plot_h / 2 - text_h, labelled ? "share" : "count", kInk, kTextScale);
  if (!style.title.empty()) image.draw_text(kLeft, 8, style.title, kInk, kTextScale);
  image.save_png(path);
}

}  // namespace aekit
