#pragma once
// A dense autoencoder: encoder layers down to the code, decoder layers back to the input size,
// built from a ModelSpec. It owns the activations of the last forward pass, so one instance
// trains or infers on one batch at a time; encode/decode/reconstruct work through large inputs
// in chunks.
#include <aekit/layers/dense.h>
#include <aekit/layers/layer.h>
#include <aekit/models/model_spec.h>

#include <memory>
#include <vector>

namespace aekit {

class Autoencoder {
 public:
  Autoencoder(const ModelSpec& spec, uint64_t seed);

  const ModelSpec& spec() const { return spec_; }
  int64_t input_size() const { return spec_.input_size(); }
  int64_t code_size() const { return spec_.code_size(); }

  // Full pass; the returned output stays valid until the next forward. x must stay alive until
  // backward (the layers keep views of their inputs).
  const Tensor& forward(ConstMatrixView x, Mode mode);
  // Back-propagates dL/d(output) of the last forward and fills every parameter's gradient.
  void backward(ConstMatrixView output_grad);
  // For losses on logits: the output layer then skips its activation in forward.
  void set_output_logits(bool on) { output_layer().set_emit_logits(on); }
  bool output_logits() { return output_layer().emits_logits(); }
  // The arithmetic of every dense layer's products (see aekit/core/precision.h).
  void set_precision(Precision p);

  // Batched inference (Mode::Infer), any number of rows.
  Tensor encode(ConstMatrixView x);
  Tensor decode(ConstMatrixView codes);
  Tensor reconstruct(ConstMatrixView x);

  // Parameters named "encoder.<i>.weight", "decoder.<i>.bias", ... in a fixed order.
  std::vector<Param> params();
  int64_t parameter_count();
  std::vector<Dense*> dense_layers();
  // The layers in order (dense, dropout, ...), for training paths that run some layers their own
  // way (the sparse first and last layers of recsys/sparse_network.h).
  size_t layer_count() const { return layers_.size(); }
  Layer& layer(size_t i) { return *layers_[i]; }

 private:
  // Runs layers [first, last) on x; returns the output of the last one.
  const Tensor& run(size_t first, size_t last, ConstMatrixView x, Mode mode);
  Tensor run_chunked(size_t first, size_t last, ConstMatrixView x);
  Dense& output_layer();

  ModelSpec spec_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<std::string> layer_names_;  // "encoder.0", "" for layers without parameters
  size_t code_end_ = 0;                   // layers_[0, code_end_) form the encoder
  std::vector<Tensor> outputs_;           // outputs_[i] = output of layers_[i]
  Tensor grad_a_, grad_b_;                // ping-pong buffers for backward
};

}  // namespace aekit
