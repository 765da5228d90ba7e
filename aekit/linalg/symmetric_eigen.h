#pragma once
// Eigen-decomposition of a real symmetric matrix, through LAPACK (dsyevd, divide and conquer),
// in double precision: the covariance matrices of PCA and the small Gram matrices of
// principal-angle checks are well inside what it solves in milliseconds.
#include <cstdint>
#include <vector>

namespace aekit {

struct SymmetricEigen {
  int64_t n = 0;
  std::vector<double> values;   // n eigenvalues, largest first
  std::vector<double> vectors;  // n x n row-major: row i is the unit eigenvector of values[i]
};

// `a` is n x n and symmetric (only its lower triangle in row-major order is read). Each
// eigenvector's sign is fixed so that its entry of largest magnitude is positive, so the result
// does not depend on the LAPACK build. Throws InternalError if LAPACK reports a failure.
SymmetricEigen symmetric_eigen(std::vector<double> a, int64_t n);

}  // namespace aekit
