#include <aekit/layers/layer_registry.h>

#include <aekit/core/error.h>
#include <aekit/layers/activity_penalty.h>
#include <aekit/layers/batch_norm2d.h>
#include <aekit/layers/conv2d.h>
#include <aekit/layers/conv_transpose2d.h>
#include <aekit/layers/corruption.h>
#include <aekit/layers/dense.h>
#include <aekit/layers/dropout.h>
#include <aekit/layers/flatten.h>
#include <aekit/layers/max_pool2d.h>
#include <aekit/layers/reshape.h>
#include <aekit/layers/upsample.h>

namespace aekit {

const std::vector<LayerKind>& layer_kinds() {
  // One line per kind (see layer_registry.h for how to add one).
  static const std::vector<LayerKind> kinds = {
      {"dense", build_dense, "fully connected: out=N, activation=NAME (default identity), init=NAME"},
      {"dropout", build_dropout, "inverted dropout in training: p=P"},
      {"corrupt", build_corrupt, "denoising AE: corrupt the input in training: noise=gaussian|masking|salt_pepper, level=L"},
      {"l1_activity", build_l1_activity, "sparse AE: weight * sum |h| of the layer before (training only): weight=W"},
      {"kl_sparsity", build_kl_sparsity, "sparse AE: beta * KL(rho || mean activation) of the layer before: rho=R, beta=B"},
      // Image layers (NCHW, PyTorch's shapes); sizes are a number or HxW.
      {"conv2d", build_conv2d, "convolution: out=C, kernel=K, stride=1, padding=0, dilation=1, bias=true, activation=NAME, init=NAME"},
      {"conv_transpose2d", build_conv_transpose2d, "transposed convolution: out=C, kernel=K, stride=1, padding=0, output_padding=0, dilation=1, bias=true, activation=NAME, init=NAME"},
      {"max_pool2d", build_max_pool2d, "max pooling: kernel=K (2), stride=K, padding=0, dilation=1, ceil_mode=false"},
      {"upsample", build_upsample, "resizing: scale=S or height=H, width=W; mode=nearest|bilinear, align_corners=false"},
      {"batch_norm2d", build_batch_norm2d, "per-channel batch normalisation: eps=1e-5, momentum=0.1|none, affine=true"},
      {"flatten", build_flatten, "an image to a vector (no options)"},
      {"reshape", build_reshape, "a vector to an image: channels=C, height=H, width=W"},
  };
  return kinds;
}

BuiltLayer build_layer(const LayerBuild& b) {
  for (const LayerKind& k : layer_kinds())
    if (k.kind == b.spec.kind) {
      BuiltLayer built = k.build(b);
      AEKIT_ASSERT(built.layer && shape_size(built.out_shape) == built.layer->out_features(),
                   "builder of ", b.spec.kind, " returned an inconsistent layer");
      return built;
    }
  std::string valid;
  for (const LayerKind& k : layer_kinds()) {
    if (!valid.empty()) valid += ", ";
    valid += k.kind;
  }
  fail("unknown layer kind '", b.spec.kind, "' (known: ", valid, ")");
}

void initialize_layer_weights(const LayerBuild& b, Tensor& weight, Tensor& bias) {
  const Init init = b.spec.options.contains("init") ? parse_init(b.spec.text("init", "")) : b.init;
  initialize_weights(init, static_cast<float>(b.spec.number("init_sigma", b.init_sigma)), weight, bias, b.rng);
}

}  // namespace aekit
