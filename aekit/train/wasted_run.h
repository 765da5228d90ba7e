#pragma once
// Warnings that catch a wasted run: one line each, printed once, for the ways a model trains
// without error yet learns nothing useful (issue 9, point 2). The output-range warning, found
// before the first epoch, is in output_range.h.
//   - before training: a code at least as wide as the input, with nothing (noise, dropout, a
//     penalty, weight decay) to stop the network from learning the identity;
//   - after training: codes that barely vary across samples (saturated or dead units), and a
//     reconstruction error no better than predicting each feature's mean.
#include <aekit/core/tensor.h>
#include <aekit/models/autoencoder.h>
#include <aekit/models/model_spec.h>

#include <optional>
#include <string>

namespace aekit {

// `weight_decay` is the optimizer's.
std::optional<std::string> code_width_warning(const ModelSpec& spec, Autoencoder& network, float weight_decay);

// Both look at up to the first kWastedRunSampleRows rows of x (the preprocessed training data).
inline constexpr int64_t kWastedRunSampleRows = 2048;
std::optional<std::string> collapsed_code_warning(Autoencoder& network, ConstMatrixView x);
std::optional<std::string> stalled_loss_warning(Autoencoder& network, ConstMatrixView x);
inline std::optional<std::string> collapsed_code_warning(Autoencoder& network, const Tensor& x) {
  return collapsed_code_warning(network, x.view());
}
inline std::optional<std::string> stalled_loss_warning(Autoencoder& network, const Tensor& x) {
  return stalled_loss_warning(network, x.view());
}

}  // namespace aekit
