#pragma once
// Input corruption of the denoising autoencoder. The model learns to reconstruct the clean input
// from a corrupted copy: a corrupt layer first in the encoder corrupts the batch in training
// (Mode::Train) and is the identity at inference, while the loss compares with the clean batch.
//   gaussian:SIGMA     x + N(0, SIGMA^2)
//   masking:FRACTION   each value set to 0 with probability FRACTION
//   salt_pepper:FRACTION  each value, with probability FRACTION, set to 0 or 1 (even odds)
// `aekit eval --corrupt KIND:LEVEL` applies the same corruption to measure denoising.
#include <aekit/core/rng.h>
#include <aekit/layers/layer.h>
#include <aekit/layers/layer_registry.h>

#include <string>

namespace aekit {

enum class CorruptionKind { Gaussian, Masking, SaltPepper };

struct Corruption {
  CorruptionKind kind = CorruptionKind::Gaussian;
  double level = 0.0;  // sigma, or the fraction of values replaced
  static Corruption parse(const std::string& text);  // "gaussian:0.3"; InputError when invalid
  static Corruption make(const std::string& kind, double level);
  std::string kind_name() const;
};

// Corrupts x in place. When mask is not null it receives 1 where the value kept its own content
// (its input gradient passes) and 0 where it was replaced.
void corrupt_values(MatrixView x, const Corruption& c, Rng& rng, Tensor* mask = nullptr);

class Corrupt final : public Layer {
 public:
  Corrupt(int64_t features, Corruption c, uint64_t seed) : features_(features), c_(c), rng_(seed) {}
  std::string kind() const override { return "corrupt"; }
  int64_t in_features() const override { return features_; }
  int64_t out_features() const override { return features_; }
  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;
  std::vector<Rng*> generators() override { return {&rng_}; }

 private:
  int64_t features_;
  Corruption c_;
  Rng rng_;
  Tensor mask_;
  bool masked_ = false;
};

// Registry planner (no parameters, the output is the input) and builder.
LayerPlan plan_corrupt(const LayerSpec& spec, const Shape& in_shape);
BuiltLayer build_corrupt(const LayerBuild& b);  // corrupt(noise=gaussian|masking|salt_pepper, level=L)

}  // namespace aekit
