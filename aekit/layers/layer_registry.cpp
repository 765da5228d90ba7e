#include <aekit/layers/layer_registry.h>

#include <aekit/core/error.h>
#include <aekit/layers/activity_penalty.h>
#include <aekit/layers/batch_norm2d.h>
#include <aekit/layers/contractive.h>
#include <aekit/layers/conv2d.h>
#include <aekit/layers/conv_transpose2d.h>
#include <aekit/layers/corruption.h>
#include <aekit/layers/dense.h>
#include <aekit/layers/dropout.h>
#include <aekit/layers/factored_ease.h>
#include <aekit/layers/flatten.h>
#include <aekit/layers/gaussian_sample.h>
#include <aekit/layers/max_pool2d.h>
#include <aekit/layers/reshape.h>
#include <aekit/layers/upsample.h>
#include <aekit/layers/tied_dense.h>

namespace aekit {

const std::vector<LayerKind>& layer_kinds() {
  // One line per kind (see layer_registry.h for how to add one).
  static const std::vector<LayerKind> kinds = {
      {"dense", build_dense, plan_dense, "fully connected: out=N, activation=NAME (default identity), init=NAME"},
      {"tied_dense", build_tied_dense, plan_tied_dense, "tied weights: act(x W + b) with W the weight of dense layer tie=NAME (e.g. encoder.0), out=N its input size: tie, out, activation"},
      {"dropout", build_dropout, plan_dropout, "inverted dropout in training: p=P"},
      {"corrupt", build_corrupt, plan_corrupt, "denoising AE: corrupt the input in training: noise=gaussian|masking|salt_pepper, level=L"},
      {"l1_activity", build_l1_activity, plan_l1_activity, "sparse AE: weight * sum |h| of the layer before (training only): weight=W"},
      {"contractive", build_contractive, plan_contractive, "contractive AE: weight * ||dh/dx||_F^2 of the dense layers right below (sigmoid, tanh, relu, identity; exact for one, Hutchinson estimate with P probes for more, P=0 exact; training only): weight=L, probes=P"},
      {"gaussian_sample", build_gaussian_sample, plan_gaussian_sample, "variational AE: z = mu + e^(logvar/2) eps from [mu | logvar] (2L values to L; the mean at inference), adding beta * KL(q(z|x) || N(0, I)), annealed over warmup epochs: beta=1, warmup=0"},
      {"kl_sparsity", build_kl_sparsity, plan_kl_sparsity, "sparse AE: beta * KL(rho || mean activation) of the layer before: rho=R, beta=B"},
      {"factored_ease", build_factored_ease, plan_factored_ease, "EASE's item-item map from fewer users' interactions (Woodbury; written by aekit train --model ease|edlae, not trained): users=U, interactions=N"},
      // Image layers (NCHW, PyTorch's shapes); sizes are a number or HxW.
      {"conv2d", build_conv2d, plan_conv2d, "convolution: out=C, kernel=K, stride=1, padding=0, dilation=1, bias=true, activation=NAME, init=NAME"},
      {"conv_transpose2d", build_conv_transpose2d, plan_conv_transpose2d, "transposed convolution: out=C, kernel=K, stride=1, padding=0, output_padding=0, dilation=1, bias=true, activation=NAME, init=NAME"},
      {"max_pool2d", build_max_pool2d, plan_max_pool2d, "max pooling: kernel=K (2), stride=K, padding=0, dilation=1, ceil_mode=false"},
      {"upsample", build_upsample, plan_upsample, "resizing: scale=S or height=H, width=W; mode=nearest|bilinear, align_corners=false"},
      {"batch_norm2d", build_batch_norm2d, plan_batch_norm2d, "per-channel batch normalisation: eps=1e-5, momentum=0.1|none, affine=true"},
      {"flatten", build_flatten, plan_flatten, "an image to a vector (no options)"},
      {"reshape", build_reshape, plan_reshape, "a vector to an image: channels=C, height=H, width=W"},
  };
  return kinds;
}

namespace {

const LayerKind& find_kind(const std::string& kind) {
  for (const LayerKind& k : layer_kinds())
    if (k.kind == kind) return k;
  std::string valid;
  for (const LayerKind& k : layer_kinds()) {
    if (!valid.empty()) valid += ", ";
    valid += k.kind;
  }
  fail("unknown layer kind '", kind, "' (known: ", valid, ")");
}

}  // namespace

LayerPlan plan_layer(const LayerSpec& spec, const Shape& in_shape) {
  const LayerKind& k = find_kind(spec.kind);
  AEKIT_ASSERT(k.plan, "layer kind ", spec.kind, " has no planner (see layer_registry.h)");
  return k.plan(spec, in_shape);
}

BuiltLayer build_layer(const LayerBuild& b) {
  const LayerKind& k = find_kind(b.spec.kind);
  // The plan is what a model file is checked against before anything is built; a builder that
  // disagrees with it would let a file through that the network then does not fit.
  const LayerPlan plan = plan_layer(b.spec, b.in_shape);
  BuiltLayer built = k.build(b);
  AEKIT_ASSERT(built.layer && shape_size(built.out_shape) == built.layer->out_features(), "builder of ", b.spec.kind,
               " returned an inconsistent layer");
  AEKIT_ASSERT(built.out_shape == plan.out_shape, "layer ", b.spec.kind, ": built output ",
               shape_string(built.out_shape), " differs from its plan ", shape_string(plan.out_shape));
  const std::vector<Param> params = built.layer->params();
  AEKIT_ASSERT(params.size() == plan.params.size(), "layer ", b.spec.kind, ": ", params.size(),
               " parameters built, ", plan.params.size(), " planned");
  for (size_t i = 0; i < params.size(); ++i)
    AEKIT_ASSERT(params[i].name == plan.params[i].first && params[i].value->shape() == plan.params[i].second,
                 "layer ", b.spec.kind, ": parameter ", params[i].name, " ", shape_string(params[i].value->shape()),
                 " differs from its plan ", plan.params[i].first, " ", shape_string(plan.params[i].second));
  const std::vector<Param> buffers = built.layer->buffers();
  AEKIT_ASSERT(buffers.size() == plan.buffers.size(), "layer ", b.spec.kind, ": ", buffers.size(),
               " buffers built, ", plan.buffers.size(), " planned");
  for (size_t i = 0; i < buffers.size(); ++i)
    AEKIT_ASSERT(buffers[i].name == plan.buffers[i].first && buffers[i].value->shape() == plan.buffers[i].second,
                 "layer ", b.spec.kind, ": buffer ", buffers[i].name, " differs from its plan");
  return built;
}

void check_init_options(const LayerSpec& spec) {
  if (spec.options.contains("init")) parse_init(spec.text("init", ""));
  if (spec.options.contains("init_sigma") && !checked_float(spec.number("init_sigma")))
    fail("layer ", spec.kind, ": init_sigma ", spec.number("init_sigma"), " is outside the float range");
}

void initialize_layer_weights(const LayerBuild& b, Tensor& weight, Tensor& bias) {
  const Init init = b.spec.options.contains("init") ? parse_init(b.spec.text("init", "")) : b.init;
  check_init_options(b.spec);  // the planner has, but narrowing below must never be out of range
  const float sigma = b.spec.options.contains("init_sigma") ? *checked_float(b.spec.number("init_sigma")) : b.init_sigma;
  initialize_weights(init, sigma, weight, bias, b.rng);
}

}  // namespace aekit
