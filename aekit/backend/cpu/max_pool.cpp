#include <aekit/backend/cpu/max_pool.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace aekit::cpu {

void max_pool2d_forward(const PoolGeometry& g, const float* x, float* y, int32_t* argmax) {
  const int64_t in_plane = g.in_h * g.in_w, out_plane = g.out_h * g.out_w;
#pragma omp parallel for schedule(static) if (g.planes * out_plane >= (1 << 14))
  for (int64_t p = 0; p < g.planes; ++p) {
    const float* xp = x + p * in_plane;
    for (int64_t oh = 0; oh < g.out_h; ++oh) {
      const int64_t h0 = oh * g.stride_h - g.pad_h;
      for (int64_t ow = 0; ow < g.out_w; ++ow) {
        const int64_t w0 = ow * g.stride_w - g.pad_w;
        float best = -std::numeric_limits<float>::infinity();
        // PyTorch starts from the window's first in-range position, so an all -inf window
        // still names a valid input.
        int64_t best_at = std::max<int64_t>(h0, 0) * g.in_w + std::max<int64_t>(w0, 0);
        for (int64_t i = 0; i < g.kernel_h; ++i) {
          const int64_t h = h0 + i * g.dilation_h;
          if (h < 0 || h >= g.in_h) continue;
          for (int64_t j = 0; j < g.kernel_w; ++j) {
            const int64_t w = w0 + j * g.dilation_w;
            if (w < 0 || w >= g.in_w) continue;
            const float v = xp[h * g.in_w + w];
            if (v > best || std::isnan(v)) {
              best = v;
              best_at = h * g.in_w + w;
              if (std::isnan(v)) goto done;
            }
          }
        }
      done:
        y[p * out_plane + oh * g.out_w + ow] = best;
        argmax[p * out_plane + oh * g.out_w + ow] = static_cast<int32_t>(best_at);
      }
    }
  }
}

void max_pool2d_backward(const PoolGeometry& g, const float* dy, const int32_t* argmax, float* dx) {
  const int64_t in_plane = g.in_h * g.in_w, out_plane = g.out_h * g.out_w;
#pragma omp parallel for schedule(static) if (g.planes * out_plane >= (1 << 14))
  for (int64_t p = 0; p < g.planes; ++p) {
    float* dxp = dx + p * in_plane;
    std::fill_n(dxp, in_plane, 0.0f);
    for (int64_t i = 0; i < out_plane; ++i) dxp[argmax[p * out_plane + i]] += dy[p * out_plane + i];
  }
}

}  // namespace aekit::cpu
