#include <aekit/layers/flatten.h>

#include <aekit/core/error.h>

#include <algorithm>

namespace aekit {

Flatten::Flatten(const ImageShape& input) : input_(input) {
  if (input.channels <= 0 || input.height <= 0 || input.width <= 0)
    fail("flatten: input ", input.str(), " is empty");
}

void Flatten::forward(ConstMatrixView x, Tensor& y, Mode) {
  AEKIT_ASSERT(x.cols == in_features(), "flatten input has ", x.cols, " columns, layer expects ", in_features());
  y.resize({x.rows, x.cols});
  std::copy_n(x.data, x.size(), y.data());
}

void Flatten::backward(ConstMatrixView dy, Tensor* dx) {
  if (!dx) return;
  dx->resize({dy.rows, dy.cols});
  std::copy_n(dy.data, dy.size(), dx->data());
}

}  // namespace aekit
