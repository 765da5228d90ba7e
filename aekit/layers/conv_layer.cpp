#include <aekit/layers/conv_layer.h>

#include <aekit/core/error.h>
#include <aekit/layers/image_spec.h>
#include <aekit/layers/init.h>

#include <utility>

namespace aekit {

namespace {

// Checked before allocating: settings from a file or a flag must not ask for terabytes.
void check_weight_size(const std::string& kind, const ConvParams& params, const Shape& weight_shape) {
  constexpr int64_t kMaxWeights = int64_t{1} << 28;
  int64_t count = 1;
  for (int64_t d : weight_shape) {
    if (d <= 0 || d > kMaxWeights / count) fail(params.describe(kind), ": the weight is too large");
    count *= d;
  }
}

}  // namespace

LayerPlan conv_layer_plan(const std::string& kind, const LayerSpec& spec, const ConvParams& params,
                          const ImageShape& output, const Shape& weight_shape) {
  check_weight_size(kind, params, weight_shape);
  check_init_options(spec);
  LayerPlan plan{sample_shape(output), {{"weight", weight_shape}}, {}};
  if (params.bias) plan.params.push_back({"bias", {params.out_channels}});
  return plan;
}

ConvLayer::ConvLayer(std::string kind, const ImageShape& input, const ConvParams& params, const ImageShape& output,
                     const Shape& weight_shape, ConvKernels kernels)
    : kind_(std::move(kind)), kernels_(kernels), params_(params), input_(input), output_(output) {
  check_weight_size(kind_, params, weight_shape);
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
  kernels_.forward(geometry(x.rows), x.data, weight_.data(),
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
  const cpu::ConvGeometry g = geometry(dy.rows);
  // The activation's derivative runs inside backward weights, on each thread's part of the batch
  // (cpu::ActivationGradient); backward data then takes the whole of dz.
  cpu::ActivationGradient activation;
  if (params_.activation != Activation::Identity) {
    dz_.resize({dy.rows, dy.cols});
    activation = {params_.activation, y_.data, dz_.data()};
  }
  kernels_.backward_weights(g, x_.data, dy.data, weight_grad_.data(), params_.bias ? bias_grad_.data() : nullptr,
                            activation.dz ? &activation : nullptr);
  if (activation.dz) dy = dz_.view();
  if (dx) kernels_.backward_data(g, dy.data, weight_.data(), dx->data());
}

cpu::ConvGeometry ConvLayer::geometry(int64_t n) const {
  cpu::ConvGeometry g = conv_geometry(params_, input_, output_, n);
  g.in_layout = in_layout_;
  g.out_layout = out_layout_;
  return g;
}

bool link_blocked_images(Layer& producer, Layer& consumer) {
  auto* from = dynamic_cast<ConvLayer*>(&producer);
  auto* to = dynamic_cast<ConvLayer*>(&consumer);
  if (!from || !to || !(from->output_ == to->input_) || !cpu::can_block_channels(from->output_.channels)) return false;
  from->out_layout_ = cpu::ImageLayout::Blocked;
  to->in_layout_ = cpu::ImageLayout::Blocked;
  return true;
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
