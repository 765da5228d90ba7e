#pragma once
// Inverse of a symmetric positive definite matrix through LAPACK's Cholesky routines (dpotrf, then
// dpotri), in double precision: the regularised Gram matrices of closed-form models (EASE) are
// positive definite by construction, and Cholesky is the cheapest stable way to invert them.
#include <cstdint>
#include <vector>

namespace aekit {

// `a` is n x n, symmetric and positive definite; only its upper triangle in row-major order is
// read (a[i * n + j], j >= i). On return it holds the whole inverse, both triangles. Throws
// InputError when the matrix is not positive definite (LAPACK's info > 0).
void invert_spd(std::vector<double>& a, int64_t n);

}  // namespace aekit
