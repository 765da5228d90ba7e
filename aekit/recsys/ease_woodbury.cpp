#include <aekit/recsys/ease_woodbury.h>

#include <aekit/core/error.h>
#include <aekit/linalg/spd_inverse.h>
#include <aekit/recsys/ease.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace aekit {

std::unique_ptr<FactoredEase> ease_solve_factored(const CsrMatrix& x, double lambda, double dropout) {
  check_ease_parameters(lambda, dropout);
  const int64_t users = x.rows(), items = x.cols(), n = x.nnz();
  if (users > kMaxEaseUsers)
    fail("EASE's factored solve inverts a users x users system: ", users, " users is more than the ", kMaxEaseUsers,
         " it accepts");
  if (n == 0) fail("EASE's factored solve needs at least one interaction");
  // Lambda_j = lambda + p / (1 - p) G_jj.
  const double emphasis = dropout / (1.0 - dropout);
  std::vector<double> inv_lambda(static_cast<size_t>(items), 0.0);
  for (size_t e = 0; e < x.values().size(); ++e) {
    const double v = x.values()[e];
    inv_lambda[static_cast<size_t>(x.col_idx()[e])] += v * v;
  }
  for (double& d : inv_lambda) d = 1.0 / (lambda + emphasis * d);

  // K = I + X Lambda^-1 X^T, upper triangle, row by row: user u's items, and for each the later
  // users who share it (item columns ascend by user). Sum over items of their count squared.
  const CsrMatrix by_item = x.transpose();
  const auto u2 = static_cast<size_t>(users);
  std::vector<double> k(u2 * u2, 0.0);
#pragma omp parallel for schedule(dynamic, 4)
  for (int64_t u = 0; u < users; ++u) {
    double* row = k.data() + static_cast<size_t>(u) * u2;
    row[u] = 1.0;
    const auto cols = x.row_cols(u);
    const auto vals = x.row_values(u);
    for (size_t a = 0; a < cols.size(); ++a) {
      const double scaled = static_cast<double>(vals[a]) * inv_lambda[static_cast<size_t>(cols[a])];
      const auto us = by_item.row_cols(cols[a]);
      const auto ws = by_item.row_values(cols[a]);
      for (auto b = static_cast<size_t>(std::lower_bound(us.begin(), us.end(), u) - us.begin()); b < us.size(); ++b)
        row[us[b]] += scaled * ws[b];
    }
  }
  invert_spd(k, users);  // M, both triangles

  // t_j = x_j^T M x_j / Lambda_j over item j's interactions, by item.
  std::vector<double> t(static_cast<size_t>(items), 0.0);
#pragma omp parallel for schedule(dynamic, 64)
  for (int64_t j = 0; j < items; ++j) {
    const auto us = by_item.row_cols(j);
    const auto ws = by_item.row_values(j);
    double q = 0;
    for (size_t a = 0; a < us.size(); ++a) {
      const double* m = k.data() + static_cast<size_t>(us[a]) * u2;
      double inner = 0;
      for (size_t b = 0; b < us.size(); ++b) inner += m[us[b]] * ws[b];
      q += inner * ws[a];
    }
    t[static_cast<size_t>(j)] = std::max(0.0, q * inv_lambda[static_cast<size_t>(j)]);
  }

  auto layer = std::make_unique<FactoredEase>(items, users, n);
  int64_t e = 0;
  for (int64_t u = 0; u < users; ++u) {
    const auto cols = x.row_cols(u);
    const auto vals = x.row_values(u);
    for (size_t a = 0; a < cols.size(); ++a, ++e) {
      float* row = layer->interactions().row(e);
      row[0] = static_cast<float>(u);
      row[1] = static_cast<float>(cols[a]);
      row[2] = vals[a];
    }
  }
  std::transform(k.begin(), k.end(), layer->m().data(), [](double v) { return static_cast<float>(v); });
  for (int64_t j = 0; j < items; ++j) {
    const double tj = t[static_cast<size_t>(j)];
    if (!(tj < 1.0)) fail("EASE's factored solve lost P's diagonal to rounding at item ", j, " (lambda ", lambda, " is too small for it)");
    layer->scale()[j] = static_cast<float>(inv_lambda[static_cast<size_t>(j)]);
    layer->self()[j] = std::min(static_cast<float>(tj), std::nextafter(1.0f, 0.0f));
    layer->gain()[j] = static_cast<float>(1.0 / (1.0 - tj));
  }
  layer->check_stored();
  return layer;
}

}  // namespace aekit
