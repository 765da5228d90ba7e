#include <aekit/layers/conv_layer.h>

#include <aekit/backend/cpu/elementwise.h>
#include <aekit/core/error.h>
#include <aekit/layers/init.h>

#include <utility>

namespace aekit {

ConvLayer::ConvLayer(std::string kind, const ImageShape& input, const ConvParams& params, const ImageShape& output,
                     const Shape& weight_shape, ConvKernels kernels)
    : kind_(std::move(kind)), kernels_(kernels), params_(params), input_(input), output_(output) {
  // Checked before allocating: settings from a file or a flag must not ask for terabytes.
  constexpr int64_t kMaxWeights = int64_t{1} << 28;
  int64_t count = 1;
  for (int64_t d : weight_shape) {
    if (d <= 0 || d > kMaxWeights / count) fail(params.describe(kind_), ": the weight is too large");
    count *= d;
  }
  weight_ = Tensor(weight_shape);
  weight_grad_ = Tensor(weight_shape);
  if (params.bias) {
    bias_ = Tensor({params.out_channels});
    bias_grad_ = Tensor({params.out_channels});
  }
}

void ConvLayer::forward(ConstMatrixView x, Tensor& y, Mode) {
  AEKIT_ASSERT(x.cols == in_features(), kind_, " input has ", x.cols, " columns, layer expects ", in_features(),
               " (", input_.str(), ")");
  y.resize({x.rows, out_features()});
  x_ = x;
  y_ = y.view();
  if (x.rows == 0) return;
  kernels_.forward(conv_geometry(params_, input_, output_, x.rows), x.data, weight_.data(),
                   params_.bias ? bias_.data() : nullptr, y.data(), params_.activation);
}

void ConvLayer::backward(ConstMatrixView dy, Tensor* dx) {
  AEKIT_ASSERT(dy.rows == x_.rows && dy.cols == out_features(), kind_,
               " backward: gradient shape does not match the last output");
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
  kernels_.backward_weights(g, x_.data, dy.data, weight_grad_.data(), params_.bias ? bias_grad_.data() : nullptr);
  if (dx) kernels_.backward_data(g, dy.data, weight_.data(), dx->data());
}

std::vector<Param> ConvLayer::params() {
  std::vector<Param> p{{"weight", &weight_, &weight_grad_}};
  if (params_.bias) p.push_back({"bias", &bias_, &bias_grad_});
  return p;
}

BuiltLayer built_conv_layer(const LayerBuild& b, std::unique_ptr<ConvLayer> layer) {
  initialize_layer_weights(b, layer->weight(), layer->bias());
  const ImageShape out = layer->output_shape();
  return {std::move(layer), {out.channels, out.height, out.width}};
}

void ConvLayer::reset_parameters(Rng& rng) { initialize_weights(Init::PyTorch, 0.0f, weight_, bias_, rng); }

}  // namespace aekit
