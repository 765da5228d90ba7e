#include <aekit/data/validate.h>

#include <aekit/core/error.h>

#include <cmath>
#include <sstream>

namespace aekit {

namespace {

// The multi-index of flat element `flat`, as "[2, 17]": easier to find in the data than an offset.
std::string index_string(const Shape& shape, int64_t flat) {
  Shape index(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  return shape_string(index);
}

}  // namespace

void check_finite(const Tensor& t, const std::string& source) {
  const float* p = t.data();
  const int64_t n = t.size();
  // Fast path: one branch-free pass the compiler vectorises; the slow search runs only on failure.
  bool all_finite = true;
  for (int64_t i = 0; i < n; ++i) all_finite &= std::isfinite(p[i]);
  if (all_finite) return;
  for (int64_t i = 0; i < n; ++i) {
    if (std::isfinite(p[i])) continue;
    fail(source, ": value at ", index_string(t.shape(), i), " is ",
         std::isnan(p[i]) ? "NaN" : "infinite", " (non-finite values are not allowed in data)");
  }
}

}  // namespace aekit
