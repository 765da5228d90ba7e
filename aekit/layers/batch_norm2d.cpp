#include <aekit/layers/batch_norm2d.h>

#include <aekit/backend/cpu/batch_norm.h>
#include <aekit/core/error.h>
#include <aekit/layers/image_spec.h>

#include <cmath>

namespace aekit {

std::string BatchNormParams::describe() const {
  return "batch_norm2d(" + std::to_string(channels) + ")";
}

namespace {

// The constructor's checks, which the registry's planner makes before anything is allocated.
void check_settings(const BatchNormParams& params, const ImageShape& input) {
  if (params.channels <= 0) fail(params.describe(), ": the channel count must be positive");
  if (input.channels != params.channels)
    fail(params.describe(), ": input ", input.str(), " has ", input.channels, " channels, the layer expects ",
         params.channels);
  if (input.pixels() <= 0) fail(params.describe(), ": input ", input.str(), " is empty");
  if (!(params.eps > 0.0f)) fail(params.describe(), ": eps must be positive");
  if (params.momentum && !(*params.momentum >= 0.0f && *params.momentum <= 1.0f))
    fail(params.describe(), ": momentum must be in [0, 1]");
}

}  // namespace

BatchNorm2d::BatchNorm2d(const ImageShape& input, const BatchNormParams& params)
    : params_(params), input_(input) {
  check_settings(params, input);
  const int64_t c = params.channels;
  if (params.affine) {
    weight_ = Tensor({c});
    weight_.fill(1.0f);
    bias_ = Tensor({c});
    weight_grad_ = Tensor({c});
    bias_grad_ = Tensor({c});
  }
  running_mean_ = Tensor({c});
  running_var_ = Tensor({c});
  running_var_.fill(1.0f);
  batches_tracked_ = Tensor({1});
  mean_ = Tensor({c});
  invstd_ = Tensor({c});
  var_ = Tensor({c});
}

void BatchNorm2d::forward(ConstMatrixView x, Tensor& y, Mode mode) {
  AEKIT_ASSERT(x.cols == in_features(), "batch_norm2d input has ", x.cols, " columns, layer expects ",
               in_features(), " (", input_.str(), ")");
  const cpu::NormGeometry g{x.rows, input_.channels, input_.pixels()};
  const int64_t c = input_.channels;
  const float eps = params_.eps;
  y.resize({x.rows, x.cols});
  x_ = x;
  used_batch_stats_ = mode == Mode::Train;
  if (used_batch_stats_) {
    const int64_t count = x.rows * input_.pixels();
    if (count <= 1)
      fail(params_.describe(), ": training needs more than one value per channel, got a batch of ", x.rows,
           " image(s) of ", input_.str());
    cpu::batch_norm_statistics(g, x.data, mean_.data(), var_.data());
    batches_tracked_[0] += 1.0f;
    const float m = params_.momentum ? *params_.momentum : 1.0f / batches_tracked_[0];
    const float unbias = static_cast<float>(count) / static_cast<float>(count - 1);
    for (int64_t i = 0; i < c; ++i) {
      invstd_[i] = 1.0f / std::sqrt(var_[i] + eps);
      running_mean_[i] = (1.0f - m) * running_mean_[i] + m * mean_[i];
      running_var_[i] = (1.0f - m) * running_var_[i] + m * var_[i] * unbias;
    }
  } else {
    for (int64_t i = 0; i < c; ++i) {
      mean_[i] = running_mean_[i];
      invstd_[i] = 1.0f / std::sqrt(running_var_[i] + eps);
    }
  }
  if (x.rows == 0) return;
  cpu::batch_norm_forward(g, x.data, mean_.data(), invstd_.data(), params_.affine ? weight_.data() : nullptr,
                          params_.affine ? bias_.data() : nullptr, y.data());
}

void BatchNorm2d::backward(ConstMatrixView dy, Tensor* dx) {
  AEKIT_ASSERT(dy.rows == x_.rows && dy.cols == in_features(), "batch_norm2d backward: gradient shape "
               "does not match the last output");
  if (dx) dx->resize({dy.rows, dy.cols});
  const cpu::NormGeometry g{dy.rows, input_.channels, input_.pixels()};
  const bool affine = params_.affine;
  cpu::batch_norm_backward(g, used_batch_stats_, x_.data, dy.data, mean_.data(), invstd_.data(),
                           affine ? weight_.data() : nullptr, dx ? dx->data() : nullptr,
                           affine ? weight_grad_.data() : nullptr, affine ? bias_grad_.data() : nullptr);
}

std::vector<Param> BatchNorm2d::params() {
  if (!params_.affine) return {};
  return {{"weight", &weight_, &weight_grad_}, {"bias", &bias_, &bias_grad_}};
}

std::vector<Param> BatchNorm2d::buffers() {
  return {{"running_mean", &running_mean_, nullptr},
          {"running_var", &running_var_, nullptr},
          {"num_batches_tracked", &batches_tracked_, nullptr, /*integer=*/true}};
}

namespace {

// A number option narrowed to float; out of the float range is an error, not undefined behaviour.
float float_option(const LayerSpec& spec, const std::string& key, float fallback) {
  const std::optional<float> f = checked_float(spec.number(key, fallback));
  if (!f) fail("layer batch_norm2d: option '", key, "' is outside the float range");
  return *f;
}

BatchNormParams batch_norm_params(const LayerSpec& spec, const ImageShape& in) {
  spec.check_options({"eps", "momentum", "affine"});
  BatchNormParams p;
  p.channels = in.channels;
  p.eps = float_option(spec, "eps", p.eps);
  if (spec.options.contains("momentum") && spec.options["momentum"].is_string()) {
    if (spec.text("momentum", "") != "none")
      fail("layer batch_norm2d: momentum must be a number or none, got '", spec.text("momentum", ""), "'");
    p.momentum.reset();
  } else {
    p.momentum = float_option(spec, "momentum", *p.momentum);
  }
  p.affine = spec.flag("affine", p.affine);
  return p;
}

}  // namespace

LayerPlan plan_batch_norm2d(const LayerSpec& spec, const Shape& in_shape) {
  const ImageShape in = image_input(spec, in_shape);
  const BatchNormParams p = batch_norm_params(spec, in);
  check_settings(p, in);
  const int64_t c = in.channels;
  LayerPlan plan{in_shape, {}, {{"running_mean", {c}}, {"running_var", {c}}, {"num_batches_tracked", {1}}}};
  if (p.affine) plan.params = {{"weight", {c}}, {"bias", {c}}};
  return plan;
}

BuiltLayer build_batch_norm2d(const LayerBuild& b) {
  const ImageShape in = image_input(b.spec, b.in_shape);
  return {std::make_unique<BatchNorm2d>(in, batch_norm_params(b.spec, in)), b.in_shape};
}

}  // namespace aekit
