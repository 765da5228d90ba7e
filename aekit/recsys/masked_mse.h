#pragma once
// The reconstruction error of a recommender: squared error on rated entries only (an unrated
// entry is unknown, not zero). Two normalisations:
//   Rated       sum over rated entries / number of rated entries in the batch (AutoRec's
//               objective up to a constant; its square root is the batch RMSE)
//   AllColumns  sum over rated entries / (rows x columns): nn.MSELoss's mean after the seeds'
//               `output[target == 0] = 0`, which counts every unrated entry as an exact zero
#include <cstdint>
#include <span>

namespace aekit {

enum class MaskedNormalisation { Rated, AllColumns };

// The factor of masked_mse's gradient, dL/dy[k] = scale x (y[k] - t[k]), for `samples` outputs
// of a rows x cols batch: 2 / (the count the normalisation divides by), rounded to float; 0 when
// that count is 0 (masked_mse then writes no gradient).
float masked_mse_scale(MaskedNormalisation norm, int64_t samples, int64_t rows, int64_t cols);

// Loss over the samples (output y[k] against target t[k]); writes dL/dy[k] into grad when given.
// `rows` and `cols` are the batch's shape, used by AllColumns.
double masked_mse(std::span<const float> y, std::span<const float> t, MaskedNormalisation norm,
                  int64_t rows, int64_t cols, std::span<float> grad = {});

}  // namespace aekit
