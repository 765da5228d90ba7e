#pragma once
// Per-channel batch normalisation of NCHW batches: statistics over the batch and the pixels of
// each channel, y = (x - mean) * invstd * gamma + beta. Sums are accumulated in double, so the
// statistics of large batches keep float precision. Parallel over channels (static schedule).
#include <cstdint>

namespace aekit::cpu {

struct NormGeometry {
  int64_t batch = 0, channels = 0, pixels = 0;  // pixels = height * width
};

// mean[c] and the biased variance var[c] of the batch.
void batch_norm_statistics(const NormGeometry& g, const float* x, float* mean, float* var);

// y = (x - mean) * invstd * gamma + beta; gamma and beta may be null (1 and 0).
void batch_norm_forward(const NormGeometry& g, const float* x, const float* mean, const float* invstd,
                        const float* gamma, const float* beta, float* y);

// Gradients of batch_norm_forward. With batch_stats (training), mean and invstd are the batch's
// own, and dx includes their dependence on x; otherwise (running statistics) they are constants.
// dgamma, dbeta (overwritten) and dx may each be null.
void batch_norm_backward(const NormGeometry& g, bool batch_stats, const float* x, const float* dy,
                         const float* mean, const float* invstd, const float* gamma, float* dx,
                         float* dgamma, float* dbeta);

}  // namespace aekit::cpu
