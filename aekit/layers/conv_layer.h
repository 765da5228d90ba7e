#pragma once
// What Conv2d and ConvTranspose2d share: the settings, the weight (PyTorch's layout) and optional
// bias, the activation fused into the forward primitive, and the backward pass (activation
// derivative, then backward weights and backward data). The two differ only in their output shape,
// their weight layout and which oneDNN primitives run (backend/cpu/convolution.h), which each passes
// in here. Input and output are NCHW batches, one image per row (core/image_shape.h).
#include <aekit/backend/cpu/convolution.h>
#include <aekit/core/rng.h>
#include <aekit/layers/conv_params.h>
#include <aekit/layers/layer.h>
#include <aekit/layers/layer_registry.h>

#include <memory>
#include <string>

namespace aekit {

// One kind of convolution's three primitives.
struct ConvKernels {
  void (*forward)(const cpu::ConvGeometry&, const float* x, const float* w, const float* bias, float* y,
                  Activation act);
  void (*backward_data)(const cpu::ConvGeometry&, const float* dy, const float* w, float* dx);
  void (*backward_weights)(const cpu::ConvGeometry&, const float* x, const float* dy, float* dw, float* dbias,
                           const cpu::ActivationGradient* activation);
};

class ConvLayer : public Layer {
 public:
  std::string kind() const override { return kind_; }
  int64_t in_features() const override { return input_.size(); }
  int64_t out_features() const override { return output_.size(); }
  const ImageShape& input_shape() const { return input_; }
  const ImageShape& output_shape() const { return output_; }
  const ConvParams& settings() const { return params_; }

  // Layout of the input and output batches (backend/cpu/convolution.h): Plain (NCHW) unless
  // link_blocked_images made a neighbouring convolution (or link_blocked_dense a dense layer)
  // hand this one its output, or take this one's, in the CPU's channel-blocked layout.
  cpu::ImageLayout input_layout() const { return in_layout_; }
  cpu::ImageLayout output_layout() const { return out_layout_; }

  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;
  std::vector<Param> params() override;

  // PyTorch's default: weight and bias ~ U(-b, b), b = 1/sqrt(fan_in), the fan_in of the weight's
  // layout (layers/init.h): in * kh * kw for Conv2d, out * kh * kw for ConvTranspose2d.
  void reset_parameters(Rng& rng);
  Tensor& weight() { return weight_; }
  Tensor& bias() { return bias_; }  // empty without bias

 protected:
  // `output` is already checked against `input` by the subclass's shape rule.
  ConvLayer(std::string kind, const ImageShape& input, const ConvParams& params, const ImageShape& output,
            const Shape& weight_shape, ConvKernels kernels);

 private:
  cpu::ConvGeometry geometry(int64_t n) const;

  std::string kind_;
  ConvKernels kernels_;
  ConvParams params_;
  ImageShape input_, output_;
  Tensor weight_, bias_, weight_grad_, bias_grad_;
  cpu::ImageLayout in_layout_ = cpu::ImageLayout::Plain, out_layout_ = cpu::ImageLayout::Plain;
  ConstMatrixView x_;  // the last forward's input (owned by the caller, alive until backward)
  ConstMatrixView y_;  // the last forward's output, for the activation's derivative
  Tensor dz_;          // scratch: gradient before the activation

  friend bool link_blocked_images(Layer& producer, Layer& consumer);
  friend bool link_blocked_dense(Layer& producer, Layer& consumer);  // blocked_dense_link.h
};

// When `producer` and `consumer` are both convolutions (conv2d or conv_transpose2d), the consumer
// runs right after the producer on its output, and the image between them can be blocked
// (cpu::can_block_channels), the two pass it (and its gradient) in the blocked layout from now
// on, which saves a reorder each way in both passes; returns whether they do. Nobody else may
// read that image: the caller links only layers within one half of a network, never the code.
bool link_blocked_images(Layer& producer, Layer& consumer);

// The end of both registry builders: initialises the weights as the spec or the model says
// (initialize_layer_weights) and returns the layer with its output shape.
BuiltLayer built_conv_layer(const LayerBuild& b, std::unique_ptr<ConvLayer> layer);
// The registry plan of a conv layer with these settings, output and weight shape: weight (and
// bias), after the constructor's weight-size cap and the init options are checked.
LayerPlan conv_layer_plan(const std::string& kind, const LayerSpec& spec, const ConvParams& params,
                          const ImageShape& output, const Shape& weight_shape);

}  // namespace aekit
