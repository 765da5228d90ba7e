#pragma once
// The picture of a set of anomaly scores: their histogram with the threshold drawn across it, and
// with ground-truth labels (1 = anomaly) the normal and anomalous samples' histograms side by side
// in each bin, each as a share of its own class so that 980 normal digits beside 9,020 anomalous
// ones stay visible. A few extreme scores would squeeze every bar into the left edge, so the axis
// stops at the 99th percentile when the largest score lies far beyond it; the scores above fall
// into the last bar, and the picture says how many.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace aekit {

struct ScoreHistogram {
  double low = 0, high = 0;  // the axis: bins split [low, high] evenly
  std::vector<int64_t> normal, anomalous;  // per bin; without labels every score counts as normal
  int64_t clipped = 0;  // scores above `high`, counted in the last bin
};

// `labels` is empty or holds one 0/1 per score. The axis covers the threshold when given.
// InputError when there are no scores, a label count differs, or bins < 1.
ScoreHistogram bin_scores(std::span<const double> scores, std::span<const int> labels, int bins,
                          std::optional<double> threshold);

struct HistogramStyle {
  int64_t width = 860, height = 520;  // whole picture, pixels
  int bins = 50;
  std::string title;
  std::string x_label = "score";
};

// Writes the histogram as PNG (atomically). InputError naming `path` as bin_scores does, or when
// the picture is too small or too large.
void write_score_histogram_png(const std::string& path, std::span<const double> scores, std::span<const int> labels,
                               std::optional<double> threshold, const HistogramStyle& style = {});

}  // namespace aekit
