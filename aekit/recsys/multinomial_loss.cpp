#include <aekit/recsys/multinomial_loss.h>

#include <aekit/backend/cpu/vector_math.h>
#include <aekit/core/error.h>
#include <aekit/core/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace aekit {

namespace {

// Below this many logits a batch stays on the calling thread (a parallel region's start costs
// more than its exponentials).
constexpr int64_t kParallelLogits = int64_t{1} << 15;

// log sum_i exp(z_i), shifted by the largest z_i. The exponentials are vexp_double's: glibc's
// scalar exp made the two passes of this file 4-5 ms of a 40 ms Mult-VAE step (perf).
double log_sum_exp(const float* z, int64_t n) {
  float top = -std::numeric_limits<float>::infinity();
#pragma omp simd reduction(max : top)
  for (int64_t i = 0; i < n; ++i) top = std::max(top, z[i]);
  double sum_exp = 0.0;
#pragma omp simd reduction(+ : sum_exp)
  for (int64_t i = 0; i < n; ++i) sum_exp += cpu::vexp_double(static_cast<double>(z[i] - top));
  return static_cast<double>(top) + std::log(sum_exp);
}

}  // namespace

double multinomial_nll(ConstMatrixView logits, const CsrMatrix& target, std::span<const int64_t> rows,
                       MatrixView grad) {
  AEKIT_ASSERT(logits.rows == static_cast<int64_t>(rows.size()) && logits.cols == target.cols(),
               "multinomial likelihood shapes");
  AEKIT_ASSERT(grad.data == nullptr || (grad.rows == logits.rows && grad.cols == logits.cols),
               "multinomial gradient shape");
  if (logits.rows == 0) return 0.0;
  const double scale = 1.0 / static_cast<double>(logits.rows);
  // Each row's log-sum-exp and gradient row are its own (two double exponentials a logit: most of
  // a Mult-VAE step outside the products), so the rows are shared between threads; the loss is
  // then summed over the rows in order on the calling thread, so every bit is as on one thread.
  // The calling thread's buffer, reached from the parts through a plain pointer (a thread_local
  // named inside the loop would be each worker's own).
  thread_local std::vector<double> lse_of_rows;
  lse_of_rows.resize(static_cast<size_t>(logits.rows));
  double* const lse = lse_of_rows.data();
  parallel_for_if(logits.rows * logits.cols >= kParallelLogits, logits.rows, [&](int64_t b) {
    const float* z = logits.row(b);
    const double row_lse = log_sum_exp(z, logits.cols);
    lse[b] = row_lse;
    if (grad.data == nullptr) return;
    const auto cols = target.row_cols(rows[static_cast<size_t>(b)]);
    const auto vals = target.row_values(rows[static_cast<size_t>(b)]);
    double mass = 0.0;
    for (size_t k = 0; k < cols.size(); ++k) mass += vals[k];
    float* g = grad.row(b);
    const double row_scale = scale * mass;
#pragma omp simd
    for (int64_t i = 0; i < logits.cols; ++i)
      g[i] = static_cast<float>(row_scale * cpu::vexp_double(static_cast<double>(z[i]) - row_lse));
    for (size_t k = 0; k < cols.size(); ++k) g[cols[k]] -= static_cast<float>(scale * vals[k]);
  });
  double total = 0.0;
  for (int64_t b = 0; b < logits.rows; ++b) {
    const float* z = logits.row(b);
    const auto cols = target.row_cols(rows[static_cast<size_t>(b)]);
    const auto vals = target.row_values(rows[static_cast<size_t>(b)]);
    for (size_t k = 0; k < cols.size(); ++k)
      total -= static_cast<double>(vals[k]) * (static_cast<double>(z[cols[k]]) - lse[b]);
  }
  return total * scale;
}

}  // namespace aekit
