#pragma once
// aekit eval --corrupt KIND:LEVEL [--corrupt-seed N]: the denoising measurement. The model gets a
// corrupted copy of the data (in the model's preprocessed space, as in training) and every metric
// compares its reconstruction with the clean data.
#include <aekit/core/tensor.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

namespace aekit::cli {

struct EvalCorruptionFlags {
  std::string corrupt;  // empty: no corruption
  uint64_t seed = 0;
  // The input the model sees: x itself, or a corrupted copy when --corrupt is given.
  Tensor input_for(const Tensor& x) const;
};
std::shared_ptr<EvalCorruptionFlags> add_eval_corruption_flags(CLI::App* command);

}  // namespace aekit::cli
