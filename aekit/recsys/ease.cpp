#include <aekit/recsys/ease.h>

#include <aekit/core/error.h>
#include <aekit/linalg/spd_inverse.h>

#include <cmath>
#include <vector>

namespace aekit {

void check_ease_parameters(double lambda, double dropout) {
  if (!(lambda > 0) || !std::isfinite(lambda)) fail("EASE needs a positive lambda (got ", lambda, ")");
  if (!(dropout >= 0 && dropout < 1)) fail("EDLAE's dropout must be in [0, 1) (got ", dropout, ")");
}

Tensor ease_solve(const CsrMatrix& x, double lambda, double dropout) {
  check_ease_parameters(lambda, dropout);
  const int64_t n = x.cols();
  if (n > kMaxEaseItems)
    fail("EASE solves an items x items system when there are at least as many users as items: ", n,
         " items is more than the ", kMaxEaseItems, " it accepts");
  // The items with interactions, in ascending order, and each one's place among them.
  std::vector<int64_t> place(static_cast<size_t>(n), -1), items;
  for (int32_t c : x.col_idx()) place[static_cast<size_t>(c)] = 0;
  for (int64_t c = 0; c < n; ++c)
    if (place[static_cast<size_t>(c)] == 0) {
      place[static_cast<size_t>(c)] = static_cast<int64_t>(items.size());
      items.push_back(c);
    }
  Tensor b({n, n});
  const auto m = static_cast<int64_t>(items.size());
  if (m == 0) return b;

  // G = X^T X + Lambda, upper triangle (row-major), from each row's pairs of stored entries:
  // columns ascend within a row, so place[a] <= place[b] for the pairs below.
  std::vector<double> g(static_cast<size_t>(m * m), 0.0);
  for (int64_t r = 0; r < x.rows(); ++r) {
    const auto cols = x.row_cols(r);
    const auto vals = x.row_values(r);
    for (size_t k = 0; k < cols.size(); ++k) {
      double* row = g.data() + place[static_cast<size_t>(cols[k])] * m;
      const double v = vals[k];
      for (size_t l = k; l < cols.size(); ++l) row[place[static_cast<size_t>(cols[l])]] += v * vals[l];
    }
  }
  // Lambda: lambda plus EDLAE's p / (1 - p) G_ii (nothing for EASE).
  const double emphasis = dropout / (1.0 - dropout);
  for (int64_t i = 0; i < m; ++i) {
    double& gii = g[static_cast<size_t>(i * m + i)];
    gii += lambda + emphasis * gii;
  }
  invert_spd(g, m);

  // B_ij = -P_ij / P_jj off the diagonal, 0 on it.
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < m; ++i) {
    const double* p = g.data() + i * m;
    float* out = b.row(items[static_cast<size_t>(i)]);
    for (int64_t j = 0; j < m; ++j)
      out[items[static_cast<size_t>(j)]] = i == j ? 0.0f : static_cast<float>(-p[j] / g[static_cast<size_t>(j * m + j)]);
  }
  return b;
}

Tensor ease_scores(const Tensor& b, const CsrMatrix& x, std::span<const int64_t> rows) {
  const int64_t n = b.cols();
  AEKIT_ASSERT(b.rows() == n && x.cols() == n, "ease_scores: B is ", b.rows(), " x ", n, " for ", x.cols(), " items");
  const auto count = static_cast<int64_t>(rows.size());
  Tensor scores({count, n});
#pragma omp parallel for schedule(dynamic, 8)
  for (int64_t k = 0; k < count; ++k) {
    float* out = scores.row(k);
    const auto cols = x.row_cols(rows[static_cast<size_t>(k)]);
    const auto vals = x.row_values(rows[static_cast<size_t>(k)]);
    for (size_t e = 0; e < cols.size(); ++e) {
      const float v = vals[e];
      const float* bi = b.row(cols[e]);
      for (int64_t j = 0; j < n; ++j) out[j] += v * bi[j];
    }
  }
  return scores;
}

}  // namespace aekit
