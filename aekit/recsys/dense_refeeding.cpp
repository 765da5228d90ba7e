#include <aekit/recsys/dense_refeeding.h>

#include <aekit/core/error.h>

#include <algorithm>

namespace aekit {

DenseRefeeding::DenseRefeeding(Autoencoder& model) : model_(model), mse_(make_loss("mse")) {}

void DenseRefeeding::keep(ConstMatrixView outputs) {
  AEKIT_ASSERT(outputs.cols == model_.input_size(), "re-fed outputs must have the input's size");
  kept_.resize({outputs.rows, outputs.cols});
  std::copy_n(outputs.data, outputs.size(), kept_.data());
}

double DenseRefeeding::step() {
  AEKIT_ASSERT(kept_.size() > 0, "dense re-feeding before any batch was kept");
  const Tensor& y = model_.forward(kept_.view(), Mode::Train);
  const double loss = mse_->compute(y.view(), kept_.view(), &grad_);
  model_.backward(grad_.view());
  keep(y.view());  // the input goes first: y stays valid until the next forward
  return loss;
}

}  // namespace aekit
