#include <aekit/train/wasted_run.h>

#include <aekit/core/error.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

namespace aekit {

namespace {

// Layers that keep a wide code from copying its input.
bool regularises(const LayerSpec& layer) {
  static const std::set<std::string> kinds{"dropout", "corrupt", "l1_activity", "contractive", "kl_sparsity",
                                          "gaussian_sample"};
  return kinds.count(layer.kind) > 0;
}

ConstMatrixView sample_rows(ConstMatrixView x) { return {x.data, std::min(x.rows, kWastedRunSampleRows), x.cols}; }

}  // namespace

std::optional<std::string> code_width_warning(const ModelSpec& spec, Autoencoder& network, float weight_decay) {
  const int64_t code = network.code_size();
  const int64_t input = spec.input_size();
  if (code < input || weight_decay > 0) return std::nullopt;
  if (std::any_of(spec.encoder.begin(), spec.encoder.end(), regularises) ||
      std::any_of(spec.decoder.begin(), spec.decoder.end(), regularises))
    return std::nullopt;
  return detail::concat("the code (", code, " values) is not narrower than the input (", input,
                        " features) and nothing regularises it: the network can learn to copy its input. "
                        "Use a narrower --arch, or --corrupt, --sparsity, --contractive, --dropout or --weight-decay");
}

std::optional<std::string> collapsed_code_warning(Autoencoder& network, ConstMatrixView x) {
  const ConstMatrixView rows = sample_rows(x);
  if (rows.rows < 2) return std::nullopt;
  const Tensor codes = network.encode(rows);
  // A unit carries information when its values spread across samples; relative to its magnitude,
  // so that a sigmoid unit stuck near 0.98 counts as collapsed as a dead relu unit does.
  double widest = 0, widest_mean = 0, widest_std = 0;
  for (int64_t c = 0; c < codes.cols(); ++c) {
    double sum = 0, sum_sq = 0;
    for (int64_t r = 0; r < codes.rows(); ++r) {
      const double v = codes.row(r)[c];
      sum += v;
      sum_sq += v * v;
    }
    const double n = static_cast<double>(codes.rows());
    const double mean = sum / n;
    const double stddev = std::sqrt(std::max(0.0, sum_sq / n - mean * mean));
    const double magnitude = std::max(std::abs(mean), stddev);
    const double relative = magnitude > 1e-12 ? stddev / magnitude : 0.0;
    if (c == 0 || relative > widest) {
      widest = relative;
      widest_mean = mean;
      widest_std = stddev;
    }
  }
  if (widest >= 0.02) return std::nullopt;
  return detail::concat("the codes barely vary across samples: every code unit's standard deviation is under 2% of its "
                        "mean magnitude (the most varied: mean ", widest_mean, ", std ", widest_std,
                        "), so the code carries almost nothing about the sample; saturated or dead units "
                        "(try --activation relu --code-activation identity, or a lower --lr)");
}

std::optional<std::string> stalled_loss_warning(Autoencoder& network, ConstMatrixView x) {
  const ConstMatrixView rows = sample_rows(x);
  if (rows.rows < 2) return std::nullopt;
  const Tensor out = network.reconstruct(rows);
  std::vector<double> mean(static_cast<size_t>(rows.cols), 0.0);
  for (int64_t r = 0; r < rows.rows; ++r)
    for (int64_t c = 0; c < rows.cols; ++c) mean[static_cast<size_t>(c)] += rows.row(r)[c];
  for (double& m : mean) m /= static_cast<double>(rows.rows);
  double model = 0, baseline = 0;
  for (int64_t r = 0; r < rows.rows; ++r)
    for (int64_t c = 0; c < rows.cols; ++c) {
      const double v = rows.row(r)[c];
      const double d = out.row(r)[c] - v;
      const double b = mean[static_cast<size_t>(c)] - v;
      model += d * d;
      baseline += b * b;
    }
  if (baseline <= 0 || model < 0.9 * baseline) return std::nullopt;
  const double elements = static_cast<double>(rows.rows * rows.cols);
  return detail::concat("the reconstruction error (MSE ", model / elements,
                        ") is no better than predicting each feature's mean (", baseline / elements,
                        "): the model learnt little; check the output activation against the preprocessing, "
                        "the learning rate and the number of epochs");
}

}  // namespace aekit
