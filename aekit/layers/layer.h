#pragma once
// The layer contract. A layer maps a batch x (rows = samples) to y; forward caches what backward
// needs, backward takes dL/dy, writes dL/dx (when asked) and overwrites the gradients of its
// parameters. There is no general autograd: each backward is hand-written and proven by a
// finite-difference check in tests/gradcheck.
//
// Extra loss terms (activity penalties, sparsity, contractive, KL) use one mechanism: a layer
// that adds a term to the objective computes it in its training forward, reports it through
// loss_terms(), and includes its gradient in its own backward (w.r.t. its input and parameters).
// A term that also depends on another layer's parameters adds that part in after_backward(), which
// the model calls once every layer's backward has run. The trainer sums the terms into the
// objective and reports them apart from the reconstruction error.
#include <aekit/core/rng.h>
#include <aekit/core/tensor.h>

#include <string>
#include <vector>

namespace aekit {

enum class Mode { Train, Infer };

// A trainable tensor and its gradient, as optimizers and the model file see it.
struct Param {
  std::string name;  // "weight", "bias"; the model prefixes it with the layer's name
  Tensor* value;
  Tensor* grad;
  // A count kept as float in memory and stored as int64 in the model file, as PyTorch stores it
  // (BatchNorm2d's num_batches_tracked).
  bool integer = false;
};

// One named term of the training objective besides the reconstruction loss, already weighted
// and on the loss's scale (it is added to the mean reconstruction loss as it is).
struct LossTerm {
  std::string name;  // "kl_sparsity", "l1_activity", "contractive", "kl"
  double value = 0.0;
};

class Layer {
 public:
  virtual ~Layer() = default;
  virtual std::string kind() const = 0;
  virtual int64_t in_features() const = 0;
  virtual int64_t out_features() const = 0;
  // y is resized to (x.rows, out_features()).
  virtual void forward(ConstMatrixView x, Tensor& y, Mode mode) = 0;
  // dy has the shape of the last forward's y. dx, when not null, is resized to x's shape.
  virtual void backward(ConstMatrixView dy, Tensor* dx) = 0;
  virtual std::vector<Param> params() { return {}; }
  // State the model file saves beside the parameters but nobody trains (BatchNorm2d's running
  // statistics); grad is null. None by default.
  virtual std::vector<Param> buffers() { return {}; }
  // The random generators the layer draws from in training (dropout masks, corruption), so that a
  // checkpoint can save and restore their streams. None by default.
  virtual std::vector<Rng*> generators() { return {}; }
  // Runs once the model file has written the parameters and buffers: InputError (naming the
  // layer and the tensor) on values the layer cannot run with (indices out of range, NaN), and the
  // place to derive what the layer computes from them. Nothing by default.
  virtual void check_stored() {}

  // The terms the last Mode::Train forward added to the objective (none by default).
  virtual void loss_terms(std::vector<LossTerm>& out) const { (void)out; }
  // Runs after the whole network's backward, for gradients this layer's terms add to another
  // layer's parameters (whose backward overwrote them).
  virtual void after_backward() {}
  // Whether after_backward adds to another layer's gradients. Code that knows where a layer's own
  // gradient is zero (the sparse network's rating rows, recsys/sparse_network.h) must ask.
  virtual bool adds_to_other_gradients() const { return false; }
  // Training progress, for terms whose weight follows a schedule (KL annealing). 0-based.
  virtual void begin_epoch(int epoch) { (void)epoch; }
  // The same per update: the 0-based count of batches the run has trained before this one
  // (KL annealing per step, as Liang et al.'s Mult-VAE code). Called after begin_epoch.
  virtual void begin_step(int64_t step) { (void)step; }
};

}  // namespace aekit
