#pragma once
// Whether a network's output activation can reach the data it must reconstruct. A sigmoid output
// on z-scored data (half of it negative) or a relu output on data below 0 leaves part of every
// error unremovable: training plateaus, and the anomaly scores measure the activation's range
// instead of how unusual a sample is. Training warns about it before the first epoch.
#include <aekit/core/tensor.h>
#include <aekit/models/model_spec.h>
#include <aekit/data/preprocessed_rows.h>

#include <optional>
#include <string>

namespace aekit {

// The closed interval an activation's outputs lie in (the bounds themselves may only be
// approached, as sigmoid's 0 and 1); infinite where unbounded.
struct ValueRange {
  double low, high;
};

struct OutputActivation {
  std::string name;
  ValueRange range;
};

// The activation of the last decoder layer with weights (layers after it that only move or pool
// values, such as reshape or upsample, keep its range). Nothing when no activation decides the
// range (a batch norm last, say).
std::optional<OutputActivation> output_activation(const ModelSpec& spec);

// One line when some values of x (the preprocessed training data) lie outside the output range:
// the activation, its range, the share of values it cannot reach and the data's range.
// `preprocess` names the preprocessing in the message.
std::optional<std::string> output_range_warning(const ModelSpec& spec, const PreprocessedRows& x,
                                                const std::string& preprocess);
inline std::optional<std::string> output_range_warning(const ModelSpec& spec, const Tensor& x,
                                                       const std::string& preprocess) {
  return output_range_warning(spec, PreprocessedRows(x), preprocess);
}

}  // namespace aekit
