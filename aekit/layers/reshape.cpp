#include <aekit/layers/reshape.h>

#include <aekit/core/error.h>

#include <algorithm>

namespace aekit {

Reshape::Reshape(int64_t in_features, const ImageShape& output) : output_(output) {
  if (output.channels <= 0 || output.height <= 0 || output.width <= 0)
    fail("reshape to ", output.str(), ": every dimension must be positive");
  if (output.size() != in_features)
    fail("reshape to ", output.str(), ": ", in_features, " features cannot become ", output.str(), " = ",
         output.size(), " values");
}

void Reshape::forward(ConstMatrixView x, Tensor& y, Mode) {
  AEKIT_ASSERT(x.cols == in_features(), "reshape input has ", x.cols, " columns, layer expects ", in_features());
  y.resize({x.rows, x.cols});
  std::copy_n(x.data, x.size(), y.data());
}

void Reshape::backward(ConstMatrixView dy, Tensor* dx) {
  if (!dx) return;
  dx->resize({dy.rows, dy.cols});
  std::copy_n(dy.data, dy.size(), dx->data());
}

}  // namespace aekit
