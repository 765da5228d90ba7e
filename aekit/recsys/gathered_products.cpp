#include <aekit/recsys/gathered_products.h>

#include <aekit/core/parallel_for.h>

#include <algorithm>
#include <cmath>

namespace aekit {

namespace {

constexpr int64_t kUnits = 8;  // hidden units side by side

// Units [j0, j0 + Count) of the forward; Count is kUnits, or the tail's count.
template <int64_t Count>
void forward_units(const float* w, int64_t in, int64_t j0, const CsrMatrix& input, std::span<const int64_t> rows,
                   MatrixView out) {
  for (size_t b = 0; b < rows.size(); ++b) {
    const auto cols = input.row_cols(rows[b]);
    const auto vals = input.row_values(rows[b]);
    float h[Count] = {};
    for (size_t k = 0; k < cols.size(); ++k) {
      const float v = vals[k];
      const float* wc = w + cols[k];
      for (int64_t l = 0; l < Count; ++l) h[l] = std::fma(v, wc[l * in], h[l]);
    }
    float* o = out.row(static_cast<int64_t>(b)) + j0;
    for (int64_t l = 0; l < Count; ++l) o[l] = h[l];
  }
}

template <int64_t Count>
void backward_units(ConstMatrixView dz, int64_t j0, const CsrMatrix& input, std::span<const int64_t> rows, float* g,
                    int64_t in) {
  for (size_t b = 0; b < rows.size(); ++b) {
    const auto cols = input.row_cols(rows[b]);
    const auto vals = input.row_values(rows[b]);
    float d[Count];
    for (int64_t l = 0; l < Count; ++l) d[l] = dz.row(static_cast<int64_t>(b))[j0 + l];
    for (size_t k = 0; k < cols.size(); ++k) {
      const float v = vals[k];
      float* gc = g + cols[k];
      for (int64_t l = 0; l < Count; ++l) gc[l * in] = std::fma(v, d[l], gc[l * in]);
    }
  }
}

// block(j0) for every full block of kUnits units, one(j) for each unit of the tail; the blocks
// split between threads when `parallel`.
template <typename Block, typename One>
void over_units(int64_t hidden, bool parallel, Block block, One one) {
  const int64_t blocks = (hidden + kUnits - 1) / kUnits;
  parallel_for_if(parallel, blocks, [=](int64_t blk) {
    const int64_t j0 = blk * kUnits;
    if (j0 + kUnits <= hidden) {
      block(j0);
    } else {
      for (int64_t j = j0; j < hidden; ++j) one(j);
    }
  });
}

}  // namespace

void gathered_forward(ConstMatrixView weight, const CsrMatrix& input, std::span<const int64_t> rows, MatrixView out,
                      bool parallel) {
  const int64_t in = weight.cols;
  over_units(
      weight.rows, parallel,
      [&](int64_t j0) { forward_units<kUnits>(weight.data + j0 * in, in, j0, input, rows, out); },
      [&](int64_t j) { forward_units<1>(weight.data + j * in, in, j, input, rows, out); });
}

void gathered_backward(ConstMatrixView dz, const CsrMatrix& input, std::span<const int64_t> rows, MatrixView weight_grad,
                       bool parallel) {
  const int64_t in = weight_grad.cols;
  over_units(
      weight_grad.rows, parallel,
      [&](int64_t j0) { backward_units<kUnits>(dz, j0, input, rows, weight_grad.row(j0), in); },
      [&](int64_t j) { backward_units<1>(dz, j, input, rows, weight_grad.row(j), in); });
}

}  // namespace aekit
