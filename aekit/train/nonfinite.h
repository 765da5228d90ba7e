#pragma once
// Numerical guards of a training run. Before each update the trainer checks that the batch's
// objective (loss plus extra terms) and the global gradient norm are finite, and after it that the
// weights still are (Optimizer::step reports that from its own pass over them). A non-finite value either stops the run with NonFiniteError, naming the epoch
// and batch, the weights left as the last good update made them (TrainConfig::skip_nonfinite
// off), or skips that batch without an update and counts it (on). An update that turns the
// weights themselves non-finite cannot be skipped after the fact: it always stops the run.
// Nothing non-finite is ever saved: the model writer refuses such tensors as well.
#include <aekit/layers/layer.h>

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace aekit {

// Training diverged. Not an InputError: the input was valid, the optimisation was not; the CLI
// gives it an exit code of its own (3).
class NonFiniteError : public std::runtime_error {
 public:
  NonFiniteError(const std::string& message, int epoch, int64_t batch)
      : std::runtime_error(message), epoch_(epoch), batch_(batch) {}
  int epoch() const { return epoch_; }    // 1-based
  int64_t batch() const { return batch_; }  // 1-based within the epoch

 private:
  int epoch_;
  int64_t batch_;
};

}  // namespace aekit
