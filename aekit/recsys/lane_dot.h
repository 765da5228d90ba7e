#pragma once
// The dot products of the sparse network's sampled last layer (sparse_network.h): an output is
// bias + h . w over the layer's width, summed in 16 lanes (value j into lane j % 16, each lane a
// chain of fused multiply-adds from 0), the lanes then added in order from 0. One vector
// multiply-add per 16 values, in an order fixed by the width alone, so the same bits for any
// thread count. One serial chain of adds, the order it replaced, ran at a sixteenth of that: the
// sampled outputs of an I-AutoRec step (~700 dot products of 500) were ~10% of its epoch.
#include <aekit/core/tensor.h>

#include <cmath>
#include <cstdint>
#include <span>

namespace aekit {

// a . b over n values in that order. Each multiply-add is std::fma: the `+= a * b` this was
// before compiled to fused vfmadd instructions at -O3 (C++ allows the contraction), but not in the
// tests' -O1, where the same source rounded each product first.
inline float lane_dot(const float* a, const float* b, int64_t n) {
  constexpr int64_t kLanes = 16;
  float lanes[kLanes] = {};
  int64_t j = 0;
  for (; j + kLanes <= n; j += kLanes)
    for (int64_t l = 0; l < kLanes; ++l) lanes[l] = std::fma(a[j + l], b[j + l], lanes[l]);
  for (int64_t l = 0; j + l < n; ++l) lanes[l] = std::fma(a[j + l], b[j + l], lanes[l]);
  float sum = 0.0f;
  for (const float v : lanes) sum += v;
  return sum;
}

// out[k] = bias[cols[k]] + lane_dot(h, weight.row(cols[k]), weight.cols) for every k: the sampled
// outputs of one batch row (the seeds' one user a step), the same bits as one lane_dot each. Eight
// outputs go side by side in the vector lanes, their weights gathered: each lane_dot ends in 16
// dependent scalar adds, which were half of a seed-sae forward (perf annotate) for dots of 20.
void one_row_lane_dots(const float* h, ConstMatrixView weight, const float* bias, std::span<const int32_t> cols,
                       float* out);

}  // namespace aekit
