#include <aekit/layers/dropout.h>

#include <aekit/core/error.h>

#include <algorithm>

namespace aekit {

Dropout::Dropout(int64_t features, float p, uint64_t seed) : features_(features), p_(p), rng_(seed) {
  if (!(p >= 0.0f && p < 1.0f)) fail("dropout probability must be in [0, 1), got ", p);
}

LayerPlan plan_dropout(const LayerSpec& spec, const Shape& in_shape) {
  spec.check_options({"p"});
  const double p = spec.number("p");
  if (!(p >= 0.0 && p < 1.0)) fail("dropout probability must be in [0, 1), got ", p);
  return {in_shape, {}, {}};
}

BuiltLayer build_dropout(const LayerBuild& b) {
  const LayerPlan plan = plan_dropout(b.spec, b.in_shape);
  const int64_t features = shape_size(b.in_shape);
  return {std::make_unique<Dropout>(features, static_cast<float>(b.spec.number("p")), b.rng.next_u64()),
          plan.out_shape};
}

void Dropout::forward(ConstMatrixView x, Tensor& y, Mode mode) {
  y.resize({x.rows, x.cols});
  last_was_training_ = mode == Mode::Train && p_ > 0.0f;
  if (!last_was_training_) {
    std::copy_n(x.data, x.size(), y.data());
    return;
  }
  // The mask is drawn serially from the layer's own generator: the same seed gives the same
  // mask for any thread count.
  mask_.resize({x.rows, x.cols});
  const float keep_scale = 1.0f / (1.0f - p_);
  for (float& m : mask_.span()) m = rng_.uniform() < p_ ? 0.0f : keep_scale;
  for (int64_t i = 0; i < x.size(); ++i) y[i] = x.data[i] * mask_[i];
}

void Dropout::backward(ConstMatrixView dy, Tensor* dx) {
  if (!dx) return;
  dx->resize({dy.rows, dy.cols});
  if (!last_was_training_) {
    std::copy_n(dy.data, dy.size(), dx->data());
    return;
  }
  for (int64_t i = 0; i < dy.size(); ++i) (*dx)[i] = dy.data[i] * mask_[i];
}

}  // namespace aekit
