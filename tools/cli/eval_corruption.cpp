#include "eval_corruption.h"

#include <aekit/layers/corruption.h>

namespace aekit::cli {

Tensor EvalCorruptionFlags::input_for(const Tensor& x) const {
  Tensor input = x;
  if (corrupt.empty()) return input;
  Rng rng(seed);
  corrupt_values(input.view(), Corruption::parse(corrupt), rng);
  return input;
}

std::shared_ptr<EvalCorruptionFlags> add_eval_corruption_flags(CLI::App* command) {
  auto flags = std::make_shared<EvalCorruptionFlags>();
  command->add_option("--corrupt", flags->corrupt,
                      "reconstruct the clean data from a corrupted copy: gaussian:SIGMA, masking:FRACTION, "
                      "salt_pepper:FRACTION")
      ->type_name("KIND:LEVEL");
  command->add_option("--corrupt-seed", flags->seed, "seed of the corruption (default 0)");
  return flags;
}

}  // namespace aekit::cli
