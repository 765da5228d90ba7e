#include <aekit/backend/cpu/batch_norm.h>

namespace aekit::cpu {

namespace {
constexpr int64_t kParallelMin = 1 << 14;
}

void batch_norm_statistics(const NormGeometry& g, const float* x, float* mean, float* var) {
  const int64_t plane = g.pixels, count = g.batch * g.pixels;
#pragma omp parallel for schedule(static) if (g.batch * g.channels * plane >= kParallelMin)
  for (int64_t c = 0; c < g.channels; ++c) {
    double sum = 0;
    for (int64_t n = 0; n < g.batch; ++n) {
      const float* p = x + (n * g.channels + c) * plane;
      for (int64_t i = 0; i < plane; ++i) sum += p[i];
    }
    const double m = sum / static_cast<double>(count);
    double squares = 0;  // two passes: no cancellation when the mean is large
    for (int64_t n = 0; n < g.batch; ++n) {
      const float* p = x + (n * g.channels + c) * plane;
      for (int64_t i = 0; i < plane; ++i) squares += (p[i] - m) * (p[i] - m);
    }
    mean[c] = static_cast<float>(m);
    var[c] = static_cast<float>(squares / static_cast<double>(count));
  }
}

void batch_norm_forward(const NormGeometry& g, const float* x, const float* mean, const float* invstd,
                        const float* gamma, const float* beta, float* y) {
  const int64_t plane = g.pixels;
#pragma omp parallel for schedule(static) if (g.batch * g.channels * plane >= kParallelMin)
  for (int64_t nc = 0; nc < g.batch * g.channels; ++nc) {
    const int64_t c = nc % g.channels;
    const float scale = invstd[c] * (gamma ? gamma[c] : 1.0f);
    const float shift = (beta ? beta[c] : 0.0f) - mean[c] * scale;
    const float* p = x + nc * plane;
    float* q = y + nc * plane;
#pragma omp simd
    for (int64_t i = 0; i < plane; ++i) q[i] = p[i] * scale + shift;
  }
}

void batch_norm_backward(const NormGeometry& g, bool batch_stats, const float* x, const float* dy,
                         const float* mean, const float* invstd, const float* gamma, float* dx,
                         float* dgamma, float* dbeta) {
  const int64_t plane = g.pixels;
  const auto count = static_cast<double>(g.batch * g.pixels);
#pragma omp parallel for schedule(static) if (g.batch * g.channels * plane >= kParallelMin)
  for (int64_t c = 0; c < g.channels; ++c) {
    // sum(dy) and sum(dy * xhat) over the channel: the parameter gradients, and what the batch
    // statistics feed back into dx.
    double sum_dy = 0, sum_dy_xhat = 0;
    for (int64_t n = 0; n < g.batch; ++n) {
      const float* xp = x + (n * g.channels + c) * plane;
      const float* dyp = dy + (n * g.channels + c) * plane;
      for (int64_t i = 0; i < plane; ++i) {
        sum_dy += dyp[i];
        sum_dy_xhat += static_cast<double>(dyp[i]) * (xp[i] - mean[c]) * invstd[c];
      }
    }
    if (dgamma) dgamma[c] = static_cast<float>(sum_dy_xhat);
    if (dbeta) dbeta[c] = static_cast<float>(sum_dy);
    if (!dx) continue;
    const float scale = invstd[c] * (gamma ? gamma[c] : 1.0f);
    // dx = scale * (dy - mean(dy) - xhat * mean(dy * xhat)) with batch statistics, scale * dy
    // with fixed ones.
    const float mean_dy = batch_stats ? static_cast<float>(sum_dy / count) : 0.0f;
    const float mean_dy_xhat = batch_stats ? static_cast<float>(sum_dy_xhat / count) : 0.0f;
    for (int64_t n = 0; n < g.batch; ++n) {
      const float* xp = x + (n * g.channels + c) * plane;
      const float* dyp = dy + (n * g.channels + c) * plane;
      float* dxp = dx + (n * g.channels + c) * plane;
      for (int64_t i = 0; i < plane; ++i) {
        const float xhat = (xp[i] - mean[c]) * invstd[c];
        dxp[i] = scale * (dyp[i] - mean_dy - xhat * mean_dy_xhat);
      }
    }
  }
}

}  // namespace aekit::cpu
