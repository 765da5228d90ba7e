#include <aekit/recsys/sampled_mse_products.h>

#include <aekit/core/parallel_for.h>
#include <aekit/recsys/row_fmas.h>

#include <algorithm>

namespace aekit {

namespace {

// Samples [k, k + Rows) of one batch row: their outputs and gradients, then their weight rows
// added into the row's dL/dh (written onto +0 when Fresh: the row's first samples).
template <int Rows, bool Fresh>
inline void samples_of_row(const float* h, ConstMatrixView weight, const float* bias, const SampledOutputs& s,
                           int64_t k, float scale, float* out, float* dz, float* dh) {
  const float* w[Rows];
  const float* next[Rows];  // the rows of the samples after these (of this batch row or the next)
  const auto last = static_cast<int64_t>(s.col.size()) - 1;
  for (int r = 0; r < Rows; ++r) {
    w[r] = weight.row(s.col[static_cast<size_t>(k + r)]);
    next[r] = weight.row(s.col[static_cast<size_t>(std::min(k + Rows + r, last))]);
  }
  float dot[Rows];
  lane_dots<Rows>(h, w, weight.cols, dot, next);
  for (int r = 0; r < Rows; ++r) {
    const auto i = static_cast<size_t>(k + r);
    out[k + r] = bias[s.col[i]] + dot[r];
    dz[k + r] = scale * (out[k + r] - s.target[i]);
  }
  fma_rows<Rows, Fresh>(w, dz + k, dh, 0, weight.cols);
}

}  // namespace

void sampled_mse_products(ConstMatrixView h, ConstMatrixView weight, const float* bias, const SampledOutputs& samples,
                          float scale, float* out, float* dz, MatrixView dh, bool parallel) {
  const int64_t rows = static_cast<int64_t>(samples.row_start.size()) - 1;
  // Two samples at a time: their two weight rows stream at once, and the next two are prefetched
  // meanwhile (row_fmas.h).
  parallel_for_if(parallel, rows, [&](int64_t b) {
    const int64_t k0 = samples.row_start[static_cast<size_t>(b)], k1 = samples.row_start[static_cast<size_t>(b) + 1];
    const float* x = h.row(b);
    float* g = dh.row(b);
    if (k0 == k1) {
      std::fill_n(g, dh.cols, 0.0f);
      return;
    }
    int64_t k = k0;
    if (k + 2 <= k1) {
      samples_of_row<2, true>(x, weight, bias, samples, k, scale, out, dz, g);
      k += 2;
    } else {
      samples_of_row<1, true>(x, weight, bias, samples, k, scale, out, dz, g);
      k += 1;
    }
    for (; k + 2 <= k1; k += 2) samples_of_row<2, false>(x, weight, bias, samples, k, scale, out, dz, g);
    if (k < k1) samples_of_row<1, false>(x, weight, bias, samples, k, scale, out, dz, g);
  });
}

}  // namespace aekit
