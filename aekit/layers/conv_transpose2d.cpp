#include <aekit/layers/conv_transpose2d.h>

#include <aekit/backend/cpu/convolution.h>
#include <aekit/backend/cpu/elementwise.h>
#include <aekit/core/error.h>

#include <cmath>

namespace aekit {

ConvTranspose2d::ConvTranspose2d(const ImageShape& input, const ConvParams& params)
    : params_(params), input_(input), output_(conv_transpose2d_output_shape(params, input)) {
  const Shape w{params.in_channels, params.out_channels, params.kernel.h, params.kernel.w};
  weight_ = Tensor(w);
  weight_grad_ = Tensor(w);
  if (params.bias) {
    bias_ = Tensor({params.out_channels});
    bias_grad_ = Tensor({params.out_channels});
  }
}

void ConvTranspose2d::forward(ConstMatrixView x, Tensor& y, Mode) {
  AEKIT_ASSERT(x.cols == in_features(), "conv_transpose2d input has ", x.cols, " columns, layer expects ",
               in_features(), " (", input_.str(), ")");
  y.resize({x.rows, out_features()});
  x_ = x;
  y_ = y.view();
  if (x.rows == 0) return;
  cpu::conv_transpose2d_forward(conv_geometry(params_, input_, output_, x.rows), x.data, weight_.data(),
                      params_.bias ? bias_.data() : nullptr, y.data(), params_.activation);
}

void ConvTranspose2d::backward(ConstMatrixView dy, Tensor* dx) {
  AEKIT_ASSERT(dy.rows == x_.rows && dy.cols == out_features(), "conv_transpose2d backward: gradient shape "
               "does not match the last output");
  if (dx) dx->resize({dy.rows, in_features()});
  if (dy.rows == 0) {
    weight_grad_.fill(0.0f);
    bias_grad_.fill(0.0f);
    return;
  }
  if (params_.activation != Activation::Identity) {
    dz_.resize({dy.rows, dy.cols});
    cpu::activation_backward(y_, dy, dz_.view(), params_.activation);
    dy = dz_.view();
  }
  const cpu::ConvGeometry g = conv_geometry(params_, input_, output_, dy.rows);
  cpu::conv_transpose2d_backward_weights(g, x_.data, dy.data, weight_grad_.data(),
                               params_.bias ? bias_grad_.data() : nullptr);
  if (dx) cpu::conv_transpose2d_backward_data(g, dy.data, weight_.data(), dx->data());
}

std::vector<Param> ConvTranspose2d::params() {
  std::vector<Param> p{{"weight", &weight_, &weight_grad_}};
  if (params_.bias) p.push_back({"bias", &bias_, &bias_grad_});
  return p;
}

void ConvTranspose2d::reset_parameters(Rng& rng) {
  const auto fan_in = static_cast<double>(params_.out_channels * params_.kernel.h * params_.kernel.w);
  const auto bound = static_cast<float>(1.0 / std::sqrt(fan_in));
  for (float& v : weight_.span()) v = rng.uniform(-bound, bound);
  for (float& v : bias_.span()) v = rng.uniform(-bound, bound);
}

}  // namespace aekit
