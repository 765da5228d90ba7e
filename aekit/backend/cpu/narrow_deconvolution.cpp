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
  int64_t phase_w = 0;     // output columns per phase: ceil(out_w / stride_w)
  int64_t taps_w = 0;      // in_w rounded up to whole vectors: a row of one tap's transposed taps
  int64_t margin = 0;      // floats before a phase row's column 0 (for taps that land left of it)
  int64_t phase_stride = 0;  // floats from one phase row to the next
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

// taps[j * taps_w + ix] = sum over input channels c of x(c, iy, ix) * w[c][j] for one input row
// (transposed, so that the scatter below adds whole runs of pixels): channel c of pixel p is at
// (c / block) * in_pixels * block + p * block + c % block. `w` is padded to `lanes` per channel.
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
    for (int64_t j = 0; j < p.taps; ++j)
      for (int64_t q = 0; q < count; ++q) taps[j * p.taps_w + ix0 + q] = acc[q][j / kLanes][j % kLanes];
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

// The output is built per phase (column modulo stride_w): row oy of channel o, phase ph holds
// columns ph, ph + stride_w, ... as phase_w consecutive floats from margin on, at ((o * out_h + oy)
// * stride_w + ph) * phase_stride, so that one tap of a row of input pixels lands on consecutive
// floats. The margins on both sides take the taps that land outside the image (and those of the
// padding pixels past in_w), so that every tap adds whole vectors; they are never read.
//
// Where tap j = (o, ky, kx) of an input pixel (iy, ix) lands: output (o, iy * stride_h + row_shift,
// ix * stride_w + col_shift), that is phase `phase`, index ix + shift.
struct TapTarget {
  int64_t channel, row_shift, phase, shift;
};

std::vector<TapTarget> tap_targets(const Plan& p) {
  const ConvGeometry& g = p.g;
  const int64_t kernel = g.kernel_h * g.kernel_w;
  std::vector<TapTarget> targets(static_cast<size_t>(p.taps));
  for (int64_t j = 0; j < p.taps; ++j) {
    const int64_t o = j / kernel, ky = j % kernel / g.kernel_w, kx = j % g.kernel_w;
    TapTarget& t = targets[static_cast<size_t>(j)];
    t.channel = o;
    t.row_shift = ky * g.dilation_h - g.pad_h;
    const int64_t col_shift = kx * g.dilation_w - g.pad_w;
    t.phase = (col_shift % g.stride_w + g.stride_w) % g.stride_w;
    t.shift = (col_shift - t.phase) / g.stride_w;
  }
  return targets;
}

// The margin and stride of the phase rows for these taps (Plan::margin, Plan::phase_stride).
void size_phase_rows(Plan& p, const std::vector<TapTarget>& targets) {
  int64_t lowest = 0, highest = p.phase_w;
  for (const TapTarget& t : targets) {
    lowest = std::min(lowest, t.shift);
    highest = std::max(highest, t.shift + p.taps_w);
  }
  p.margin = -lowest;
  p.phase_stride = highest - lowest;
}

// Adds one input row's taps into the phased output image. Every output value receives its terms
// in the order of the input rows, then of the taps: the order of the scatter this replaced.
void scatter_row_taps(const Plan& p, const TapTarget* targets, const float* __restrict taps, int64_t iy,
                      float* __restrict phased) {
  const ConvGeometry& g = p.g;
  for (int64_t j = 0; j < p.taps; ++j) {
    const TapTarget& t = targets[j];
    const int64_t oy = iy * g.stride_h + t.row_shift;
    if (oy < 0 || oy >= g.out_h) continue;
    float* run = phased + ((t.channel * g.out_h + oy) * g.stride_w + t.phase) * p.phase_stride + p.margin + t.shift;
    const float* tap = taps + j * p.taps_w;
    for (int64_t ix = 0; ix < p.taps_w; ix += kLanes) {
      const Lanes sum = load(run + ix) + load(tap + ix);
      std::memcpy(run + ix, &sum, sizeof sum);
    }
  }
}

// out (NCHW, one image) from the phased image: column ox of a row is its phase ox % stride_w's
// value ox / stride_w.
void unphase(const Plan& p, const float* phased, float* out) {
  const ConvGeometry& g = p.g;
  const int64_t rows = g.out_channels * g.out_h, s = g.stride_w;
  for (int64_t r = 0; r < rows; ++r) {
    const float* from = phased + r * s * p.phase_stride + p.margin;
    float* row = out + r * g.out_w;
    if (s == 2 && g.out_w % 2 == 0) {
      const float* even = from;
      const float* odd = from + p.phase_stride;
#pragma omp simd
      for (int64_t m = 0; m < g.out_w / 2; ++m) {
        row[2 * m] = even[m];
        row[2 * m + 1] = odd[m];
      }
      continue;
    }
    for (int64_t ox = 0; ox < g.out_w; ++ox) row[ox] = from[ox % s * p.phase_stride + ox / s];
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
  p.phase_w = (g.out_w + g.stride_w - 1) / g.stride_w;
  p.taps_w = (g.in_w + kLanes - 1) / kLanes * kLanes;
  // The weights with each input channel's taps padded to `lanes` (a few KB, once per batch).
  thread_local std::vector<float> padded;
  padded.assign(static_cast<size_t>(g.in_channels * p.lanes), 0.0f);
  for (int64_t c = 0; c < g.in_channels; ++c)
    std::copy(w + c * p.taps, w + (c + 1) * p.taps, padded.begin() + c * p.lanes);
  const float* wp = padded.data();  // inside the parallel loop a thread_local name is each thread's own
  const std::vector<TapTarget> targets = tap_targets(p);
  size_phase_rows(p, targets);
  const TapTarget* tt = targets.data();
  const int64_t in_image = g.in_channels * p.in_pixels, out_image = g.out_channels * p.out_plane;
#pragma omp parallel for schedule(static) if (g.batch > 1)
  for (int64_t n = 0; n < g.batch; ++n) {
    thread_local std::vector<float> taps, phased;
    // Zeros past in_w, where a pixel past the image's edge would land inside it (output_padding).
    taps.assign(static_cast<size_t>(p.taps_w * p.taps), 0.0f);
    const int64_t phased_plane = g.out_h * g.stride_w * p.phase_stride;
    phased.resize(static_cast<size_t>(g.out_channels * phased_plane));
    for (int64_t o = 0; o < g.out_channels; ++o)
      std::fill(phased.begin() + o * phased_plane, phased.begin() + (o + 1) * phased_plane, bias ? bias[o] : 0.0f);
    for (int64_t iy = 0; iy < g.in_h; ++iy) {
      compute_row_taps(p, x + n * in_image, iy, wp, taps.data());
      scatter_row_taps(p, tt, taps.data(), iy, phased.data());
    }
    float* out = y + n * out_image;
    unphase(p, phased.data(), out);
    if (act != Activation::Identity) activation_serial(out, out_image, act);
  }
}

}  // namespace aekit::cpu
