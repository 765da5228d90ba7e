#pragma once
// Inverted dropout as in PyTorch: in training each value is zeroed with probability p and the
// survivors are scaled by 1/(1-p); at inference the layer is the identity.
#include <aekit/core/rng.h>
#include <aekit/layers/layer.h>
#include <aekit/layers/layer_registry.h>

#include <cstdint>
#include <vector>

namespace aekit {

class Dropout final : public Layer {
 public:
  Dropout(int64_t features, float p, uint64_t seed);
  std::string kind() const override { return "dropout"; }
  int64_t in_features() const override { return features_; }
  int64_t out_features() const override { return features_; }
  float p() const { return p_; }
  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;
  std::vector<Rng*> generators() override { return {&rng_}; }

 private:
  int64_t features_;
  float p_;
  Rng rng_;
  Tensor mask_;  // 0 or 1/(1-p) per element of the last training batch
  bool last_was_training_ = false;
};

// Registry planner and builder: dropout(p=P); the mask generator is seeded from the model's
// generator. No parameters; the output has the input's shape.
LayerPlan plan_dropout(const LayerSpec& spec, const Shape& in_shape);
BuiltLayer build_dropout(const LayerBuild& b);

}  // namespace aekit
