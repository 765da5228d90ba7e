#include <aekit/recsys/panel_products.h>

#include <aekit/backend/cpu/transpose.h>
#include <aekit/core/parallel_for.h>
#include <aekit/recsys/row_fmas.h>

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
  if constexpr (Count == 4) {
    _mm_storeu_ps(acc, _mm_fmadd_ps(_mm_set1_ps(v), _mm_loadu_ps(x), _mm_loadu_ps(acc)));
    return;
  }
#endif
  for (int64_t l = 0; l < Count; ++l) acc[l] = std::fma(v, x[l], acc[l]);
}

// p[l] = fma(v, d[l], p[l]) for l < Count, or onto +0 when `fresh` (the bits of adding into a
// zeroed run): fma_run's operands in the other roles.
template <int64_t Count>
inline void add_run(float v, const float* d, float* p, bool fresh) {
#ifdef __FMA__
  if constexpr (Count % 8 == 0) {
    const __m256 vv = _mm256_set1_ps(v);
    for (int64_t q = 0; q < Count; q += 8)
      _mm256_storeu_ps(p + q, _mm256_fmadd_ps(vv, _mm256_loadu_ps(d + q), fresh ? _mm256_setzero_ps() : _mm256_loadu_ps(p + q)));
    return;
  }
  if constexpr (Count == 4) {
    _mm_storeu_ps(p, _mm_fmadd_ps(_mm_set1_ps(v), _mm_loadu_ps(d), fresh ? _mm_setzero_ps() : _mm_loadu_ps(p)));
    return;
  }
#endif
  for (int64_t l = 0; l < Count; ++l) p[l] = std::fma(v, d[l], fresh ? 0.0f : p[l]);
}

// Units [j0, j0 + Count) of the forward from their panel (inputs x Count). The sums live in a
// local array that the compiler keeps in registers (Count / 8 of them).
template <int64_t Count>
void forward_panel(const float* panel, int64_t j0, const CsrMatrix& input, std::span<const int64_t> rows,
                   MatrixView out) {
  for (size_t b = 0; b < rows.size(); ++b) {
    const auto cols = input.row_cols(rows[b]);
    const auto vals = input.row_values(rows[b]);
    alignas(32) float h[Count] = {};
    for (size_t k = 0; k < cols.size(); ++k) fma_run<Count>(vals[k], panel + static_cast<int64_t>(cols[k]) * Count, h);
    std::memcpy(out.row(static_cast<int64_t>(b)) + j0, h, sizeof h);
  }
}

// Units [j0, j0 + Count) of the backward into their zeroed panel (inputs x Count).
template <int64_t Count>
void backward_panel(ConstMatrixView dz, int64_t j0, const CsrMatrix& input, std::span<const int64_t> rows,
                    float* panel) {
  for (size_t b = 0; b < rows.size(); ++b) {
    const auto cols = input.row_cols(rows[b]);
    const auto vals = input.row_values(rows[b]);
    const float* d = dz.row(static_cast<int64_t>(b)) + j0;
    for (size_t k = 0; k < cols.size(); ++k)
      add_run<Count>(vals[k], d, panel + static_cast<int64_t>(cols[k]) * Count, false);
  }
}

// block(j0, count) for the panels of `hidden` units: full panels of kPanel, then the tail in
// panels of 8 and of 1 (each count a compiled loop); split between threads when `parallel`.
template <typename Block>
void over_panels(int64_t hidden, bool parallel, Block block) {
  const int64_t full = hidden / kPanel, eights = (hidden - full * kPanel) / 8;
  const int64_t tail_start = full * kPanel + eights * 8, panels = full + eights + (hidden - tail_start);
  // An OpenMP region even in a step on the worker team (autorec-u's first weight, too large to
  // train transposed): its dynamic schedule balances the panels' uneven costs.
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
    forward_panel<Count>(panel, j0, input, rows, out);
  });
}

void panel_backward(ConstMatrixView dz, const CsrMatrix& input, std::span<const int64_t> rows, MatrixView weight_grad,
                    bool parallel) {
  const int64_t in = weight_grad.cols;
  over_panels(weight_grad.rows, parallel, [&]<int64_t Count>(int64_t j0) {
    float* panel = panel_buffer(in * Count);
    std::fill_n(panel, in * Count, 0.0f);
    backward_panel<Count>(dz, j0, input, rows, panel);
    cpu::transpose(panel, in, Count, weight_grad.row(j0), kNeverParallel);  // in x Count -> Count x in
  });
}

// Row by row, two stored entries at a time, each read start to end: the batch row's output (2 KB
// at 500 units, in L1) is read and written once per pair, the two weight rows stream at once, and
// the rows of the pair after next (in the batch's entry order) are prefetched meanwhile. The panel
// order this replaced read each entry's row 128 bytes per panel, one panel after the other, and
// waited on L3 or memory at every panel (the weight is evicted by the optimizer's pass between
// steps): a standalone loop over a 64-row batch of 668 entries took ~83 us that way against ~47 in
// pairs and ~45 with the next pair prefetched when the weight was in L3, ~165, ~160 and ~130 us
// from memory (medians of 600 runs after a 12 MB or 64 MB sweep; groups of four were slower than
// pairs). In 10-epoch I-AutoRec b64 profiles the forward took 0.111-0.122 of AdamW's time with the
// next pair prefetched, 0.092-0.102 with the pair after next. Threads split the units (each unit
// one thread's, summed in the same order: the same bits for any thread count).
void transposed_forward(ConstMatrixView weight_t, const CsrMatrix& input, std::span<const int64_t> rows, MatrixView out,
                        bool parallel) {
  const int64_t width = weight_t.cols;
  // The weight row of every stored entry of the batch, in order (kept by the calling thread).
  thread_local std::vector<const float*> entry_rows;
  entry_rows.clear();
  for (const int64_t r : rows)
    for (const int32_t c : input.row_cols(r)) entry_rows.push_back(weight_t.data + static_cast<int64_t>(c) * width);
  const float* const* at = entry_rows.data();
  const auto entries = static_cast<int64_t>(entry_rows.size());
  split_width_if(parallel, width, [&, at](int64_t j0, int64_t j1) {
    int64_t e = 0;  // the batch row's first entry among the batch's
    for (size_t b = 0; b < rows.size(); ++b) {
      const auto vals = input.row_values(rows[b]);
      const auto count = static_cast<int64_t>(vals.size());
      float* h = out.row(static_cast<int64_t>(b));
      const auto next = [&](int64_t k, int64_t g) { return at[std::min(e + k + g, entries - 1)]; };
      int64_t k = 0;
      for (; k + 2 <= count; k += 2) {
        const float* ahead[2] = {next(k, 4), next(k, 5)};
        if (k == 0) fma_rows<2, true>(at + e + k, vals.data() + k, h, j0, j1, ahead);
        else fma_rows<2, false>(at + e + k, vals.data() + k, h, j0, j1, ahead);
      }
      if (k < count) {
        const float* ahead[1] = {next(k, 3)};
        if (k == 0) fma_rows<1, true>(at + e + k, vals.data() + k, h, j0, j1, ahead);
        else fma_rows<1, false>(at + e + k, vals.data() + k, h, j0, j1, ahead);
      }
      if (count == 0) std::fill(h + j0, h + j1, 0.0f);
      e += count;
    }
  });
}

namespace {

// body(b, j0) for every batch row b in order and, within it, every panel of `hidden` units (as
// over_panels cuts them, but for a panel of 4 before the single units: the seeds' 20 units ran
// 8, 8 and four single passes over each entry's row, each a chain of multiply-adds waiting on
// the one before); threads take contiguous runs of panels, each running every row. Row by row, a
// stored entry's row of the transposed gradient is written from its start to its end across the
// panels.
template <typename Body>
void rows_by_panels(int64_t hidden, int64_t batch_rows, bool parallel, Body body) {
  const int64_t full = hidden / kPanel, eights = (hidden - full * kPanel) / 8;
  const int64_t fours = (hidden - full * kPanel - eights * 8) / 4;
  const int64_t tail_start = full * kPanel + eights * 8 + fours * 4;
  const int64_t panels = full + eights + fours + (hidden - tail_start);
  const auto panels_of_thread = [&](int t, int threads) {
    const int64_t p0 = panels * t / threads, p1 = panels * (t + 1) / threads;
    for (int64_t b = 0; b < batch_rows; ++b)
      for (int64_t i = p0; i < p1; ++i) {
        if (i < full) body.template operator()<kPanel>(b, i * kPanel);
        else if (i < full + eights) body.template operator()<8>(b, full * kPanel + (i - full) * 8);
        else if (i < full + eights + fours) body.template operator()<4>(b, full * kPanel + eights * 8);
        else body.template operator()<1>(b, tail_start + (i - full - eights - fours));
      }
  };
  parallel_parts_if(parallel, panels_of_thread);
}

}  // namespace

void transposed_backward(ConstMatrixView dz, const CsrMatrix& input, std::span<const int64_t> rows,
                         std::span<const uint8_t> first, MatrixView weight_grad_t, bool parallel) {
  const int64_t stride = weight_grad_t.cols;
  // Where each batch row's entries start among the batch's, for their `first` flags (kept by the
  // calling thread: no allocation per step; the other threads read it through `starts`, as a
  // thread_local named in the parallel region would be each thread's own).
  thread_local std::vector<int64_t> entry_start;
  entry_start.assign(rows.size() + 1, 0);
  for (size_t b = 0; b < rows.size(); ++b) entry_start[b + 1] = entry_start[b] + input.row_nnz(rows[b]);
  const int64_t* starts = entry_start.data();
  rows_by_panels(stride, static_cast<int64_t>(rows.size()), parallel, [&]<int64_t Count>(int64_t b, int64_t j0) {
    const auto cols = input.row_cols(rows[static_cast<size_t>(b)]);
    const auto vals = input.row_values(rows[static_cast<size_t>(b)]);
    const float* d = dz.row(b) + j0;
    const uint8_t* fresh = first.data() + starts[b];
    for (size_t k = 0; k < cols.size(); ++k)
      add_run<Count>(vals[k], d, weight_grad_t.data + static_cast<int64_t>(cols[k]) * stride + j0, fresh[k] != 0);
  });
}

}  // namespace aekit
