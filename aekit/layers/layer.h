#pragma once
// The layer contract. A layer maps a batch x (rows = samples) to y; forward caches what backward
// needs, backward takes dL/dy, writes dL/dx (when asked) and overwrites the gradients of its
// parameters. There is no general autograd: each backward is hand-written and proven by a
// finite-difference check in tests/gradcheck.
#include <aekit/core/tensor.h>

#include <string>
#include <vector>

namespace aekit {

enum class Mode { Train, Infer };

// A trainable tensor and its gradient, as optimizers and the model file see it.
struct Param {
  std::string name;  // "weight", "bias"; the model prefixes it with the layer's index
  Tensor* value;
  Tensor* grad;
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
};

}  // namespace aekit
