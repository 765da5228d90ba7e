#include <aekit/layers/layer_registry.h>

#include <aekit/core/error.h>
#include <aekit/layers/activity_penalty.h>
#include <aekit/layers/dense.h>
#include <aekit/layers/dropout.h>

namespace aekit {

const std::vector<LayerKind>& layer_kinds() {
  // One line per kind (see layer_registry.h for how to add one).
  static const std::vector<LayerKind> kinds = {
      {"dense", build_dense, "fully connected: out=N, activation=NAME (default identity), init=NAME"},
      {"dropout", build_dropout, "inverted dropout in training: p=P"},
      {"l1_activity", build_l1_activity, "sparse AE: weight * sum |h| of the layer before (training only): weight=W"},
      {"kl_sparsity", build_kl_sparsity, "sparse AE: beta * KL(rho || mean activation) of the layer before: rho=R, beta=B"},
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

}  // namespace aekit
