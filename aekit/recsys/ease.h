#pragma once
// EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): the linear
// autoencoder items -> items whose diagonal is held at zero (no item may predict itself), in
// closed form:
//   B = argmin_B ||X - X B||^2 + lambda ||B||^2  subject to diag(B) = 0
//   P = (X^T X + lambda I)^-1,   B_ij = -P_ij / P_jj (i != j),   B_jj = 0
// X is the user x item matrix of interactions. Items without interactions have zero rows and
// columns in B and stay out of the inversion (an items^3 Cholesky on the items that have some).
//
// EDLAE (Steck, "Autoencoders that don't overfit towards the identity", NeurIPS 2020): the same
// linear autoencoder trained as a denoising autoencoder, each input dropped with probability p and
// the loss on the dropped entries emphasised (full emphasis: the zero diagonal). Dropout's expected
// loss is a closed form too: the L2 term becomes item-weighted,
//   Lambda = lambda I + p / (1 - p) diag(X^T X),   P = (X^T X + Lambda)^-1,   B as above,
// so an item is held back in proportion to how often it occurs (p = 0 is EASE).
#include <aekit/core/csr_matrix.h>
#include <aekit/core/tensor.h>

#include <cstdint>
#include <span>

namespace aekit {

// B is items x items floats and the inversion items^2 doubles: wider matrices are refused (with
// fewer users than items, ease_map.h solves through the users x users system instead, which
// ease_woodbury.h bounds by kMaxEaseUsers).
inline constexpr int64_t kMaxEaseItems = 30000;

// InputError unless lambda is a positive number and dropout is in [0, 1).
void check_ease_parameters(double lambda, double dropout);

// B (x.cols() x x.cols(), row-major; a user's scores are x B); `dropout` > 0 solves EDLAE.
// InputError when lambda is not a positive number, dropout is not in [0, 1) or x has more than
// kMaxEaseItems columns.
Tensor ease_solve(const CsrMatrix& x, double lambda, double dropout = 0.0);

// rows.size() x items: the scores x[rows] B of the listed rows of x.
Tensor ease_scores(const Tensor& b, const CsrMatrix& x, std::span<const int64_t> rows);

}  // namespace aekit
