#include <aekit/train/output_range.h>

#include <aekit/layers/activation.h>

#include <algorithm>
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

std::optional<std::string> output_range_warning(const ModelSpec& spec, const Tensor& x, const std::string& preprocess) {
  const std::optional<OutputActivation> output = output_activation(spec);
  if (!output || x.empty()) return std::nullopt;
  const ValueRange* range = &output->range;
  int64_t outside = 0;
  float low = x.data()[0], high = low;
  for (float v : x.span()) {
    outside += v < range->low || v > range->high;
    low = std::min(low, v);
    high = std::max(high, v);
  }
  if (outside == 0) return std::nullopt;
  char line[512];
  std::snprintf(line, sizeof line,
                "the output activation %s reaches only [%s, %s], but %.1f%% of the training values after "
                "--preprocess %s lie outside it (they span [%.4g, %.4g]): those errors cannot shrink; use "
                "--output-activation identity or a preprocessing inside its range",
                output->name.c_str(), bound_text(range->low).c_str(), bound_text(range->high).c_str(),
                100.0 * static_cast<double>(outside) / static_cast<double>(x.size()), preprocess.c_str(),
                static_cast<double>(low), static_cast<double>(high));
  return std::string(line);
}

}  // namespace aekit
