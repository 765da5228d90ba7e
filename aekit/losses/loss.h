#pragma once
// Reconstruction losses with PyTorch's reduction='mean' (the mean over every element of the
// batch), so a learning rate means what it means in PyTorch.
//   mse          mean (y - t)^2
//   l1           mean |y - t|
//   bce          mean -(t log y + (1-t) log(1-y)), logs clamped at -100 as in nn.BCELoss
//   bce_logits   the same from logits z = sigmoid^-1(y), computed stably as in
//                nn.BCEWithLogitsLoss: max(z,0) - z t + log(1 + e^-|z|)
#include <aekit/core/tensor.h>

#include <memory>
#include <string>
#include <vector>

namespace aekit {

class Loss {
 public:
  virtual ~Loss() = default;
  virtual std::string name() const = 0;
  // True when the loss reads the logits of a sigmoid output instead of the probabilities.
  virtual bool takes_logits() const { return false; }
  // Returns the mean loss; writes dL/dy into grad (resized to y's shape) when grad is not null.
  virtual double compute(ConstMatrixView y, ConstMatrixView target, Tensor* grad) const = 0;
};

std::unique_ptr<Loss> make_loss(const std::string& name);  // InputError listing valid names
std::vector<std::string> loss_names();

}  // namespace aekit
