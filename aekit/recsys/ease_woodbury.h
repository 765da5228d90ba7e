#pragma once
// EASE and EDLAE (ease.h) solved through a users x users system, for data with fewer users than
// items. Woodbury's identity gives the same P = (X^T X + Lambda)^-1 from
//   M = (I + X Lambda^-1 X^T)^-1,   P = Lambda^-1 - Lambda^-1 X^T M X Lambda^-1
// and B = I - P diag(1 / P_jj) needs of P only its diagonal besides the product: the result is the
// factored_ease layer (layers/factored_ease.h), X, M and three item vectors, a few MB where the
// dense B is items^2 floats. Cost: users^3 for the inverse, and the sum over items of (their
// interactions)^2, twice: the Gram matrix and P's diagonal; against items^3 for the dense solve.
// Everything is computed in double and rounded to float once, as the dense solve does. P's
// diagonal is Lambda_j P_jj = 1 - t_j with t_j = x_j^T M x_j / Lambda_j in [0, 1): 1 - t_j is at
// least Lambda_j / (G_jj + Lambda_j), so the subtraction loses about log10(G_jj / Lambda_j) digits
// of double's sixteen (2 for the most-rated movie of movielens-small at lambda 20).
#include <aekit/core/csr_matrix.h>
#include <aekit/layers/factored_ease.h>

#include <memory>

namespace aekit {

// Users (rows of X) the users x users system accepts: its inversion holds users^2 doubles.
inline constexpr int64_t kMaxEaseUsers = 30000;

// The factored B of ease_solve(x, lambda, dropout), checked and ready to run. InputError as
// ease_solve on lambda and dropout, and when x has more than kMaxEaseUsers rows or no entries.
std::unique_ptr<FactoredEase> ease_solve_factored(const CsrMatrix& x, double lambda, double dropout = 0.0);

}  // namespace aekit
