#include <aekit/linalg/spd_inverse.h>

#include <aekit/core/error.h>

#include <climits>

// LAPACK's Fortran interface (32-bit integers), declared here as in symmetric_eigen.cpp.
extern "C" void dpotrf_(const char* uplo, const int* n, double* a, const int* lda, int* info);
extern "C" void dpotri_(const char* uplo, const int* n, double* a, const int* lda, int* info);

namespace aekit {

void invert_spd(std::vector<double>& a, int64_t n) {
  AEKIT_ASSERT(n > 0 && n <= INT_MAX / n && static_cast<int64_t>(a.size()) == n * n, "invert_spd: bad size");
  const int size = static_cast<int>(n);
  // Row-major upper triangle = column-major lower triangle.
  const char uplo = 'L';
  int info = 0;
  dpotrf_(&uplo, &size, a.data(), &size, &info);
  AEKIT_ASSERT(info >= 0, "dpotrf: argument ", -info, " is invalid");
  if (info > 0) fail("the matrix to invert is not positive definite (leading minor ", info, ")");
  dpotri_(&uplo, &size, a.data(), &size, &info);
  AEKIT_ASSERT(info == 0, "dpotri failed, info ", info);
  // Mirror the computed (row-major upper) triangle into the lower one.
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = i + 1; j < n; ++j) a[static_cast<size_t>(j * n + i)] = a[static_cast<size_t>(i * n + j)];
}

}  // namespace aekit
