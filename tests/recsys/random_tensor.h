#pragma once
// A rows x cols tensor of values uniform in [-1, 1), drawn in one fixed order from `seed`: the
// weights and activations of the sparse layers' product tests.
#include <aekit/core/rng.h>
#include <aekit/core/tensor.h>

#include <cstdint>

namespace aekit::test {

inline Tensor random_tensor(int64_t rows, int64_t cols, uint64_t seed) {
  Rng rng(seed);
  Tensor t({rows, cols});
  for (float& v : t.span()) v = static_cast<float>(rng.uniform(-1, 1));
  return t;
}

}  // namespace aekit::test
