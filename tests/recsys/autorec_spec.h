#pragma once
// The recommender tests' small I-AutoRec: items -> hidden sigmoid -> items identity.
#include <aekit/models/dense_arch.h>

#include <cstdint>

namespace aekit::test {

inline ModelSpec autorec_spec(int64_t items, int64_t hidden) {
  DenseArch arch;
  arch.encoder = {items, hidden};
  arch.activation = "sigmoid";
  arch.output_activation = "identity";
  return arch.to_spec();
}

}  // namespace aekit::test
