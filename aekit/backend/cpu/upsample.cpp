#include <aekit/backend/cpu/upsample.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace aekit::cpu {

namespace {

constexpr int64_t kParallelMin = 1 << 14;

// Source index of each output row (or column) for nearest, computed once per call.
std::vector<int64_t> nearest_sources(int64_t in, int64_t out) {
  std::vector<int64_t> src(static_cast<size_t>(out));
  const float scale = static_cast<float>(in) / static_cast<float>(out);
  for (int64_t o = 0; o < out; ++o)
    src[static_cast<size_t>(o)] =
        in == out ? o : std::min(static_cast<int64_t>(std::floor(static_cast<float>(o) * scale)), in - 1);
  return src;
}

// The two neighbours and their weights of each output row (or column) for bilinear.
struct Taps {
  std::vector<int64_t> lo, hi;
  std::vector<float> w_lo, w_hi;
};

Taps bilinear_taps(int64_t in, int64_t out, bool align_corners) {
  Taps t;
  t.lo.resize(static_cast<size_t>(out)), t.hi.resize(static_cast<size_t>(out));
  t.w_lo.resize(static_cast<size_t>(out)), t.w_hi.resize(static_cast<size_t>(out));
  float scale;
  if (align_corners) scale = out > 1 ? static_cast<float>(in - 1) / static_cast<float>(out - 1) : 0.0f;
  else scale = static_cast<float>(in) / static_cast<float>(out);
  for (int64_t o = 0; o < out; ++o) {
    float src = align_corners ? scale * static_cast<float>(o)
                              : scale * (static_cast<float>(o) + 0.5f) - 0.5f;
    if (src < 0.0f) src = 0.0f;
    const auto lo = static_cast<int64_t>(src);
    const size_t i = static_cast<size_t>(o);
    t.lo[i] = lo;
    t.hi[i] = lo + (lo < in - 1 ? 1 : 0);
    t.w_hi[i] = src - static_cast<float>(lo);
    t.w_lo[i] = 1.0f - t.w_hi[i];
  }
  return t;
}

}  // namespace

void upsample_nearest_forward(const ResizeGeometry& g, const float* x, float* y) {
  const auto rows = nearest_sources(g.in_h, g.out_h), cols = nearest_sources(g.in_w, g.out_w);
  const int64_t in_plane = g.in_h * g.in_w, out_plane = g.out_h * g.out_w;
#pragma omp parallel for schedule(static) if (g.planes * out_plane >= kParallelMin)
  for (int64_t p = 0; p < g.planes; ++p)
    for (int64_t oh = 0; oh < g.out_h; ++oh) {
      const float* src = x + p * in_plane + rows[static_cast<size_t>(oh)] * g.in_w;
      float* dst = y + p * out_plane + oh * g.out_w;
      for (int64_t ow = 0; ow < g.out_w; ++ow) dst[ow] = src[cols[static_cast<size_t>(ow)]];
    }
}

void upsample_nearest_backward(const ResizeGeometry& g, const float* dy, float* dx) {
  const auto rows = nearest_sources(g.in_h, g.out_h), cols = nearest_sources(g.in_w, g.out_w);
  const int64_t in_plane = g.in_h * g.in_w, out_plane = g.out_h * g.out_w;
#pragma omp parallel for schedule(static) if (g.planes * out_plane >= kParallelMin)
  for (int64_t p = 0; p < g.planes; ++p) {
    float* dxp = dx + p * in_plane;
    std::fill_n(dxp, in_plane, 0.0f);
    for (int64_t oh = 0; oh < g.out_h; ++oh) {
      float* dst = dxp + rows[static_cast<size_t>(oh)] * g.in_w;
      const float* src = dy + p * out_plane + oh * g.out_w;
      for (int64_t ow = 0; ow < g.out_w; ++ow) dst[cols[static_cast<size_t>(ow)]] += src[ow];
    }
  }
}

void upsample_bilinear_forward(const ResizeGeometry& g, bool align_corners, const float* x, float* y) {
  const Taps r = bilinear_taps(g.in_h, g.out_h, align_corners), c = bilinear_taps(g.in_w, g.out_w, align_corners);
  const int64_t in_plane = g.in_h * g.in_w, out_plane = g.out_h * g.out_w;
#pragma omp parallel for schedule(static) if (g.planes * out_plane >= kParallelMin)
  for (int64_t p = 0; p < g.planes; ++p)
    for (int64_t oh = 0; oh < g.out_h; ++oh) {
      const size_t i = static_cast<size_t>(oh);
      const float* top = x + p * in_plane + r.lo[i] * g.in_w;
      const float* bottom = x + p * in_plane + r.hi[i] * g.in_w;
      float* dst = y + p * out_plane + oh * g.out_w;
      for (int64_t ow = 0; ow < g.out_w; ++ow) {
        const size_t j = static_cast<size_t>(ow);
        // PyTorch's order of operations: rows weight the two column blends.
        dst[ow] = r.w_lo[i] * (c.w_lo[j] * top[c.lo[j]] + c.w_hi[j] * top[c.hi[j]]) +
                  r.w_hi[i] * (c.w_lo[j] * bottom[c.lo[j]] + c.w_hi[j] * bottom[c.hi[j]]);
      }
    }
}

void upsample_bilinear_backward(const ResizeGeometry& g, bool align_corners, const float* dy, float* dx) {
  const Taps r = bilinear_taps(g.in_h, g.out_h, align_corners), c = bilinear_taps(g.in_w, g.out_w, align_corners);
  const int64_t in_plane = g.in_h * g.in_w, out_plane = g.out_h * g.out_w;
#pragma omp parallel for schedule(static) if (g.planes * out_plane >= kParallelMin)
  for (int64_t p = 0; p < g.planes; ++p) {
    float* dxp = dx + p * in_plane;
    std::fill_n(dxp, in_plane, 0.0f);
    for (int64_t oh = 0; oh < g.out_h; ++oh) {
      const size_t i = static_cast<size_t>(oh);
      float* top = dxp + r.lo[i] * g.in_w;
      float* bottom = dxp + r.hi[i] * g.in_w;
      const float* src = dy + p * out_plane + oh * g.out_w;
      for (int64_t ow = 0; ow < g.out_w; ++ow) {
        const size_t j = static_cast<size_t>(ow);
        const float d = src[ow];
        top[c.lo[j]] += r.w_lo[i] * c.w_lo[j] * d;
        top[c.hi[j]] += r.w_lo[i] * c.w_hi[j] * d;
        bottom[c.lo[j]] += r.w_hi[i] * c.w_lo[j] * d;
        bottom[c.hi[j]] += r.w_hi[i] * c.w_hi[j] * d;
      }
    }
  }
}

}  // namespace aekit::cpu
