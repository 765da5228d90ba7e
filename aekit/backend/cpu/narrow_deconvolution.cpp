#include <aekit/backend/cpu/narrow_deconvolution.h>

#include <aekit/backend/cpu/elementwise.h>
#include <aekit/core/error.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace aekit::cpu {

namespace {

// Taps are computed in groups of this many (one AVX-512 register, two AVX2 ones), the weights
// padded with zeros to whole groups, so that the inner loop has a length the compiler knows.
constexpr int64_t kLanes = 16;
constexpr int64_t kMaxGroups = 4;

struct Plan {
  ConvGeometry g;
  int64_t taps = 0;        // out_channels * kernel_h * kernel_w
  int64_t lanes = 0;       // taps rounded up to whole groups
  int64_t block = 0;       // channel block of the input layout
  int64_t in_pixels = 0;   // in_h * in_w
  int64_t out_plane = 0;   // out_h * out_w
};

// Vectors of kLanes floats in the compiler's own vector type: one AVX-512 register, two AVX2 ones.
typedef float Lanes __attribute__((vector_size(kLanes * sizeof(float))));

Lanes load(const float* p) {
  Lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Input pixels computed together: their sums are independent chains of multiply-adds (one chain
// per pixel would wait on each add's latency), as many as the vector registers hold.
template <int64_t Groups>
constexpr int64_t kPixels = Groups == 1 ? 8 : 4;

// taps[ix * lanes + j] = sum over input channels c of x(c, iy, ix) * w[c][j] for one input row:
// channel c of pixel p is at (c / block) * in_pixels * block + p * block + c % block. `w` is padded
// to `lanes` per channel.
template <int64_t Groups>
void row_taps(const Plan& p, const float* image, int64_t iy, const float* w, float* taps) {
  constexpr int64_t lanes = Groups * kLanes;
  constexpr int64_t pixels = kPixels<Groups>;
  const int64_t blocks = p.g.in_channels / p.block;
  for (int64_t ix0 = 0; ix0 < p.g.in_w; ix0 += pixels) {
    const int64_t count = std::min(pixels, p.g.in_w - ix0);
    // Past the row's end the last pixel is computed again (and not stored): a fixed count of chains.
    int64_t offset[pixels];
    for (int64_t q = 0; q < pixels; ++q) offset[q] = (iy * p.g.in_w + ix0 + std::min(q, count - 1)) * p.block;
    Lanes acc[pixels][Groups] = {};
    for (int64_t b = 0; b < blocks; ++b) {
      const float* x = image + b * p.in_pixels * p.block;
      const float* wb = w + b * p.block * lanes;
      for (int64_t cc = 0; cc < p.block; ++cc) {
        Lanes wc[Groups];
        for (int64_t k = 0; k < Groups; ++k) wc[k] = load(wb + cc * lanes + k * kLanes);
        for (int64_t q = 0; q < pixels; ++q) {
          const float v = x[offset[q] + cc];
          for (int64_t k = 0; k < Groups; ++k) acc[q][k] += v * wc[k];
        }
      }
    }
    for (int64_t q = 0; q < count; ++q) std::memcpy(taps + (ix0 + q) * lanes, acc[q], sizeof acc[q]);
  }
}

void compute_row_taps(const Plan& p, const float* image, int64_t iy, const float* w, float* taps) {
  switch (p.lanes / kLanes) {
    case 1: return row_taps<1>(p, image, iy, w, taps);
    case 2: return row_taps<2>(p, image, iy, w, taps);
    case 3: return row_taps<3>(p, image, iy, w, taps);
    case 4: return row_taps<4>(p, image, iy, w, taps);
  }
  AEKIT_ASSERT(false, "narrow deconvolution: ", p.taps, " taps");
}

// Where tap j = (o, ky, kx) of an input pixel (iy, ix) lands: output (o, iy * stride_h + row_shift,
// ix * stride_w + col_shift), for the input columns [first, end) that land inside the image.
struct TapTarget {
  int64_t plane, row_shift, col_shift, first, end;
};

std::vector<TapTarget> tap_targets(const Plan& p) {
  const ConvGeometry& g = p.g;
  const int64_t kernel = g.kernel_h * g.kernel_w;
  std::vector<TapTarget> targets(static_cast<size_t>(p.taps));
  for (int64_t j = 0; j < p.taps; ++j) {
    const int64_t o = j / kernel, ky = j % kernel / g.kernel_w, kx = j % g.kernel_w;
    TapTarget& t = targets[static_cast<size_t>(j)];
    t.plane = o * p.out_plane;
    t.row_shift = ky * g.dilation_h - g.pad_h;
    t.col_shift = kx * g.dilation_w - g.pad_w;
    t.first = t.col_shift >= 0 ? 0 : (-t.col_shift + g.stride_w - 1) / g.stride_w;
    t.end = std::clamp<int64_t>((g.out_w - t.col_shift + g.stride_w - 1) / g.stride_w, 0, g.in_w);
  }
  return targets;
}

// Adds one input row's taps into the output image.
void scatter_row_taps(const Plan& p, const TapTarget* targets, const float* taps, int64_t iy, float* out) {
  const ConvGeometry& g = p.g;
  for (int64_t j = 0; j < p.taps; ++j) {
    const TapTarget& t = targets[j];
    const int64_t oy = iy * g.stride_h + t.row_shift;
    if (oy < 0 || oy >= g.out_h) continue;
    float* row = out + t.plane + oy * g.out_w;
    const float* tap = taps + j;
    for (int64_t ix = t.first; ix < t.end; ++ix) row[ix * g.stride_w + t.col_shift] += tap[ix * p.lanes];
  }
}

}  // namespace

bool narrow_deconvolution_fits(const ConvGeometry& g) {
  const int64_t block = image_channel_block();
  if (block == 0 || g.out_channels % block == 0 || g.in_channels % block != 0) return false;
  return g.in_layout == ImageLayout::Blocked && g.out_layout == ImageLayout::Plain &&
         g.out_channels * g.kernel_h * g.kernel_w <= kMaxGroups * kLanes;
}

void narrow_deconvolution_forward(const ConvGeometry& g, const float* x, const float* w, const float* bias,
                                  float* y, Activation act) {
  AEKIT_ASSERT(narrow_deconvolution_fits(g), "narrow deconvolution: unsupported geometry");
  Plan p;
  p.g = g;
  p.taps = g.out_channels * g.kernel_h * g.kernel_w;
  p.lanes = (p.taps + kLanes - 1) / kLanes * kLanes;
  p.block = image_channel_block();
  p.in_pixels = g.in_h * g.in_w;
  p.out_plane = g.out_h * g.out_w;
  // The weights with each input channel's taps padded to `lanes` (a few KB, once per batch).
  thread_local std::vector<float> padded;
  padded.assign(static_cast<size_t>(g.in_channels * p.lanes), 0.0f);
  for (int64_t c = 0; c < g.in_channels; ++c)
    std::copy(w + c * p.taps, w + (c + 1) * p.taps, padded.begin() + c * p.lanes);
  const float* wp = padded.data();  // inside the parallel loop a thread_local name is each thread's own
  const std::vector<TapTarget> targets = tap_targets(p);
  const TapTarget* tt = targets.data();
  const int64_t in_image = g.in_channels * p.in_pixels, out_image = g.out_channels * p.out_plane;
#pragma omp parallel for schedule(static) if (g.batch > 1)
  for (int64_t n = 0; n < g.batch; ++n) {
    thread_local std::vector<float> taps;
    taps.resize(static_cast<size_t>(g.in_w * p.lanes));
    float* out = y + n * out_image;
    for (int64_t o = 0; o < g.out_channels; ++o)
      std::fill(out + o * p.out_plane, out + (o + 1) * p.out_plane, bias ? bias[o] : 0.0f);
    for (int64_t iy = 0; iy < g.in_h; ++iy) {
      compute_row_taps(p, x + n * in_image, iy, wp, taps.data());
      scatter_row_taps(p, tt, taps.data(), iy, out);
    }
    if (act != Activation::Identity) activation_serial(out, out_image, act);
  }
}

}  // namespace aekit::cpu
