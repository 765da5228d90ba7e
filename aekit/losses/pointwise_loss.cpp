#include <aekit/losses/pointwise_loss.h>

#include <aekit/backend/cpu/activation_derivative.h>

#include <aekit/core/error.h>

#include <vector>

#include <omp.h>

namespace aekit {

template <typename Term>
double PointwiseLoss<Term>::compute(ConstMatrixView y, ConstMatrixView t, Tensor* grad) const {
  AEKIT_ASSERT(y.rows == t.rows && y.cols == t.cols, "loss: output ", y.rows, "x", y.cols,
               " and target ", t.rows, "x", t.cols, " differ");
  const int64_t n = y.size();
  if (n == 0) return 0.0;
  const float scale = 1.0f / static_cast<float>(n);
  if (grad) grad->resize({y.rows, y.cols});
  float* g = grad ? grad->data() : nullptr;
  // One partial sum per row, added in row order afterwards: the total does not depend on the
  // thread count. The buffer is kept per thread so a training step allocates nothing.
  thread_local std::vector<double> row_sums;
  row_sums.resize(static_cast<size_t>(y.rows));
  double* sums = row_sums.data();  // inside the parallel loop a thread_local name would be each thread's own
  // Serial below 2^17 elements, where a parallel region (futex wake and barrier) costs about
  // what it saves; rows are summed in order either way, so this never changes the loss.
#pragma omp parallel if (n >= (int64_t{1} << 17))
  {
    const int64_t threads = omp_get_num_threads(), t_id = omp_get_thread_num();
    const int64_t begin = y.rows * t_id / threads, end = y.rows * (t_id + 1) / threads;
    rows_serial(ConstMatrixView(y.row(begin), end - begin, y.cols), ConstMatrixView(t.row(begin), end - begin, t.cols),
                scale, g ? g + begin * y.cols : nullptr, sums + begin);
  }
  double total = 0.0;
  for (int64_t r = 0; r < y.rows; ++r) total += sums[r];
  return total / static_cast<double>(n);
}

namespace {

// row_sums[r] of rows_serial: the row's terms summed in float, in column order.
template <typename Term>
float row_sum(const float* yr, const float* tr, int64_t cols) {
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int64_t c = 0; c < cols; ++c) sum += Term::value(yr[c], tr[c]);
  return sum;
}

}  // namespace

template <typename Term>
void PointwiseLoss<Term>::rows_serial(ConstMatrixView y, ConstMatrixView t, float scale, float* grad,
                                      double* row_sums) const {
  for (int64_t r = 0; r < y.rows; ++r) {
    const float* yr = y.row(r);
    const float* tr = t.row(r);
    row_sums[r] = row_sum<Term>(yr, tr, y.cols);
    if (grad) {
      float* gr = grad + r * y.cols;
#pragma omp simd
      for (int64_t c = 0; c < y.cols; ++c) gr[c] = scale * Term::derivative(yr[c], tr[c]);
    }
  }
}

template <typename Term>
void PointwiseLoss<Term>::rows_serial_through(ConstMatrixView y, ConstMatrixView t, float scale, Activation act,
                                              float* dz, double* row_sums) const {
  cpu::with_derivative(act, [&](auto derivative) {
    for (int64_t r = 0; r < y.rows; ++r) {
      const float* yr = y.row(r);
      const float* tr = t.row(r);
      row_sums[r] = row_sum<Term>(yr, tr, y.cols);
      float* dr = dz + r * y.cols;
      // Two products, each rounded as the two passes round them (nothing here can fuse into an fma).
#pragma omp simd
      for (int64_t c = 0; c < y.cols; ++c) {
        const float grad = scale * Term::derivative(yr[c], tr[c]);
        dr[c] = grad * derivative(yr[c]);
      }
    }
  });
}

template class PointwiseLoss<MseTerm>;
template class PointwiseLoss<L1Term>;
template class PointwiseLoss<BceTerm>;
template class PointwiseLoss<BceLogitsTerm>;

}  // namespace aekit
