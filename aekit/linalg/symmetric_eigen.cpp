#include <aekit/linalg/symmetric_eigen.h>

#include <aekit/core/error.h>

#include <algorithm>
#include <climits>
#include <cmath>

// LAPACK's Fortran interface (Debian's liblapack3 or OpenBLAS: 32-bit integers). Declared here
// because Debian ships no C header for it without LAPACKE.
extern "C" void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda, double* w,
                        double* work, const int* lwork, int* iwork, const int* liwork, int* info);

namespace aekit {

SymmetricEigen symmetric_eigen(std::vector<double> a, int64_t n) {
  AEKIT_ASSERT(n > 0 && n <= INT_MAX / n && static_cast<int64_t>(a.size()) == n * n, "symmetric_eigen: bad size");
  const int size = static_cast<int>(n);
  // Row-major lower triangle = column-major upper triangle.
  const char jobz = 'V', uplo = 'U';
  std::vector<double> w(static_cast<size_t>(n));
  int info = 0, lwork = -1, liwork = -1, iwork_query = 0;
  double work_query = 0;
  dsyevd_(&jobz, &uplo, &size, a.data(), &size, w.data(), &work_query, &lwork, &iwork_query, &liwork, &info);
  AEKIT_ASSERT(info == 0, "dsyevd workspace query failed, info ", info);
  lwork = static_cast<int>(work_query);
  liwork = iwork_query;
  std::vector<double> work(static_cast<size_t>(lwork));
  std::vector<int> iwork(static_cast<size_t>(liwork));
  dsyevd_(&jobz, &uplo, &size, a.data(), &size, w.data(), work.data(), &lwork, iwork.data(), &liwork, &info);
  AEKIT_ASSERT(info == 0, "dsyevd failed, info ", info);

  // LAPACK gives ascending eigenvalues and eigenvectors as columns (column-major), which are the
  // rows of `a` read row-major; reverse to largest first.
  SymmetricEigen result;
  result.n = n;
  result.values.assign(w.rbegin(), w.rend());
  result.vectors.resize(a.size());
  for (int64_t i = 0; i < n; ++i) {
    const double* src = a.data() + (n - 1 - i) * n;
    double* dst = result.vectors.data() + i * n;
    int64_t largest = 0;
    for (int64_t j = 1; j < n; ++j)
      if (std::fabs(src[j]) > std::fabs(src[largest])) largest = j;
    const double sign = src[largest] < 0 ? -1.0 : 1.0;
    for (int64_t j = 0; j < n; ++j) dst[j] = sign * src[j];
  }
  return result;
}

}  // namespace aekit
