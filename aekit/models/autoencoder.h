#pragma once
// An autoencoder built from a ModelSpec: the encoder's layers down to the code, the decoder's back
// to the input size, each built by the layer registry. It owns the activations of the last
// forward pass, so one instance trains or infers on one batch at a time; encode/decode/reconstruct
// work through large inputs in chunks (Mode::Infer: no dropout, no corruption, no sampling).
//
// Parameters are named "<half>.<k>.<param>" where k counts the layers of that half that have
// parameters or buffers ("encoder.0.weight", "decoder.1.bias", "encoder.2.running_mean"), so
// inserting a dropout or penalty layer does not rename weights.
#include <aekit/layers/dense.h>
#include <aekit/layers/layer.h>
#include <aekit/models/model_spec.h>

#include <memory>
#include <vector>

namespace aekit {

class Autoencoder {
 public:
  // Builds and initialises every layer from `seed`; InputError when the spec does not build.
  Autoencoder(const ModelSpec& spec, uint64_t seed);

  const ModelSpec& spec() const { return spec_; }
  int64_t input_size() const { return spec_.input_size(); }
  int64_t code_size() const { return layers_[code_end_ - 1]->out_features(); }

  // Full pass; the returned output stays valid until the next forward. x must stay alive until
  // backward (the layers keep views of their inputs).
  const Tensor& forward(ConstMatrixView x, Mode mode);
  // Back-propagates dL/d(output) of the last forward and fills every parameter's gradient,
  // including the gradients of the loss terms (see layer.h).
  void backward(ConstMatrixView output_grad);
  // For losses on logits: the output layer (which must be dense) skips its activation in forward.
  void set_output_logits(bool on);
  bool output_logits() const;

  // The extra objective terms of the last Mode::Train forward, and their sum.
  std::vector<LossTerm> loss_terms() const;
  double penalty() const;
  // Tells every layer the 0-based epoch about to start (for scheduled term weights).
  void begin_epoch(int epoch);
  // Tells every layer the 0-based update step about to be taken (Layer::begin_step).
  void begin_step(int64_t step);
  // The arithmetic of every dense layer's products (see aekit/core/precision.h).
  void set_precision(Precision p);

  // Batched inference (Mode::Infer), any number of rows.
  Tensor encode(ConstMatrixView x);
  Tensor decode(ConstMatrixView codes);
  Tensor reconstruct(ConstMatrixView x);
  // Layers [first, last) in Mode::Infer on any number of rows: x is what layer `first` takes
  // (a VAE's evaluation reads the posterior statistics entering its sampling layer).
  Tensor infer_layers(size_t first, size_t last, ConstMatrixView x);

  // Parameters named "encoder.<k>.weight", "decoder.<k>.bias", ... in a fixed order.
  std::vector<Param> params();
  // The layers' buffers (BatchNorm2d's running statistics), named as the parameters; the model
  // file stores them, optimizers never see them.
  std::vector<Param> buffers();
  // The layers' random generators (dropout, corruption), in layer order, for checkpoints.
  std::vector<Rng*> generators();
  int64_t parameter_count();
  // Multiply-adds of one sample's forward pass, counted from the parameters: a dense weight once,
  // a convolution's kernel once per position of its output (an estimate for the thread choice).
  double multiply_adds_per_sample();
  std::vector<Dense*> dense_layers();
  // The layers in order; those before code_end() form the encoder. Training paths may run some
  // layers their own way (the sparse first and last layers of recsys/sparse_network.h).
  size_t layer_count() const { return layers_.size(); }
  size_t code_end() const { return code_end_; }
  Layer& layer(size_t i) { return *layers_.at(i); }
  const Layer& layer(size_t i) const { return *layers_.at(i); }
  const std::string& layer_name(size_t i) const { return layer_names_.at(i); }
  // One sample's shape after layer i: {features} or {channels, height, width}.
  const Shape& output_shape(size_t i) const { return shapes_.at(i); }

 private:
  // Runs layers [first, last) on x; returns the output of the last one.
  const Tensor& run(size_t first, size_t last, ConstMatrixView x, Mode mode);
  Tensor run_chunked(size_t first, size_t last, ConstMatrixView x);
  void add_half(const std::vector<LayerSpec>& specs, const std::string& half, Shape& shape, Rng& rng);
  // Links the layers from `first` on that pass images to each other in the blocked layout.
  void link_blocked_layers(size_t first);

  ModelSpec spec_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<std::string> layer_names_;  // "encoder.0", "" for layers without parameters
  size_t code_end_ = 0;                   // layers_[0, code_end_) form the encoder
  std::vector<Shape> shapes_;             // shapes_[i] = one sample's shape after layers_[i]
  std::vector<Tensor> outputs_;           // outputs_[i] = output of layers_[i]
  int64_t activation_values_ = 0;         // every layer's output of one sample together
  Tensor grad_a_, grad_b_;                // ping-pong buffers for backward
};

// The sample shapes along the network, "784-128-64-128-784" or "1x28x28-16x14x14-...-1x28x28",
// with the kinds of any layers besides dense and dropout listed after it:
// "784-256-64-256-784 (kl_sparsity)".
std::string describe_network(const Autoencoder& net);
// One line per layer: its half, its spec and the shape of one sample after it,
// "encoder conv2d(activation=relu, kernel=3, out=16, padding=1, stride=2) -> 16x14x14".
std::vector<std::string> describe_layers(const Autoencoder& net);
// "16x14x14" for {16, 14, 14}, "32" for {32}.
std::string sample_shape_text(const Shape& shape);

}  // namespace aekit
