#include <aekit/train/nonfinite.h>

#include <cmath>

namespace aekit {

bool all_finite(const std::vector<Param>& params) {
  for (const Param& p : params) {
    const float* data = p.value->data();
    const int64_t n = p.value->size();
    // x * 0 is 0 for finite x and NaN for Inf or NaN, so the sum is 0 exactly when all are finite:
    // a reduction without a branch per element.
    double sum = 0.0;
#pragma omp parallel for reduction(+ : sum) schedule(static) if (n >= (int64_t{1} << 16))
    for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(data[i]) * 0.0;
    if (sum != 0.0) return false;
  }
  return true;
}

}  // namespace aekit
