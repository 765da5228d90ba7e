#include <aekit/recsys/multinomial_loss.h>

#include <aekit/core/error.h>

#include <algorithm>
#include <cmath>

namespace aekit {

double multinomial_nll(ConstMatrixView logits, const CsrMatrix& target, std::span<const int64_t> rows,
                       MatrixView grad) {
  AEKIT_ASSERT(logits.rows == static_cast<int64_t>(rows.size()) && logits.cols == target.cols(),
               "multinomial likelihood shapes");
  AEKIT_ASSERT(grad.data == nullptr || (grad.rows == logits.rows && grad.cols == logits.cols),
               "multinomial gradient shape");
  if (logits.rows == 0) return 0.0;
  const double scale = 1.0 / static_cast<double>(logits.rows);
  double total = 0.0;
  for (int64_t b = 0; b < logits.rows; ++b) {
    const float* z = logits.row(b);
    const float top = *std::max_element(z, z + logits.cols);
    double sum_exp = 0.0;
    for (int64_t i = 0; i < logits.cols; ++i) sum_exp += std::exp(static_cast<double>(z[i] - top));
    const double lse = static_cast<double>(top) + std::log(sum_exp);
    const auto cols = target.row_cols(rows[static_cast<size_t>(b)]);
    const auto vals = target.row_values(rows[static_cast<size_t>(b)]);
    double mass = 0.0;
    for (size_t k = 0; k < cols.size(); ++k) {
      total -= static_cast<double>(vals[k]) * (static_cast<double>(z[cols[k]]) - lse);
      mass += vals[k];
    }
    if (grad.data == nullptr) continue;
    float* g = grad.row(b);
    for (int64_t i = 0; i < logits.cols; ++i)
      g[i] = static_cast<float>(scale * mass * std::exp(static_cast<double>(z[i]) - lse));
    for (size_t k = 0; k < cols.size(); ++k) g[cols[k]] -= static_cast<float>(scale * vals[k]);
  }
  return total * scale;
}

}  // namespace aekit
