#include <aekit/layers/same_bytes_layer.h>

#include <aekit/core/error.h>

#include <algorithm>

namespace aekit {

void SameBytesLayer::forward(ConstMatrixView x, Tensor& y, Mode) {
  AEKIT_ASSERT(x.cols == features_, kind_, " input has ", x.cols, " columns, layer expects ", features_);
  y.resize({x.rows, x.cols});
  std::copy_n(x.data, x.size(), y.data());
}

void SameBytesLayer::backward(ConstMatrixView dy, Tensor* dx) {
  if (!dx) return;
  dx->resize({dy.rows, dy.cols});
  std::copy_n(dy.data, dy.size(), dx->data());
}

}  // namespace aekit
