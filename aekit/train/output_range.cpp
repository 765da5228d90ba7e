#include <aekit/train/output_range.h>

#include <aekit/layers/activation.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace aekit {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

ValueRange activation_range(Activation a) {
  switch (a) {
    case Activation::Sigmoid: return {0, 1};
    case Activation::Tanh: return {-1, 1};
    case Activation::Relu:
    case Activation::Softplus: return {0, kInf};
    case Activation::Elu: return {-kEluAlpha, kInf};
    case Activation::Selu: return {-static_cast<double>(kSeluScale) * kSeluAlpha, kInf};
    case Activation::Identity:
    case Activation::LeakyRelu: return {-kInf, kInf};
  }
  return {-kInf, kInf};
}

// Layers whose outputs are some of their inputs, or averages of them: the range passes through.
bool keeps_range(const std::string& kind) {
  for (const char* k : {"reshape", "flatten", "upsample", "max_pool2d", "dropout", "corrupt", "l1_activity",
                        "kl_sparsity"})
    if (kind == k) return true;
  return false;
}

std::string bound_text(double v) {
  if (v == kInf) return "inf";
  if (v == -kInf) return "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// Counts the values of v[0..n) outside [range_low, range_high] and widens [low, high] to hold them.
// A function of its own, with everything in arguments: inside the caller's lambda the captured
// references kept the loop scalar.
int64_t scan_block(const float* v, int64_t n, float range_low, float range_high, float& low, float& high) {
  int64_t outside = 0;
  float block_low = low, block_high = high;
#pragma omp simd reduction(+ : outside) reduction(min : block_low) reduction(max : block_high)
  for (int64_t i = 0; i < n; ++i) {
    const float value = v[i];
    outside += static_cast<int64_t>(value < range_low) + static_cast<int64_t>(value > range_high);
    block_low = std::min(block_low, value);
    block_high = std::max(block_high, value);
  }
  low = block_low;
  high = block_high;
  return outside;
}

}  // namespace

std::optional<OutputActivation> output_activation(const ModelSpec& spec) {
  for (auto layer = spec.decoder.rbegin(); layer != spec.decoder.rend(); ++layer) {
    if (layer->kind == "dense" || layer->kind == "conv2d" || layer->kind == "conv_transpose2d") {
      const Activation a = parse_activation(layer->text("activation", "identity"));
      return OutputActivation{activation_name(a), activation_range(a)};
    }
    if (!keeps_range(layer->kind)) return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string> output_range_warning(const ModelSpec& spec, const PreprocessedRows& x,
                                                const std::string& preprocess) {
  const std::optional<OutputActivation> output = output_activation(spec);
  const int64_t size = x.rows() * x.cols();
  if (!output || size == 0) return std::nullopt;
  const ValueRange* range = &output->range;
  int64_t outside = 0;
  float low = std::numeric_limits<float>::infinity(), high = -low;
  // The bounds as floats that decide every float v as the double bounds do: the smallest float at
  // or above the low bound (v < it exactly when v < low) and the largest at or below the high one.
  float range_low = static_cast<float>(range->low), range_high = static_cast<float>(range->high);
  if (static_cast<double>(range_low) < range->low) range_low = std::nextafter(range_low, std::numeric_limits<float>::infinity());
  if (static_cast<double>(range_high) > range->high) range_high = std::nextafter(range_high, -std::numeric_limits<float>::infinity());
  // Blocks that stay in the cache, each scanned as one vector loop: this scan of every training
  // value was the largest part of the time before MNIST's first batch.
  x.for_each_block(64, [&](int64_t, ConstMatrixView block) {
    outside += scan_block(block.data, block.size(), range_low, range_high, low, high);
  });
  if (outside == 0) return std::nullopt;
  char line[512];
  std::snprintf(line, sizeof line,
                "the output activation %s reaches only [%s, %s], but %.1f%% of the training values after "
                "--preprocess %s lie outside it (they span [%.4g, %.4g]): those errors cannot shrink; use "
                "--output-activation identity or a preprocessing inside its range",
                output->name.c_str(), bound_text(range->low).c_str(), bound_text(range->high).c_str(),
                100.0 * static_cast<double>(outside) / static_cast<double>(size), preprocess.c_str(),
                static_cast<double>(low), static_cast<double>(high));
  return std::string(line);
}

}  // namespace aekit
