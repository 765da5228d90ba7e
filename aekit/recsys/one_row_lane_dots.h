#pragma once
// The sampled outputs of one batch row of the sparse network's last layer (sparse_network.h), each
// bias + lane_dot(h, w) (row_fmas.h: 16 lanes of multiply-adds, added in order from 0), computed
// eight at a time.
#include <aekit/core/tensor.h>
#include <aekit/recsys/row_fmas.h>

#include <cstdint>
#include <span>

namespace aekit {

// out[k] = bias[cols[k]] + lane_dot(h, weight.row(cols[k]), weight.cols) for every k: the sampled
// outputs of one batch row (the seeds' one user a step), the same bits as one lane_dot each. Eight
// outputs go side by side in the vector lanes, their weights gathered: each lane_dot ends in 16
// dependent scalar adds, which were half of a seed-sae forward (perf annotate) for dots of 20.
void one_row_lane_dots(const float* h, ConstMatrixView weight, const float* bias, std::span<const int32_t> cols,
                       float* out);

}  // namespace aekit
