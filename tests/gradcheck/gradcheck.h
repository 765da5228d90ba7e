#pragma once
// Central finite differences against hand-written backward passes. The scalar probed is
// L = sum(R * f(...)) with a fixed random R, so dL/df = R exercises every output.
#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/core/tensor.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace aekit::test {

inline Tensor random_tensor(Shape shape, Rng& rng, float low = -1.0f, float high = 1.0f) {
  Tensor t(std::move(shape));
  for (float& v : t.span()) v = rng.uniform(low, high);
  return t;
}

inline double weighted_sum(const Tensor& y, const Tensor& r) {
  double s = 0;
  for (int64_t i = 0; i < y.size(); ++i) s += static_cast<double>(y[i]) * r[i];
  return s;
}

// Perturbs each element of `values` by +-h, evaluates `objective` and compares the central
// difference with `analytic` (same shape). Float arithmetic: h = 5e-3 keeps round-off below
// the tolerance while the truncation error stays O(h^2).
inline void expect_gradient_matches(const std::string& what, Tensor& values, const Tensor& analytic,
                                    const std::function<double()>& objective, double h = 5e-3,
                                    double atol = 2e-3, double rtol = 2e-2) {
  ASSERT_EQ(values.shape(), analytic.shape()) << what;
  int failures = 0;
  for (int64_t i = 0; i < values.size(); ++i) {
    const float saved = values[i];
    values[i] = saved + static_cast<float>(h);
    const double up = objective();
    values[i] = saved - static_cast<float>(h);
    const double down = objective();
    values[i] = saved;
    const double numeric = (up - down) / (2 * h);
    const double a = analytic[i];
    if (std::abs(a - numeric) > atol + rtol * std::abs(numeric) && failures++ < 5)
      ADD_FAILURE() << what << "[" << i << "]: analytic " << a << " vs numeric " << numeric;
  }
  EXPECT_EQ(failures, 0) << what << ": " << failures << " of " << values.size() << " elements differ";
}

}  // namespace aekit::test
