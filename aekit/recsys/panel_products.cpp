#include <aekit/recsys/panel_products.h>

#include <aekit/backend/cpu/transpose.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#ifdef __FMA__
#include <immintrin.h>
#endif

namespace aekit {

namespace {

// 32 units: an inputs x 32 panel is 86 KB for I-AutoRec's 671 inputs (in L2), and four 8-lane
// chains per entry keep the multiply-adds' latency hidden (one chain waited on it every entry).
constexpr int64_t kPanel = 32;
constexpr int64_t kNeverParallel = std::numeric_limits<int64_t>::max();

// The calling thread's panel, grown as needed and kept: no allocation per step.
float* panel_buffer(int64_t floats) {
  thread_local std::vector<float> panel;
  if (static_cast<int64_t>(panel.size()) < floats) panel.resize(static_cast<size_t>(floats));
  return panel.data();
}

// acc[l] = fma(v, x[l], acc[l]) for l < Count: 8-lane fused multiply-adds where the CPU has them
// (each lane rounds as std::fma does), std::fma otherwise. Spelled out because g++ vectorised
// the plain loop the wrong way, across entries with gathers, spilling the sums (perf annotate).
template <int64_t Count>
inline void fma_run(float v, const float* x, float* acc) {
#ifdef __FMA__
  if constexpr (Count % 8 == 0) {
    const __m256 vv = _mm256_set1_ps(v);
    for (int64_t q = 0; q < Count; q += 8)
      _mm256_storeu_ps(acc + q, _mm256_fmadd_ps(vv, _mm256_loadu_ps(x + q), _mm256_loadu_ps(acc + q)));
    return;
  }
#endif
  for (int64_t l = 0; l < Count; ++l) acc[l] = std::fma(v, x[l], acc[l]);
}

// Units [j0, j0 + Count) of the forward from their panel (input c's Count weights at
// panel + c * stride: the cached panel's stride is Count, a transposed weight's its width). The
// sums live in a local array that the compiler keeps in registers (Count / 8 of them).
template <int64_t Count>
void forward_panel(const float* panel, int64_t stride, int64_t j0, const CsrMatrix& input,
                   std::span<const int64_t> rows, MatrixView out) {
  for (size_t b = 0; b < rows.size(); ++b) {
    const auto cols = input.row_cols(rows[b]);
    const auto vals = input.row_values(rows[b]);
    alignas(32) float h[Count] = {};
    for (size_t k = 0; k < cols.size(); ++k) fma_run<Count>(vals[k], panel + static_cast<int64_t>(cols[k]) * stride, h);
    std::memcpy(out.row(static_cast<int64_t>(b)) + j0, h, sizeof h);
  }
}

// Units [j0, j0 + Count) of the backward into their panel (stride as forward_panel's). With
// `first` (one flag per stored entry of the batch, in order) an entry flagged first of its column
// writes its run (an fma onto +0: the bits of adding into a zeroed run) and the others add;
// without, every entry adds into a panel zero at the batch's inputs.
template <int64_t Count>
void backward_panel(ConstMatrixView dz, int64_t j0, const CsrMatrix& input, std::span<const int64_t> rows,
                    float* panel, int64_t stride, const uint8_t* first = nullptr) {
  size_t e = 0;
  for (size_t b = 0; b < rows.size(); ++b) {
    const auto cols = input.row_cols(rows[b]);
    const auto vals = input.row_values(rows[b]);
    const float* d = dz.row(static_cast<int64_t>(b)) + j0;
    for (size_t k = 0; k < cols.size(); ++k, ++e) {
      // p = fma(v, d, p): the same operands as fma_run's, in the other roles.
      float* p = panel + static_cast<int64_t>(cols[k]) * stride;
      const bool fresh = first != nullptr && first[e] != 0;
#ifdef __FMA__
      if constexpr (Count % 8 == 0) {
        const __m256 vv = _mm256_set1_ps(vals[k]);
        for (int64_t q = 0; q < Count; q += 8)
          _mm256_storeu_ps(p + q, _mm256_fmadd_ps(vv, _mm256_loadu_ps(d + q),
                                                  fresh ? _mm256_setzero_ps() : _mm256_loadu_ps(p + q)));
        continue;
      }
#endif
      for (int64_t l = 0; l < Count; ++l) p[l] = std::fma(vals[k], d[l], fresh ? 0.0f : p[l]);
    }
  }
}

// block(j0, count) for the panels of `hidden` units: full panels of kPanel, then the tail in
// panels of 8 and of 1 (each count a compiled loop); split between threads when `parallel`.
template <typename Block>
void over_panels(int64_t hidden, bool parallel, Block block) {
  const int64_t full = hidden / kPanel, eights = (hidden - full * kPanel) / 8;
  const int64_t tail_start = full * kPanel + eights * 8, panels = full + eights + (hidden - tail_start);
#pragma omp parallel for schedule(dynamic, 1) if (parallel)
  for (int64_t i = 0; i < panels; ++i) {
    if (i < full) block.template operator()<kPanel>(i * kPanel);
    else if (i < full + eights) block.template operator()<8>(full * kPanel + (i - full) * 8);
    else block.template operator()<1>(tail_start + (i - full - eights));
  }
}

}  // namespace

void panel_forward(ConstMatrixView weight, const CsrMatrix& input, std::span<const int64_t> rows, MatrixView out,
                   bool parallel) {
  const int64_t in = weight.cols;
  over_panels(weight.rows, parallel, [&]<int64_t Count>(int64_t j0) {
    float* panel = panel_buffer(in * Count);
    cpu::transpose(weight.row(j0), Count, in, panel, kNeverParallel);  // Count x in -> in x Count
    forward_panel<Count>(panel, Count, j0, input, rows, out);
  });
}

void panel_backward(ConstMatrixView dz, const CsrMatrix& input, std::span<const int64_t> rows, MatrixView weight_grad,
                    bool parallel) {
  const int64_t in = weight_grad.cols;
  over_panels(weight_grad.rows, parallel, [&]<int64_t Count>(int64_t j0) {
    float* panel = panel_buffer(in * Count);
    std::fill_n(panel, in * Count, 0.0f);
    backward_panel<Count>(dz, j0, input, rows, panel, Count);
    cpu::transpose(panel, in, Count, weight_grad.row(j0), kNeverParallel);  // in x Count -> Count x in
  });
}

void transposed_forward(ConstMatrixView weight_t, const CsrMatrix& input, std::span<const int64_t> rows, MatrixView out,
                        bool parallel) {
  over_panels(weight_t.cols, parallel, [&]<int64_t Count>(int64_t j0) {
    forward_panel<Count>(weight_t.data + j0, weight_t.cols, j0, input, rows, out);
  });
}

void transposed_backward(ConstMatrixView dz, const CsrMatrix& input, std::span<const int64_t> rows,
                         std::span<const uint8_t> first, MatrixView weight_grad_t, bool parallel) {
  over_panels(weight_grad_t.cols, parallel, [&]<int64_t Count>(int64_t j0) {
    backward_panel<Count>(dz, j0, input, rows, weight_grad_t.data + j0, weight_grad_t.cols, first.data());
  });
}

}  // namespace aekit
